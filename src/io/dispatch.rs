//! The JSON boundary every shell shares: a method name and its JSON input in, an answer out,
//! `{"ok":...,"changes":[...]}` or `{"error":{code,message,details}}`. The wasm module calls it
//! for the JS API; natively it serves a server (the same rules, the same wire format) and the
//! fuzz targets, which drive exactly what a page drives.

use crate::base::error::{Code, Error, Result};
use crate::json::{self, FromJson, Json, ToJson};
use crate::model::*;
use crate::state::{parse_json, Change, Coordinator, Restore};
use crate::time::zone::Zones;
use crate::time::Instant;

/// Runs `method` with JSON `input` on `c` at `now_ms` (milliseconds since the epoch, as a JS
/// clock gives them); `zones` makes the zone cache for `configure` and `restore`. The changes the
/// call made travel with its answer; a refused call's are dropped (it made none).
pub fn call(
    c: &mut Coordinator,
    zones: &dyn Fn() -> Zones,
    method: &str,
    input: &str,
    now_ms: f64,
) -> String {
    call_with(c, zones, method, input, now_ms, &mut |_, _| {})
}

/// `call`, also showing each change the call made, with its JSON, to `seen` (a server keeps
/// them in its database, and guards the time of the bookings among them).
pub fn call_with(
    c: &mut Coordinator,
    zones: &dyn Fn() -> Zones,
    method: &str,
    input: &str,
    now_ms: f64,
    seen: &mut dyn FnMut(&Change, &str),
) -> String {
    let done = dispatch(c, zones, method, input, now_ms);
    answer(c, done, seen)
}

/// Runs a method whose first argument is large text (`importICalendar`): the text as it is, the
/// rest as JSON (`input`), answered as `call` answers. A calendar of megabytes then crosses
/// without being escaped into JSON and parsed back (`call` with `[text, options]` is the same).
pub fn call_with_text(
    c: &mut Coordinator,
    method: &str,
    text: &str,
    input: &str,
    now_ms: f64,
) -> String {
    let _ = (text, now_ms);
    let done = if text.len() + input.len() > MAX_INPUT {
        Err(Error::new(
            Code::TooLarge,
            format!(
                "{method}: the input is {} bytes, more than the {MAX_INPUT} a call reads",
                text.len() + input.len()
            ),
        ))
    } else {
        match method {
            #[cfg(feature = "console")]
            "importICalendar" => args(input, method)
                .and_then(|q| c.import_icalendar(text, &q, instant(now_ms)?))
                .and_then(|s| json(&s)),
            #[cfg(not(feature = "console"))]
            other if CONSOLE_ONLY.contains(&other) => Err(console_only(other)),
            other => Err(Error::input(format!(
                "`{}` takes no text argument",
                crate::base::error::clip(other)
            ))),
        }
    };
    answer(c, done, &mut |_, _| {})
}

/// A call's answer: `{"ok":...,"changes":[...]}` with each change shown to `seen`, or
/// `{"error":...}`.
fn answer(
    c: &mut Coordinator,
    done: Result<String>,
    seen: &mut dyn FnMut(&Change, &str),
) -> String {
    match done {
        Ok(ok) => {
            // Each change's JSON is written once: into the answer and the log `changesSince` reads.
            let changes: Vec<(u64, String)> = c
                .take_changes()
                .iter()
                .map(|x| {
                    let text = json::to_string(x);
                    seen(x, &text);
                    (x.version, text)
                })
                .collect();
            let mut out = format!("{{\"ok\":{ok},\"changes\":[");
            for (i, (_, text)) in changes.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(text);
            }
            out.push_str("]}");
            c.log_changes(changes);
            out
        }
        Err(e) => {
            c.take_changes();
            format!("{{\"error\":{}}}", json::to_string(&e))
        }
    }
}

/// Runs a read-only method whose answer is text (`visitsCsv`): the text itself behind a `=`, or
/// `{"error":...}`. Large text (a year's CSV is tens of megabytes) then crosses to JS as it is,
/// without being escaped into JSON and parsed back.
pub fn call_text(c: &Coordinator, method: &str, input: &str, now_ms: f64) -> String {
    let _ = (c, input, now_ms);
    #[cfg_attr(not(feature = "console"), allow(unused_mut))]
    let mut out = String::from("=");
    let answer: Result<()> = match method {
        #[cfg(feature = "console")]
        "visitsCsv" => args(input, method).and_then(|q| c.write_visits_csv(&q, &mut out)),
        other => Err(Error::input(format!(
            "`{}` does not answer text (in this build)",
            crate::base::error::clip(other)
        ))),
    };
    match answer {
        Ok(()) => out,
        Err(e) => format!("{{\"error\":{}}}", json::to_string(&e)),
    }
}

/// Reads the next piece of a snapshot into the restore under way in `r` (begun on the first
/// piece): `""`, or `{"error":...}`, after which the restore is dropped and `c` is as it was.
pub fn restore_piece(r: &mut Option<Restore>, zones: &dyn Fn() -> Zones, text: &str) -> String {
    let restore = r.get_or_insert_with(|| Restore::new(zones()));
    match restore.feed(text) {
        Ok(()) => String::new(),
        Err(e) => {
            *r = None;
            format!("{{\"error\":{}}}", json::to_string(&e))
        }
    }
}

/// Completes the restore under way: `c` becomes the snapshot's coordinator, answered as `call`
/// answers (`{"ok":zone,"changes":[]}`), or stays as it was with `{"error":...}`.
pub fn restore_end(c: &mut Coordinator, r: &mut Option<Restore>) -> String {
    let done = match r.take() {
        Some(restore) => restore.finish(),
        None => Err(Error::input("restore: no snapshot text was given")),
    };
    match done {
        Ok(fresh) => {
            *c = fresh;
            format!(
                "{{\"ok\":{},\"changes\":[]}}",
                json::to_string(&c.time_zone())
            )
        }
        Err(e) => format!("{{\"error\":{}}}", json::to_string(&e)),
    }
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

/// Argument `i` of an argument array (`with_items` has checked how many there are).
fn arg<'a, 'b>(items: &'a [Json<'b>], i: usize) -> json::JResult<&'a Json<'b>> {
    items
        .get(i)
        .ok_or_else(|| json::JsonError::new(format!("argument {} is missing", i + 1)))
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
    Ok(Instant::from_secs((ms / 1000.0).floor() as i64))
}

/// The methods that answer without changing anything (a server serves them without a
/// transaction). `read_methods_change_nothing` in the tests holds this list to it.
pub const READS: [&str; 34] = [
    "changeVersion",
    "providers",
    "services",
    "resources",
    "clients",
    "archived",
    "booking",
    "bookings",
    "travel",
    "availability",
    "freeBusy",
    "check",
    "explain",
    "alternatives",
    "atRisk",
    "checkReschedule",
    "planRepair",
    "planUrgent",
    "waitlist",
    "workOrders",
    "dayProblem",
    "waitlistOffers",
    "parseRule",
    "expand",
    "checkSeries",
    "exportICalendar",
    "followUps",
    "billing",
    "timeEntries",
    "metrics",
    "timesheet",
    "invoice",
    "visitsCsv",
    "fhir",
];

#[cfg(not(feature = "console"))]
fn console_only(method: &str) -> Error {
    Error::input(format!(
        "`{method}` is in the console build of the engine; this is the booking page's build"
    ))
}

/// What only the console build answers (the booking page's build leaves them and their code out).
#[cfg(not(feature = "console"))]
const CONSOLE_ONLY: [&str; 40] = [
    "importBookings",
    "explain",
    "alternatives",
    "atRisk",
    "checkReschedule",
    "planRepair",
    "planUrgent",
    "waitlistAdd",
    "waitlistRemove",
    "waitlist",
    "waitlistOffers",
    "parseRule",
    "expand",
    "checkSeries",
    "bookSeries",
    "cancelSeries",
    "rescheduleSeries",
    "importICalendar",
    "exportICalendar",
    "applyPlan",
    "upsertWorkOrder",
    "removeWorkOrder",
    "workOrders",
    "commitDayPlan",
    "updateVisit",
    "followUps",
    "closeFollowUp",
    "setBilling",
    "billing",
    "timeEntries",
    "addTimeEntry",
    "updateTimeEntry",
    "removeTimeEntry",
    "approveTimeEntries",
    "correctTimeEntry",
    "metrics",
    "timesheet",
    "invoice",
    "visitsCsv",
    "fhir",
];

/// The largest input one call reads (a snapshot, which carries the whole state, aside): a bound
/// on the memory and the parsing work a call can cause.
const MAX_INPUT: usize = 16 << 20;

fn dispatch(
    c: &mut Coordinator,
    zones: &dyn Fn() -> Zones,
    method: &str,
    input: &str,
    now_ms: f64,
) -> Result<String> {
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
        "changeVersion" => json(&c.change_version()),
        "changesSince" => c.changes_since(args(input, method)?),
        "applyChanges" => {
            let doc = json::parse(input).map_err(|e| e.into_error(method))?;
            let items = doc.items().map_err(|e| e.into_error(method))?;
            json(&c.apply_changes(items)?)
        }
        "restore" => {
            *c = Coordinator::restore(zones(), input)?;
            json(&c.time_zone())
        }
        "upsertProvider" => json(&c.upsert_provider(args(input, method)?)?),
        "upsertService" => json(&c.upsert_service(args(input, method)?)?),
        "upsertResource" => json(&c.upsert_resource(args(input, method)?)?),
        "upsertClient" => json(&c.upsert_client(args(input, method)?)?),
        "setTravel" => json(&c.set_travel(args(input, method)?)?),
        "travel" => json(c.travel()),
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
            let list = c.bookings(&f, now()?)?;
            json(
                &list
                    .into_iter()
                    .map(|booking| Listed {
                        booking,
                        history: f.history,
                    })
                    .collect::<Vec<_>>(),
            )
        }
        "availability" => json(&c.availability(&args(input, method)?, now()?)?),
        "freeBusy" => json(&c.free_busy(&args(input, method)?, now()?)?),
        "check" => json(&c.check(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "explain" => json(&c.explain(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "alternatives" => json(&c.alternatives(&args(input, method)?, now()?)?),
        "book" => json(&c.book(args(input, method)?, now()?)?),
        "hold" => {
            let (req, minutes) = with_items(input, method, 1..=2, |a| {
                let minutes = a.get(1).map(u32::from_json).transpose()?;
                Ok((
                    BookingRequest::from_json(arg(a, 0)?)?,
                    minutes.unwrap_or(10),
                ))
            })?;
            json(&c.hold(req, minutes, now()?)?)
        }
        "confirmHold" => {
            let (id, opts) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    ConfirmHold::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.confirm_hold(&id, opts, now()?)?)
        }
        "releaseHold" => {
            let (id, opts) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    WriteOptions::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.release_hold(&id, opts, now()?)?)
        }
        #[cfg(feature = "console")]
        "atRisk" => json(&c.at_risk(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "checkReschedule" => {
            let (id, changes) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    Reschedule::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.check_reschedule(&id, &changes, now()?)?)
        }
        #[cfg(feature = "console")]
        "planRepair" => json(&c.plan_repair(args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "planUrgent" => json(&c.plan_urgent(args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "importBookings" => json(&c.import_bookings(args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "waitlistAdd" => json(&c.waitlist_add(args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "waitlistRemove" => c
            .waitlist_remove(&args::<String>(input, method)?)
            .map(|_| "null".into()),
        #[cfg(feature = "console")]
        "waitlist" => json(&c.waitlist().collect::<Vec<_>>()),
        #[cfg(feature = "console")]
        "upsertWorkOrder" => json(&c.upsert_work_order(args(input, method)?)?),
        #[cfg(feature = "console")]
        "removeWorkOrder" => c
            .remove_work_order(&args::<String>(input, method)?)
            .map(|_| "null".into()),
        #[cfg(feature = "console")]
        "workOrders" => json(&c.work_orders().collect::<Vec<_>>()),
        // The booking page asks it too: where an on-site visit could go (arrival windows).
        "dayProblem" => json(&c.day_problem(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "commitDayPlan" => json(&c.commit_day_plan(args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "waitlistOffers" => json(&c.waitlist_offers(now()?)?),
        #[cfg(feature = "console")]
        "parseRule" => json(&crate::time::rrule::Rule::parse(&args::<String>(
            input, method,
        )?)?),
        #[cfg(feature = "console")]
        "expand" => {
            let q: crate::time::rrule::ExpandQuery = args(input, method)?;
            let zone = q
                .time_zone
                .clone()
                .unwrap_or_else(|| c.time_zone().to_string());
            let instants = crate::time::rrule::expand(&c.zones, &zone, &q)?;
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
        #[cfg(feature = "console")]
        "checkSeries" => json(&c.check_series(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "bookSeries" => json(&c.book_series(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "cancelSeries" => {
            let (id, ch) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::planning::series::SeriesChange::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.cancel_series(&id, &ch, now()?)?)
        }
        #[cfg(feature = "console")]
        "rescheduleSeries" => {
            let (id, ch) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::planning::series::SeriesChange::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.reschedule_series(&id, &ch, now()?)?)
        }
        #[cfg(feature = "console")]
        "importICalendar" => {
            let (text, q) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::io::ical_import::ImportQuery::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.import_icalendar(&text, &q, now()?)?)
        }
        #[cfg(feature = "console")]
        "exportICalendar" => json(&c.export_icalendar(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "applyPlan" => json(&c.apply_plan(&args::<String>(input, method)?, now()?)?),
        "reschedule" => {
            let (id, changes) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    Reschedule::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.reschedule(&id, changes, now()?)?)
        }
        "cancel" => {
            let (id, opts) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    WriteOptions::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.cancel(&id, opts, now()?)?)
        }
        #[cfg(feature = "console")]
        "updateVisit" => {
            let (id, update) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::model::VisitUpdate::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.update_visit(&id, update, now()?)?)
        }
        #[cfg(feature = "console")]
        "followUps" => json(&c.follow_ups(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "closeFollowUp" => {
            let (id, close) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::planning::followups::CloseFollowUp::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.close_follow_up(&id, close, now()?)?)
        }
        #[cfg(feature = "console")]
        "setBilling" => json(&c.set_billing(args(input, method)?)?),
        #[cfg(feature = "console")]
        "billing" => json(c.billing()),
        #[cfg(feature = "console")]
        "timeEntries" => json(&c.time_entries().collect::<Vec<_>>()),
        #[cfg(feature = "console")]
        "addTimeEntry" => json(&c.add_time_entry(args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "updateTimeEntry" => {
            let (id, change) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::model::billing::TimeEntryInput::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.update_time_entry(&id, change, now()?)?)
        }
        #[cfg(feature = "console")]
        "removeTimeEntry" => c
            .remove_time_entry(&args::<String>(input, method)?)
            .map(|_| "null".into()),
        #[cfg(feature = "console")]
        "approveTimeEntries" => {
            json(&c.approve_time_entries(&args::<Vec<String>>(input, method)?, now()?)?)
        }
        #[cfg(feature = "console")]
        "correctTimeEntry" => {
            let (id, change) = with_items(input, method, 2..=2, |a| {
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    crate::model::billing::TimeEntryInput::from_json(arg(a, 1)?)?,
                ))
            })?;
            json(&c.correct_time_entry(&id, change, now()?)?.to_vec())
        }
        #[cfg(feature = "console")]
        "metrics" => json(&c.metrics(&args(input, method)?, now()?)?),
        #[cfg(feature = "console")]
        "timesheet" => json(&c.timesheet(&args(input, method)?)?),
        #[cfg(feature = "console")]
        "invoice" => json(&c.invoice(&args::<String>(input, method)?)?),
        #[cfg(feature = "console")]
        "visitsCsv" => json(&c.visits_csv(&args(input, method)?)?), // also `call_text`
        #[cfg(feature = "console")]
        "fhir" => c.fhir(&args(input, method)?, now()?),
        "setStatus" => {
            let (id, status, opts) = with_items(input, method, 2..=3, |a| {
                let opts = a.get(2).map(WriteOptions::from_json).transpose()?;
                Ok((
                    String::from_json(arg(a, 0)?)?,
                    Status::from_json(arg(a, 1)?)?,
                    opts.unwrap_or_default(),
                ))
            })?;
            json(&c.set_status(&id, status, opts, now()?)?)
        }
        #[cfg(not(feature = "console"))]
        other if CONSOLE_ONLY.contains(&other) => Err(console_only(other)),
        other => Err(Error::input(format!(
            "unknown method `{}`",
            crate::base::error::clip(other)
        ))),
    }
}
