//! The wasm shell: one `Engine` with a single JSON-in, JSON-out entry point, and `Intl` as the
//! time-zone source. The typed `Coordinator` class that hosts use is the thin JS wrapper in
//! `js/index.js`; keeping the boundary to strings keeps the generated glue and the wasm small.
//!
//! Nothing here may panic (the release build aborts on panic, which would kill the instance and
//! its state): every input is parsed into a `Result`, and errors travel back as JSON data.
//!
//! Should a call trap all the same (a heap over its budget, a bug), the state stays readable:
//! `rescue` writes the snapshot of the state as the faulted call left it, with the budget
//! lifted, so the host never loses its last good state (`js/index.js` keeps it).

use crate::state::Coordinator;
use crate::time::zone::{OffsetSource, Zones};
use crate::time::{Instant, DAY};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use wasm_bindgen::prelude::*;

/// A smaller allocator than the default dlmalloc (see Cargo.toml), under a budget.
#[global_allocator]
static HEAP: Budgeted = Budgeted {
    talc: talc::wasm::new_wasm_dynamic_allocator(),
    used: AtomicUsize::new(0),
    limit: AtomicUsize::new(DEFAULT_HEAP_LIMIT),
};

/// The heap all coordinators of the module may use together unless the host says otherwise:
/// room for a few million bookings, and well inside the 4 GiB a wasm32 memory can reach, so
/// that the rescue snapshot after a fault still has memory to be written in.
const DEFAULT_HEAP_LIMIT: usize = 2 << 30;

/// talc, counting the bytes in use and refusing an allocation past `limit` (which traps the call
/// rather than growing the memory until the browser kills the page).
struct Budgeted {
    talc: talc::wasm::WasmDynamicTalc,
    used: AtomicUsize,
    limit: AtomicUsize,
}

// wasm32 here is single-threaded: the atomics are plain loads and stores.
unsafe impl GlobalAlloc for Budgeted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let used = self.used.load(Relaxed);
        if layout.size() > self.limit.load(Relaxed).saturating_sub(used) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract is passed on unchanged.
        let p = unsafe { self.talc.alloc(layout) };
        if !p.is_null() {
            self.used.store(used + layout.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.used.fetch_sub(layout.size(), Relaxed);
        // SAFETY: as above.
        unsafe { self.talc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let used = self.used.load(Relaxed);
        if new_size > layout.size()
            && new_size - layout.size() > self.limit.load(Relaxed).saturating_sub(used)
        {
            return std::ptr::null_mut();
        }
        // SAFETY: as above.
        let p = unsafe { self.talc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            self.used.store(used - layout.size() + new_size, Relaxed);
        }
        p
    }
}

/// Sets the heap budget of all coordinators of this module, in bytes (`0`: the default, 2 GiB).
#[wasm_bindgen(js_name = setHeapLimit)]
pub fn set_heap_limit(bytes: f64) {
    let bytes = if bytes >= 1.0 && bytes.is_finite() {
        bytes.min(4_294_967_295.0) as usize
    } else {
        DEFAULT_HEAP_LIMIT
    };
    HEAP.limit.store(bytes, Relaxed);
}

/// `[bytes in use, budget, bytes of wasm memory]` of this module: the last is the high-water
/// mark, since a wasm memory never shrinks.
#[wasm_bindgen(js_name = heapUsage)]
pub fn heap_usage() -> Vec<f64> {
    vec![
        HEAP.used.load(Relaxed) as f64,
        HEAP.limit.load(Relaxed) as f64,
        (core::arch::wasm32::memory_size(0) * 65_536) as f64,
    ]
}

#[wasm_bindgen(module = "/js/intl.js")]
extern "C" {
    #[wasm_bindgen(js_name = zoneOffset)]
    fn zone_offset(zone: &str, ms: f64) -> f64;
    #[wasm_bindgen(js_name = zoneName)]
    fn zone_name(zone: &str) -> String;
}

struct Intl;

impl OffsetSource for Intl {
    fn offset(&self, zone: &str, utc: Instant) -> Option<i32> {
        let secs = zone_offset(zone, utc.secs() as f64 * 1000.0);
        (secs.is_finite() && secs.abs() < DAY as f64).then_some(secs as i32)
    }

    fn canonical(&self, zone: &str) -> Option<String> {
        Some(zone_name(zone)).filter(|name| !name.is_empty())
    }
}

/// The zone cache over the host's `Intl`.
pub fn zones() -> Zones {
    Zones::new(Box::new(Intl))
}

/// Every method takes `&self`: a trap inside a call leaves wasm-bindgen's borrow of the engine
/// shared, not exclusive, so `snapshot` and `rescue` still answer. The faulted call's borrow of
/// `core` stays taken, which is how later calls know of the fault.
#[wasm_bindgen]
pub struct Engine {
    core: RefCell<Coordinator>,
    /// A restore being fed its snapshot piece by piece (`restorePiece`, then `restoreEnd`).
    restoring: RefCell<Option<crate::state::Restore>>,
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        // `configure` then sets the host's zone.
        Engine {
            core: RefCell::new(Coordinator::utc(zones())),
            restoring: RefCell::new(None),
        }
    }

    /// Runs `method` with JSON `input`; answers `{"ok":...,"changes":[...]}` or `{"error":...}`.
    pub fn call(&self, method: &str, input: &str, now_ms: f64) -> String {
        let Ok(mut core) = self.core.try_borrow_mut() else {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"an earlier call faulted; restore from the snapshot it left\",\"details\":[]}}".into();
        };
        crate::io::dispatch::call(&mut core, &zones, method, input, now_ms)
    }

    /// `call` with the input as UTF-8 bytes: for large inputs (a calendar to import), which the
    /// host encodes with `TextEncoder` (native code) where wasm-bindgen's string passing copies
    /// in a JS loop (4 ns a character: 4 ms of a 1 MB import, measured).
    #[wasm_bindgen(js_name = callUtf8)]
    pub fn call_utf8(&self, method: &str, utf8: &[u8], now_ms: f64) -> String {
        let Ok(input) = std::str::from_utf8(utf8) else {
            return "{\"error\":{\"code\":\"INVALID_JSON\",\"message\":\"the input is not UTF-8\",\"details\":[]}}".into();
        };
        self.call(method, input, now_ms)
    }

    /// `call` for a method whose first argument is large text (`importICalendar`): the text as
    /// UTF-8 bytes, the rest (`input`) as JSON. A calendar of megabytes is then neither escaped
    /// into JSON by the host nor parsed back here.
    #[wasm_bindgen(js_name = callWithText)]
    pub fn call_with_text(&self, method: &str, utf8: &[u8], input: &str, now_ms: f64) -> String {
        let Ok(mut core) = self.core.try_borrow_mut() else {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"an earlier call faulted; restore from the snapshot it left\",\"details\":[]}}".into();
        };
        let Ok(text) = std::str::from_utf8(utf8) else {
            return "{\"error\":{\"code\":\"INVALID_INPUT\",\"message\":\"the text is not UTF-8\",\"details\":[]}}".into();
        };
        crate::io::dispatch::call_with_text(&mut core, method, text, input, now_ms)
    }

    /// Runs a read-only method whose answer is text: `=` and the text, or `{"error":...}`.
    pub fn text(&self, method: &str, input: &str, now_ms: f64) -> String {
        let Ok(core) = self.core.try_borrow() else {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"an earlier call faulted; restore from the snapshot it left\",\"details\":[]}}".into();
        };
        crate::io::dispatch::call_text(&core, method, input, now_ms)
    }

    /// Reads the next piece of a snapshot's text, as UTF-8 (cut anywhere between characters):
    /// `""`, or `{"error":...}`. The text is never in wasm memory whole.
    #[wasm_bindgen(js_name = restorePiece)]
    pub fn restore_piece(&self, utf8: &[u8]) -> String {
        let Ok(mut r) = self.restoring.try_borrow_mut() else {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"an earlier restore faulted\",\"details\":[]}}".into();
        };
        // UTF-8 bytes rather than a string: the host encodes with `TextEncoder` (native code)
        // where wasm-bindgen's string passing copies in a JS loop (15% of a restore, measured).
        let Ok(text) = std::str::from_utf8(utf8) else {
            *r = None;
            return "{\"error\":{\"code\":\"INVALID_JSON\",\"message\":\"snapshot: a piece is not UTF-8\",\"details\":[]}}".into();
        };
        crate::io::dispatch::restore_piece(&mut r, &zones, text)
    }

    /// Completes the restore fed by `restorePiece`; answers as `call` does.
    #[wasm_bindgen(js_name = restoreEnd)]
    pub fn restore_end(&self) -> String {
        let (Ok(mut core), Ok(mut r)) =
            (self.core.try_borrow_mut(), self.restoring.try_borrow_mut())
        else {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"an earlier call faulted; restore from the snapshot it left\",\"details\":[]}}".into();
        };
        crate::io::dispatch::restore_end(&mut core, &mut r)
    }

    /// The snapshot as JSON text (not wrapped, it may be large).
    pub fn snapshot(&self) -> String {
        match self.core.try_borrow() {
            Ok(core) => core.snapshot(),
            Err(_) => self.rescue(),
        }
    }

    /// After a call trapped (it began and never returned), the snapshot of the state it left,
    /// written with the heap budget lifted. Writes validate before they change anything, so a
    /// fault almost always comes before the state moved; `restore` checks the text either way.
    pub fn rescue(&self) -> String {
        let limit = HEAP.limit.swap(usize::MAX, Relaxed);
        // SAFETY: the faulted call's `RefMut` died with its stack frame when the call trapped;
        // wasm32 is single-threaded, and nothing else holds a reference into `core`.
        // (`as_ptr`, as the cell still reads as borrowed.)
        let text = unsafe { &*self.core.as_ptr() }.snapshot();
        HEAP.limit.store(limit, Relaxed);
        text
    }
}
