//! Scenarios: iCalendar import, and what zones are asked.

use super::*;

use service_coordinator::io::ical_import::{ImportQuery, ImportSummary};

fn import_as(
    c: &mut Coordinator,
    text: &str,
    strict: bool,
) -> service_coordinator::base::error::Result<ImportSummary> {
    let q = ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(60),
        strict,
    };
    c.import_icalendar(text, &q, monday_morning())
}

fn import(
    c: &mut Coordinator,
    text: &str,
) -> service_coordinator::base::error::Result<ImportSummary> {
    import_as(c, text, false)
}

#[test]
fn a_technicians_own_calendar_blocks_his_time() {
    let mut c = company();
    let now = monday_morning();
    let ics = "\u{feff}BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Outlook//EN\r\nX-WR-CALNAME;X-PARAM=\"a:b;c\":Ben's calendar\r\n\
BEGIN:VEVENT\r\nUID:dentist\r\nDTSTART;TZID=America/New_York:20261124T090000\r\nDTEND;TZID=America/New_York:20261124T1\r\n 03000\r\nSUMMARY:Dentist\\, then coffee\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:kid\r\nDTSTART;VALUE=DATE:20261125\r\nSUMMARY:School play\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:gym\r\nDTSTART:20261130T140000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE:20261207T140000Z\r\nSUMMARY:Gym\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:gym\r\nRECURRENCE-ID:20261214T140000Z\r\nDTSTART:20261214T160000Z\r\nDURATION:PT1H\r\nSUMMARY:Gym (moved)\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:off\r\nDTSTART:20261130T180000Z\r\nDTEND:20261130T190000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:free\r\nDTSTART:20261130T190000Z\r\nDTEND:20261130T200000Z\r\nTRANSP:TRANSPARENT\r\nX-UNKNOWN;A=^'q^':x\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let s = import(&mut c, ics).unwrap();
    assert_eq!((s.busy, s.skipped), (5, 2)); // dentist, school play, gym x2 (4 less the EXDATE and the moved one), the moved gym
    let refused = |c: &Coordinator, t: &str| {
        c.check(&request("drain", Some("ben"), t), now)
            .unwrap()
            .violations
            .first()
            .map(|v| v.code)
    };
    assert_eq!(refused(&c, "2026-11-24T09:30"), Some(Code::TimeOff)); // the dentist, across a folded line
    assert_eq!(refused(&c, "2026-11-25T14:00"), Some(Code::TimeOff)); // all day
    assert_eq!(refused(&c, "2026-11-30T09:00"), Some(Code::TimeOff)); // the gym, 14:00Z
    assert_eq!(refused(&c, "2026-12-07T09:00"), None); // EXDATE
    assert_eq!(refused(&c, "2026-12-14T09:00"), None); // moved away by RECURRENCE-ID...
    assert_eq!(refused(&c, "2026-12-14T11:00"), Some(Code::TimeOff)); // ...to 16:00Z
    assert_eq!(refused(&c, "2026-11-30T13:00"), None); // cancelled
    assert!(c
        .provider("ben")
        .unwrap()
        .time_off
        .iter()
        .any(|t| t.reason.as_deref() == Some("Dentist, then coffee")));
}

#[test]
fn free_busy_and_availability_files_become_busy_time_and_working_hours() {
    let mut c = company();
    let now = monday_morning();
    let fb = "BEGIN:VCALENDAR\nBEGIN:VFREEBUSY\nFREEBUSY;FBTYPE=BUSY:20261124T140000Z/PT2H,20261124T190000Z/20261124T200000Z\nFREEBUSY;FBTYPE=FREE:20261124T210000Z/PT1H\nEND:VFREEBUSY\nEND:VCALENDAR\n";
    assert_eq!(import(&mut c, fb).unwrap().busy, 2);
    assert_eq!(
        c.check(&request("drain", Some("ben"), "2026-11-24T10:00"), now)
            .unwrap()
            .violations[0]
            .code,
        Code::TimeOff
    );
    let av = "BEGIN:VCALENDAR\nBEGIN:VAVAILABILITY\nUID:a\nDTSTART:20261123T000000Z\nBEGIN:AVAILABLE\nUID:b\nDTSTART;TZID=America/New_York:20261207T100000\nDTEND;TZID=America/New_York:20261207T140000\nRRULE:FREQ=WEEKLY;BYDAY=MO\nEND:AVAILABLE\nEND:VAVAILABILITY\nEND:VCALENDAR\n";
    let s = import(&mut c, av).unwrap();
    assert!(s.available_dates >= 4);
    assert_eq!(
        c.check(&request("drain", Some("ben"), "2026-12-14T09:00"), now)
            .unwrap()
            .violations[0]
            .code,
        Code::OutsideWorkingHours
    );
    assert!(
        c.check(&request("drain", Some("ben"), "2026-12-14T10:00"), now)
            .unwrap()
            .ok
    );
}

#[test]
fn broken_calendars_are_refused_with_their_line_and_import_nothing() {
    let mut c = company();
    let before = c.snapshot();
    let long = format!(
        "BEGIN:VCALENDAR\nX-BIG:{}\nEND:VCALENDAR\n",
        "x".repeat(10 << 20)
    );
    // What no reader can trust: cut short, an END closing an outer component over an open one,
    // garbage instead of content lines, a continuation of nothing, a line over 1 MB.
    for (ics, line) in [
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\n",
            2,
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\nEND:VCALENDAR\n",
            2,
        ),
        ("BEGIN:VCALENDAR\nno colon here\nEND:VCALENDAR\n", 2),
        (" continued\nBEGIN:VCALENDAR\nEND:VCALENDAR\n", 1),
        (long.as_str(), 2),
    ] {
        for strict in [false, true] {
            let err = import_as(&mut c, ics, strict).unwrap_err();
            assert_eq!(
                err.code,
                Code::InvalidICalendar,
                "{}",
                &ics[..ics.len().min(80)]
            );
            assert!(
                err.message.starts_with(&format!("line {line}:")),
                "{} -> {}",
                &ics[..ics.len().min(80)],
                err.message
            );
        }
    }
    assert_eq!(c.snapshot(), before, "nothing imported");
    // A rule that can never produce an instance imports nothing, and ends.
    let never = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\nEND:VCALENDAR\n";
    assert_eq!(import(&mut c, never).unwrap().busy, 0);
}

#[test]
fn one_bad_event_is_left_out_and_said_the_rest_imported_and_strict_refuses_the_file() {
    let mut c = company();
    let event = |uid: &str, lines: &str| format!("BEGIN:VEVENT\nUID:{uid}\n{lines}END:VEVENT\n");
    let ics = format!(
        "BEGIN:VCALENDAR\n{}{}{}{}{}{}{}{}X-ODD;=broken:value\nEND:VCALENDAR\n",
        event("good", "DTSTART:20261124T140000Z\nDURATION:PT1H\nATTENDEE;CN=\"Fay; Wu\";X-BAD=\"unclosed:mailto:fay@example.com\n"),
        event("no-such-day", "DTSTART:20261340T090000Z\n"),
        event("mars", "DTSTART;TZID=Mars/Olympus:20261124T090000\n"),
        event("bad-rule", "DTSTART:20261124T090000Z\nRRULE:FREQ=WEEKLY;BYWEEKNO=2\n"),
        event("a-year", "DTSTART:20261124T090000Z\nDURATION:P1Y\n"),
        event("backwards", "DTSTART:20261124T090000Z\nDTEND:20261124T080000Z\n"),
        event("no-start", "SUMMARY:Someday\n"),
        event("broken-start", "DTSTART;X=\"oops:20261124T090000Z\n"),
    );
    let before = c.snapshot();
    let err = import_as(&mut c, &ics, true).unwrap_err();
    assert_eq!(err.code, Code::InvalidICalendar);
    assert_eq!(c.snapshot(), before, "strict: nothing imported");
    let codes: Vec<Code> = err.details.iter().map(|d| d.code).collect();
    assert!(
        codes.contains(&Code::UnknownTimeZone) && codes.contains(&Code::InvalidRule),
        "{codes:?}"
    );
    assert!(err.message.starts_with("line 6:"), "{}", err.message); // the first by line: the attendee
    let s = import(&mut c, &ics).unwrap();
    assert_eq!((s.events, s.busy, s.skipped), (1, 1, 7));
    let why: Vec<(&str, &str)> = s
        .skips
        .iter()
        .map(|k| (k.uid.as_deref().unwrap_or(""), k.reason))
        .collect();
    assert_eq!(
        why,
        vec![
            ("no-such-day", "INVALID_TIME"),
            ("mars", "UNKNOWN_TIME_ZONE"),
            ("bad-rule", "INVALID_RULE"),
            ("a-year", "INVALID_DURATION"),
            ("backwards", "END_BEFORE_START"),
            ("no-start", "NO_DTSTART"),
            ("broken-start", "INVALID_ICALENDAR"),
        ]
    );
    assert!(s.skips.iter().all(|k| k.line > 0 && !k.message.is_empty()));
    assert_eq!(s.skips[1].line, 14, "the line of the TZID");
    // The unreadable attendee and the odd X- line are lines the import does not read: passed
    // over unread (strict reads every line, and refused them above).
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    assert!(
        err.details.iter().any(|d| d.message.contains("ATTENDEE"))
            && err
                .details
                .iter()
                .any(|d| d.message.starts_with("line 39:")),
        "{:?}",
        err.details
    );
    assert!(c
        .check(
            &request("drain", Some("ben"), "2026-11-24T09:30"),
            monday_morning()
        )
        .unwrap()
        .violations
        .iter()
        .any(|v| v.code == Code::TimeOff));
}

#[test]
fn calendars_as_they_come_bare_components_odd_zone_names_periods_and_quoting() {
    let mut c = company();
    let now = monday_morning();
    let busy_at = |c: &Coordinator, t: &str| {
        c.check(&request("drain", Some("ben"), t), now)
            .unwrap()
            .violations
            .iter()
            .any(|v| v.code == Code::TimeOff)
    };
    // A bare VEVENT (no VCALENDAR), its TZID globally unique.
    let bare = "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20261124T090000\nDURATION:PT1H\nEND:VEVENT\n";
    assert_eq!(import(&mut c, bare).unwrap().events, 1);
    assert!(busy_at(&c, "2026-11-24T09:30"));
    // Outlook's Windows name without a VTIMEZONE (CLDR maps it), quoted.
    let windows = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:b\nDTSTART;TZID=\"Eastern Standard Time\":20261124T110000\nDTEND;TZID=Eastern Standard Time:20261124T120000\nEND:VEVENT\nEND:VCALENDAR\n";
    assert_eq!(import(&mut c, windows).unwrap().events, 1);
    assert!(busy_at(&c, "2026-11-24T11:00"));
    // Floating RDATE and EXDATE read in the zone of DTSTART; an RDATE period as long as it says.
    let floating = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:c\nDTSTART:20261125T080000\nDURATION:PT30M\nRRULE:FREQ=DAILY;COUNT=3\nEXDATE:20261126T080000\nRDATE;VALUE=PERIOD:20261130T130000/PT2H\nEND:VEVENT\nEND:VCALENDAR\n";
    let s = import(&mut c, floating).unwrap();
    assert_eq!((s.events, s.busy), (1, 3)); // the 25th, the 27th, and the period
    assert!(busy_at(&c, "2026-11-25T08:00"));
    assert!(!busy_at(&c, "2026-11-26T08:00"), "EXDATE");
    assert!(
        busy_at(&c, "2026-11-30T14:30"),
        "the period, 13:00 to 15:00 New York"
    );
    // Quoted parameters with `:`, `;` and `,`, several values in one, a group prefix.
    let quoting = "BEGIN:VCALENDAR\nGROUP1.X-TEST;VALUE=TEXT:test!\nBEGIN:VEVENT\nUID:d\nORGANIZER;CN=\"Ben; the boss: himself, really\":mailto:ben@example.com\nATTENDEE;DELEGATED-TO=\"mailto:a@example.com\",\"mailto:b@example.com\":mailto:c@example.com\nDTSTART:20261201T150000Z\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n";
    let s = import(&mut c, quoting).unwrap();
    assert_eq!((s.events, s.notes.len()), (1, 0), "{:?}", s.notes);
    // A misspelt END closes what it ends, noted; strict refuses it.
    let misspelt = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:e\nDTSTART:20261202T150000Z\nEND:VEVENT\nEND:VCALENDARD\n";
    let s = import(&mut c, misspelt).unwrap();
    assert_eq!((s.events, s.notes.len()), (1, 1));
    assert!(s.notes[0].message.contains("END:VCALENDARD"));
    assert_eq!(
        import_as(&mut c, misspelt, true).unwrap_err().code,
        Code::InvalidICalendar
    );
}

#[test]
fn an_outlook_calendar_with_its_own_vtimezone_is_read_in_that_zone() {
    let mut c = company();
    let now = monday_morning();
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Eastern Standard Time\r\n\
BEGIN:STANDARD\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=\"Eastern Standard Time\":20261124T090000\r\nDTEND;TZID=\"Eastern Standard Time\":20261124T100000\r\nSUMMARY:Winter\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=Eastern Standard Time:20270601T090000\r\nDTEND;TZID=Eastern Standard Time:20270601T100000\r\nSUMMARY:Summer\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let q = ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(400),
        ..Default::default()
    };
    // Outlook's onsets in 1601 are read from 1900 on; the zone works in winter and in summer.
    c.import_icalendar(ics, &q, now).unwrap();
    let off: Vec<(String, String)> = c
        .provider("ben")
        .unwrap()
        .time_off
        .iter()
        .map(|t| (t.start.to_string(), t.end.to_string()))
        .collect();
    assert!(
        off.contains(&("2026-11-24T14:00:00Z".into(), "2026-11-24T15:00:00Z".into())),
        "{off:?}"
    );
    assert!(
        off.contains(&("2027-06-01T13:00:00Z".into(), "2027-06-01T14:00:00Z".into())),
        "{off:?}"
    );
    // The file's zone is gone once the import ends.
    assert!(c
        .upsert_provider(from(
            json!({ "id": "x", "name": "X", "timeZone": "Eastern Standard Time" })
        ))
        .is_err());
}

#[test]
fn a_recurring_event_in_the_files_own_zone_expands_in_that_zone() {
    let mut c = company();
    let ics = "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:My Office\nBEGIN:STANDARD\nDTSTART:16011104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:standup\nDTSTART;TZID=My Office:20261026T090000\nDURATION:PT30M\nRRULE:FREQ=WEEKLY;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n";
    let q = ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(60),
        ..Default::default()
    };
    let now = at("2026-10-01T12:00:00Z");
    assert_eq!(c.import_icalendar(ics, &q, now).unwrap().busy, 3);
    let starts: Vec<String> = c
        .provider("ben")
        .unwrap()
        .time_off
        .iter()
        .map(|t| t.start.to_string())
        .collect();
    // 09:00 in the file's zone on each Monday, across its fall-back of 2026-11-01.
    assert_eq!(
        starts,
        vec![
            "2026-10-26T13:00:00Z",
            "2026-11-02T14:00:00Z",
            "2026-11-09T14:00:00Z"
        ]
    );
}

/// The company on chrono-tz zones, with a count of the questions its zone source is asked:
/// (questions, unknown names). In wasm the source is the host's `Intl`, a crossing into JS each.
fn counted_company() -> (Coordinator, std::rc::Rc<std::cell::Cell<(u32, u32)>>) {
    use service_coordinator::time::native_tz::ChronoTz;
    use service_coordinator::time::zone::{OffsetSource, Zones};
    struct Counting(std::rc::Rc<std::cell::Cell<(u32, u32)>>);
    impl OffsetSource for Counting {
        fn offset(&self, zone: &str, utc: Instant) -> Option<i32> {
            let answer = ChronoTz.offset(zone, utc);
            let (asked, unknown) = self.0.get();
            self.0
                .set((asked + 1, unknown + u32::from(answer.is_none())));
            answer
        }
    }
    let count = std::rc::Rc::default();
    let c = hvac_company(Zones::new(Box::new(Counting(std::rc::Rc::clone(&count)))));
    count.set((0, 0));
    (c, count)
}

/// Zone tables are built once per zone and span and then cached: a month of slots for every
/// technician, free/busy, a check and a booking in that month ask the zone source nothing more.
#[test]
fn queries_read_cached_zone_tables_not_the_zone_source_per_slot() {
    let (mut c, count) = counted_company();
    let q = AvailabilityQuery {
        service_id: "ac-check".into(),
        from: when("2026-11-23"),
        to: when("2026-12-23"),
        ..Default::default()
    };
    let warm = c.availability(&q, monday_morning()).unwrap();
    assert!(warm.slots.len() > 100);
    assert!(count.get().0 > 0, "the first query builds the tables");
    count.set((0, 0));
    assert_eq!(c.availability(&q, monday_morning()).unwrap(), warm);
    let fb = FreeBusyQuery {
        from: when("2026-11-23"),
        to: when("2026-12-23"),
        ..Default::default()
    };
    c.free_busy(&fb, monday_morning()).unwrap();
    let req = request("ac-check", None, "2026-12-01T09:00");
    assert!(c.check(&req, monday_morning()).unwrap().ok);
    c.book(req, monday_morning()).unwrap();
    assert_eq!(count.get(), (0, 0));
}

/// The zone source (the host's `Intl` in wasm, where an unknown name costs a thrown exception) is
/// asked while a zone's table is built, not once per imported event, and never about a zone the
/// file defines itself. Asking it per event made a 1 MB import six times slower in wasm.
#[test]
fn an_import_asks_the_zone_source_per_zone_not_per_event() {
    let asked = |events: usize| {
        let mut ics = String::from("BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:My Office\nBEGIN:STANDARD\nDTSTART:16011104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n");
        for i in 0..events {
            let zone = if i % 2 == 0 {
                "My Office"
            } else {
                "America/New_York"
            };
            ics += &format!("BEGIN:VEVENT\nUID:ev-{i}\nDTSTART;TZID={zone}:202612{:02}T{:02}0000\nDURATION:PT30M\nEND:VEVENT\n", 1 + i % 28, 8 + i % 9);
        }
        ics += "END:VCALENDAR\n";
        let (mut c, count) = counted_company();
        assert_eq!(import(&mut c, &ics).unwrap().busy as usize, events);
        count.get()
    };
    let (few, many) = (asked(10), asked(400));
    assert_eq!(
        (few.1, many.1),
        (0, 0),
        "no question about a name the file defines"
    );
    assert_eq!(few.0, many.0, "as many questions for 400 events as for 10");
}

/// An on-site visit exported to a calendar says where it is: LOCATION for people, GEO for maps.
#[test]
fn an_on_site_visit_exports_its_place() {
    let mut c = company();
    let mut r = request("boiler-service", Some("ana"), "2026-11-24T15:00");
    r.client_ids = vec!["c-1".into()];
    r.location = Some(from(
        json!({ "lat": 40.787, "lng": -73.9754, "address": "12 W 82nd St, New York; apt 3" }),
    ));
    c.book(r, monday_morning()).unwrap();
    let text = c
        .export_icalendar(&Default::default(), monday_morning())
        .unwrap();
    assert!(
        text.contains("LOCATION:12 W 82nd St\\, New York\\; apt 3\r\n"),
        "{text}"
    );
    assert!(text.contains("GEO:40.787;-73.9754\r\n"), "{text}");
    // A visit at the company's premises has no place of its own.
    assert_eq!(text.matches("LOCATION:").count(), 1);
}

#[test]
fn an_import_past_the_providers_bound_on_time_off_is_refused_whole() {
    let mut c = company();
    let before = c.snapshot();
    // Two events of 6,000 half-hour instances each: within each event's bound, past the
    // provider's 10,000 spans of time off together.
    let event = |uid: &str| {
        format!("BEGIN:VEVENT\nUID:{uid}\nDTSTART:20261124T000000Z\nDURATION:PT10M\nRRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=6000\nEND:VEVENT\n")
    };
    let ics = format!(
        "BEGIN:VCALENDAR\n{}{}END:VCALENDAR\n",
        event("a"),
        event("b")
    );
    let q = ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(400),
        ..Default::default()
    };
    let err = c.import_icalendar(&ics, &q, monday_morning()).unwrap_err();
    assert_eq!(err.code, Code::TooLarge, "{}", err.message);
    assert!(err.message.contains("12000 busy spans"), "{}", err.message);
    assert_eq!(c.snapshot(), before);
}
