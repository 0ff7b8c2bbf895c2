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

use crate::coordinator::{parse_json, Coordinator};
use crate::error::{Code, Error, Result};
use crate::json::{self, FromJson, Json, ToJson};
use crate::model::*;
use crate::time::{Instant, DAY};
use crate::zone::{OffsetSource, Zones};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::{Cell, RefCell};
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

/// `[bytes in use, budget]` of this module's heap.
#[wasm_bindgen(js_name = heapUsage)]
pub fn heap_usage() -> Vec<f64> {
    vec![
        HEAP.used.load(Relaxed) as f64,
        HEAP.limit.load(Relaxed) as f64,
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
        let secs = zone_offset(zone, utc as f64 * 1000.0);
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
/// shared, not exclusive, so `snapshot` and `rescue` still answer. `busy` tells that a call
/// began and never ended.
#[wasm_bindgen]
pub struct Engine {
    core: RefCell<Coordinator>,
    busy: Cell<bool>,
}

fn json<T: ToJson + ?Sized>(value: &T) -> Result<String> {
    Ok(json::to_string(value))
}

fn args<T: FromJson>(text: &str, method: &str) -> Result<T> {
    parse_json(text, method)
}

/// Reads an argument array of `sizes` items (`[id, options]`, `[id, status, options?]`).
fn with_items<R>(
    text: &str,
    method: &str,
    sizes: std::ops::RangeInclusive<usize>,
    read: impl FnOnce(&[Json<'_>]) -> json::JResult<R>,
) -> Result<R> {
    let doc = json::parse(text).map_err(|e| e.into_error(method))?;
    let items = doc.items().map_err(|e| e.into_error(method))?;
    if !sizes.contains(&items.len()) {
        return Err(Error::new(
            Code::InvalidJson,
            format!("{method}: expected {} arguments", sizes.end()),
        ));
    }
    read(items).map_err(|e| e.into_error(method))
}

/// `now` arrives as milliseconds since the epoch from the JS clock (or the host's fixed `now`).
fn instant(ms: f64) -> Result<Instant> {
    // 1900-01-01 ..= 2200-12-31
    if !ms.is_finite() || !(-2_208_988_800_000.0..=7_289_654_400_000.0).contains(&ms) {
        return Err(Error::new(
            Code::InvalidTime,
            "`now` must be a valid time between 1900 and 2200",
        ));
    }
    Ok((ms / 1000.0).floor() as Instant)
}

#[wasm_bindgen]
impl Engine {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        // `configure` then sets the host's zone.
        Engine {
            core: RefCell::new(Coordinator::utc(zones())),
            busy: Cell::new(false),
        }
    }

    /// Runs `method` with JSON `input`; answers `{"ok":...,"changes":[...]}` or `{"error":...}`.
    pub fn call(&self, method: &str, input: &str, now_ms: f64) -> String {
        let Ok(mut core) = self.core.try_borrow_mut() else {
            return "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"an earlier call faulted; restore from the snapshot it left\",\"details\":[]}}".into();
        };
        self.busy.set(true);
        let answer = match dispatch(&mut core, method, input, now_ms) {
            Ok(ok) => {
                let changes = json(&core.take_changes()).unwrap_or_else(|_| "[]".into());
                format!("{{\"ok\":{ok},\"changes\":{changes}}}")
            }
            Err(e) => {
                core.take_changes();
                let body = json(&e).unwrap_or_else(|_| {
                    "{\"code\":\"INTERNAL\",\"message\":\"error\",\"details\":[]}".into()
                });
                format!("{{\"error\":{body}}}")
            }
        };
        self.busy.set(false);
        answer
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

    /// Whether a call began and never ended (it trapped).
    pub fn faulted(&self) -> bool {
        self.busy.get()
    }
}

/// The largest input one call reads (a snapshot, which carries the whole state, aside): a bound
/// on the memory and the parsing work a call can cause.
const MAX_INPUT: usize = 16 << 20;

fn dispatch(c: &mut Coordinator, method: &str, input: &str, now_ms: f64) -> Result<String> {
    if input.len() > MAX_INPUT && method != "restore" {
        return Err(Error::new(
            Code::TooLarge,
            format!(
                "{method}: the input is {} bytes, more than the {MAX_INPUT} a call reads",
                input.len()
            ),
        ));
    }
    let now = || instant(now_ms);
    match method {
        "configure" => {
            let zone: String = args(input, method)?;
            let fresh = Coordinator::new(zones(), &zone)?;
            if c.is_empty() {
                *c = fresh;
                json(&zone)
            } else {
                Err(Error::input("configure an empty coordinator only"))
            }
        }
        "restore" => {
            // Grow the heap once, up front: growing it in the allocator's small steps makes
            // V8 run a GC on each of thousands of `memory.grow`s (13 s instead of 1 s for
            // 100,000 bookings). The block stays with the allocator as free space.
            // `try_reserve`: a huge input must not abort the instance when the reservation fails.
            let _ = Vec::<u8>::new().try_reserve(input.len().saturating_mul(3));
            *c = Coordinator::restore(zones(), input)?;
            json(&c.time_zone())
        }
        "upsertProvider" => json(&c.upsert_provider(args(input, method)?)?),
        "upsertService" => json(&c.upsert_service(args(input, method)?)?),
        "upsertResource" => json(&c.upsert_resource(args(input, method)?)?),
        "upsertClient" => json(&c.upsert_client(args(input, method)?)?),
        "removeProvider" => c
            .remove_provider(&args::<String>(input, method)?, now()?)
            .map(|_| "null".into()),
        "removeService" => c
            .remove_service(&args::<String>(input, method)?, now()?)
            .map(|_| "null".into()),
        "removeResource" => c
            .remove_resource(&args::<String>(input, method)?, now()?)
            .map(|_| "null".into()),
        "removeClient" => c
            .remove_client(&args::<String>(input, method)?, now()?)
            .map(|_| "null".into()),
        "providers" => json(&c.providers().collect::<Vec<_>>()),
        "services" => json(&c.services().collect::<Vec<_>>()),
        "resources" => json(&c.resources().collect::<Vec<_>>()),
        "clients" => json(&c.clients().collect::<Vec<_>>()),
        "archived" => json(c.archived()),
        "booking" => {
            let id: String = args(input, method)?;
            json(
                &c.booking(&id)
                    .ok_or_else(|| Error::unknown("booking", &id))?,
            )
        }
        "bookings" => {
            let f: BookingFilter = args(input, method)?;
            let list = c.bookings(&f)?;
            json(
                &list
                    .into_iter()
                    .map(|booking| Listed {
                        booking,
                        history: !f.without_history,
                    })
                    .collect::<Vec<_>>(),
            )
        }
        "availability" => json(&c.availability(&args(input, method)?, now()?)?),
        "freeBusy" => json(&c.free_busy(&args(input, method)?, now()?)?),
        "check" => json(&c.check(&args(input, method)?, now()?)?),
        "explain" => json(&c.explain(&args(input, method)?, now()?)?),
        "alternatives" => json(&c.alternatives(&args(input, method)?, now()?)?),
        "book" => json(&c.book(args(input, method)?, now()?)?),
        "hold" => {
            let (req, minutes) = with_items(input, method, 1..=2, |a| {
                let minutes = a.get(1).map(u32::from_json).transpose()?;
                Ok((BookingRequest::from_json(&a[0])?, minutes.unwrap_or(10)))
            })?;
            json(&c.hold(req, minutes, now()?)?)
        }
        "confirmHold" => {
            let (id, opts) = with_items(input, method, 2..=2, |a| {
                Ok((String::from_json(&a[0])?, ConfirmHold::from_json(&a[1])?))
            })?;
            json(&c.confirm_hold(&id, opts, now()?)?)
        }
        "releaseHold" => {
            let (id, opts) = with_items(input, method, 2..=2, |a| {
                Ok((String::from_json(&a[0])?, WriteOptions::from_json(&a[1])?))
            })?;
            json(&c.release_hold(&id, opts, now()?)?)
        }
        "atRisk" => json(&c.at_risk(&args(input, method)?, now()?)?),
        "checkReschedule" => {
            let (id, changes) = with_items(input, method, 2..=2, |a| {
                Ok((String::from_json(&a[0])?, Reschedule::from_json(&a[1])?))
            })?;
            json(&c.check_reschedule(&id, &changes, now()?)?)
        }
        "planRepair" => json(&c.plan_repair(args(input, method)?, now()?)?),
        "planUrgent" => json(&c.plan_urgent(args(input, method)?, now()?)?),
        "waitlistAdd" => json(&c.waitlist_add(args(input, method)?, now()?)?),
        "waitlistRemove" => c
            .waitlist_remove(&args::<String>(input, method)?)
            .map(|_| "null".into()),
        "waitlist" => json(&c.waitlist().collect::<Vec<_>>()),
        "waitlistOffers" => json(&c.waitlist_offers(now()?)?),
        "parseRule" => json(&crate::rrule::Rule::parse(&args::<String>(input, method)?)?),
        "expand" => {
            let q: crate::rrule::ExpandQuery = args(input, method)?;
            let zone = q
                .time_zone
                .clone()
                .unwrap_or_else(|| c.time_zone().to_string());
            let instants = crate::rrule::expand(&c.zones, &zone, &q)?;
            let mut w = crate::json::Writer::default();
            w.begin_arr();
            for t in instants {
                w.raw("\"");
                crate::time::write_time(&mut w.out, t, 0);
                w.out.push('"');
            }
            w.end_arr();
            Ok(w.out)
        }
        "checkSeries" => json(&c.check_series(&args(input, method)?, now()?)?),
        "bookSeries" => json(&c.book_series(&args(input, method)?, now()?)?),
        "cancelSeries" => {
            let (id, ch) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(&a[0])?,
                    crate::series::SeriesChange::from_json(&a[1])?,
                ))
            })?;
            json(&c.cancel_series(&id, &ch, now()?)?)
        }
        "rescheduleSeries" => {
            let (id, ch) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(&a[0])?,
                    crate::series::SeriesChange::from_json(&a[1])?,
                ))
            })?;
            json(&c.reschedule_series(&id, &ch, now()?)?)
        }
        "importICalendar" => {
            let (text, q) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(&a[0])?,
                    crate::ical::ImportQuery::from_json(&a[1])?,
                ))
            })?;
            json(&c.import_icalendar(&text, &q, now()?)?)
        }
        "exportICalendar" => json(&c.export_icalendar(&args(input, method)?, now()?)?),
        "applyPlan" => json(&c.apply_plan(&args::<String>(input, method)?, now()?)?),
        "reschedule" => {
            let (id, changes) = with_items(input, method, 2..=2, |a| {
                Ok((String::from_json(&a[0])?, Reschedule::from_json(&a[1])?))
            })?;
            json(&c.reschedule(&id, changes, now()?)?)
        }
        "cancel" => {
            let (id, opts) = with_items(input, method, 2..=2, |a| {
                Ok((String::from_json(&a[0])?, WriteOptions::from_json(&a[1])?))
            })?;
            json(&c.cancel(&id, opts, now()?)?)
        }
        "setStatus" => {
            let (id, status, opts) = with_items(input, method, 2..=3, |a| {
                let opts = a.get(2).map(WriteOptions::from_json).transpose()?;
                Ok((
                    String::from_json(&a[0])?,
                    Status::from_json(&a[1])?,
                    opts.unwrap_or_default(),
                ))
            })?;
            json(&c.set_status(&id, status, opts, now()?)?)
        }
        other => Err(Error::input(format!(
            "unknown method `{}`",
            crate::time::clip(other)
        ))),
    }
}
