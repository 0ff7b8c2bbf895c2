//! What happened at a visit, and what a service asks of it: the visit record a booking carries
//! (actual times with their history, outcome, work notes, parts, signature, checklist,
//! satisfaction, follow-ups closed), and the service's checklist, protocol, follow-up rules and
//! cancellation window.
//!
//! Money is integer minor units (cents) everywhere: `unitPriceMinor`, `rateMinor`, `priceMinor`.

use super::{check_len, check_name, check_text, Status};
use crate::base::error::{clip, Code, Error, Result};
use crate::json::{named, record};
use crate::time::{Instant, When};

named! {
    /// What the visit achieved. `not_done` needs a reason (`outcomeReason`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Outcome as "an outcome" {
        Resolved = "resolved",
        PartiallyResolved = "partially_resolved",
        NeedsFollowUp = "needs_follow_up",
        Escalated = "escalated",
        NotDone = "not_done",
    }
}

impl Outcome {
    /// Whether the client needs another visit for the same job (a return follow-up falls due).
    pub fn needs_return(self) -> bool {
        matches!(self, Outcome::PartiallyResolved | Outcome::NeedsFollowUp)
    }
}

named! {
    /// Who did something (cancelled a booking).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Party as "a party" {
        Client = "client",
        Provider = "provider",
        Staff = "staff",
    }
}

/// The most parts one visit lists, checklist items one service has, follow-up rules it has.
pub const MAX_PARTS: usize = 200;
pub const MAX_CHECKLIST: usize = 100;
pub const MAX_FOLLOW_UP_RULES: usize = 20;
/// Parts' quantities and prices: a line is at most 10^5 x 10^9 minor units, so no sum of a year's
/// visits comes near `i64`'s range.
pub const MAX_QUANTITY: u32 = 100_000;
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000;
/// A signature's path text: a few hundred strokes.
pub const MAX_SIGNATURE: usize = 65_536;
/// Edits of a visit's actual times kept in its history.
pub const MAX_TIME_EDITS: usize = 100;

record! {
    /// A part or material used: `quantity` of `item` at `unitPriceMinor` each.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Part {
        item: String = "item" req,
        quantity: u32 = "quantity" (or 1),
        unit_price_minor: i64 = "unitPriceMinor" (or 0),
    }
}

impl Part {
    pub fn total_minor(&self) -> i64 {
        i64::from(self.quantity) * self.unit_price_minor
    }
}

record! {
    /// The client's signature as drawn in the element: SVG path data (`M10 20 L30 40 ...`), in a
    /// box of `width` x `height`, with who signed and when.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Signature {
        path: String = "path" req,
        width: u32 = "width" (or 300),
        height: u32 = "height" (or 100),
        signed_by: Option<String> = "signedBy" opt,
        /// Set by the engine when the signature is recorded.
        signed_at: Option<Instant> = "signedAt" opt_time,
    }
}

impl Signature {
    /// Path data only: commands, numbers and separators, so it is drawn, never run.
    pub fn check(&self) -> Result<()> {
        let ok = |c: char| "MmLlHhVvCcSsQqTtAaZz0123456789.,-+eE ".contains(c);
        if self.path.trim().is_empty() || self.path.len() > MAX_SIGNATURE {
            return Err(Error::input(format!(
                "signature: the path must have 1 to {MAX_SIGNATURE} bytes"
            )));
        }
        if let Some(c) = self.path.chars().find(|c| !ok(*c)) {
            return Err(Error::input(format!(
                "signature: `{}` is not SVG path data",
                clip(&c.to_string())
            )));
        }
        if !(1..=10_000).contains(&self.width) || !(1..=10_000).contains(&self.height) {
            return Err(Error::input(
                "signature: width and height must be 1 to 10000",
            ));
        }
        if let Some(n) = &self.signed_by {
            check_text("signedBy", n)?;
        }
        Ok(())
    }
}

record! {
    /// The client's answer: CSAT 1-5, NPS 0-10 (either or both), and what they said.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Satisfaction {
        csat: Option<u32> = "csat" opt,
        nps: Option<u32> = "nps" opt,
        comment: Option<String> = "comment" opt,
        /// Set by the engine when recorded.
        at: Option<Instant> = "at" opt_time,
    }
}

impl Satisfaction {
    pub fn check(&self) -> Result<()> {
        if self.csat.is_some_and(|c| !(1..=5).contains(&c)) {
            return Err(Error::input("satisfaction: csat must be 1 to 5"));
        }
        if self.nps.is_some_and(|n| n > 10) {
            return Err(Error::input("satisfaction: nps must be 0 to 10"));
        }
        if self.csat.is_none() && self.nps.is_none() {
            return Err(Error::input("satisfaction: give csat, nps or both"));
        }
        if let Some(c) = &self.comment {
            check_text("satisfaction comment", c)?;
        }
        Ok(())
    }
}

record! {
    /// One setting of the actual times: what they became, when, and why.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TimeEdit {
        at: Instant = "at" time,
        departed_at: Option<Instant> = "departedAt" opt_time,
        actual_start: Option<Instant> = "actualStart" opt_time,
        actual_end: Option<Instant> = "actualEnd" opt_time,
        reason: Option<String> = "reason" opt,
    }
}

record! {
    /// A follow-up of this visit closed by hand: the rule, when, and a note. (One done by
    /// booking a visit is found from that booking's `returnOf`.)
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct FollowUpDone {
        rule: String = "rule" req,
        at: Instant = "at" time,
        note: Option<String> = "note" opt,
    }
}

record! {
    /// What happened at the visit. Times are the real ones: `departedAt` (on the way),
    /// `actualStart` (checked in), `actualEnd` (done); each setting is kept in `timeHistory`.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Visit {
        departed_at: Option<Instant> = "departedAt" opt_time,
        actual_start: Option<Instant> = "actualStart" opt_time,
        actual_end: Option<Instant> = "actualEnd" opt_time,
        outcome: Option<Outcome> = "outcome" opt,
        outcome_reason: Option<String> = "outcomeReason" opt,
        work_notes: Option<String> = "workNotes" opt,
        parts: Vec<Part> = "parts" list_some,
        signature: Option<Signature> = "signature" opt,
        /// The ids of the service's checklist items done.
        checklist: Vec<String> = "checklist" list_some,
        satisfaction: Option<Satisfaction> = "satisfaction" opt,
        follow_ups: Vec<FollowUpDone> = "followUps" list_some,
        time_history: Vec<TimeEdit> = "timeHistory" list_some,
    }
}

impl Visit {
    pub fn parts_minor(&self) -> i64 {
        self.parts.iter().map(Part::total_minor).sum()
    }

    /// Checks what a visit record may hold on its own (a snapshot's, or one after an update).
    pub fn check(&self) -> Result<()> {
        let order = |a: Option<Instant>, b: Option<Instant>, what: &str| match (a, b) {
            (Some(a), Some(b)) if b < a => Err(Error::new(Code::EndBeforeStart, what.to_string())),
            _ => Ok(()),
        };
        order(
            self.departed_at,
            self.actual_start,
            "visit: departedAt is after actualStart",
        )?;
        order(
            self.actual_start,
            self.actual_end,
            "visit: actualEnd is before actualStart",
        )?;
        if let (Some(a), Some(b)) = (self.actual_start, self.actual_end) {
            if b - a > 7 * crate::time::DAY {
                return Err(Error::new(
                    Code::InvalidDuration,
                    "visit: a visit lasts at most 7 days",
                ));
            }
        }
        if self.outcome == Some(Outcome::NotDone)
            && self
                .outcome_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            return Err(Error::input(
                "visit: an outcome of not_done needs an outcomeReason",
            ));
        }
        for text in [&self.outcome_reason, &self.work_notes]
            .into_iter()
            .flatten()
        {
            check_text("visit text", text)?;
        }
        check_len("visit parts", self.parts.len(), MAX_PARTS)?;
        for p in &self.parts {
            check_name("part", &p.item)?;
            if !(1..=MAX_QUANTITY).contains(&p.quantity)
                || !(0..=MAX_PRICE_MINOR).contains(&p.unit_price_minor)
            {
                return Err(Error::input(format!(
                    "part `{}`: quantity must be 1 to {MAX_QUANTITY} and unitPriceMinor 0 to {MAX_PRICE_MINOR}",
                    clip(&p.item)
                )));
            }
        }
        if let Some(s) = &self.signature {
            s.check()?;
        }
        check_len("visit checklist", self.checklist.len(), MAX_CHECKLIST)?;
        if let Some(s) = &self.satisfaction {
            s.check()?;
        }
        check_len(
            "visit follow-ups",
            self.follow_ups.len(),
            MAX_FOLLOW_UP_RULES + 1,
        )?;
        for f in &self.follow_ups {
            if let Some(n) = &f.note {
                check_text("follow-up note", n)?;
            }
        }
        check_len("visit timeHistory", self.time_history.len(), MAX_TIME_EDITS)?;
        Ok(())
    }
}

record! {
    /// A change to a visit record: each field given replaces the stored one (`parts: []` empties
    /// the list); times are read in `timeZone` (default: the coordinator's).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct VisitUpdate {
        departed_at: Option<When> = "departedAt" opt,
        actual_start: Option<When> = "actualStart" opt,
        actual_end: Option<When> = "actualEnd" opt,
        time_zone: Option<String> = "timeZone" opt,
        outcome: Option<Outcome> = "outcome" opt,
        outcome_reason: Option<String> = "outcomeReason" opt,
        work_notes: Option<String> = "workNotes" opt,
        parts: Option<Vec<Part>> = "parts" opt,
        signature: Option<Signature> = "signature" opt,
        checklist: Option<Vec<String>> = "checklist" opt,
        satisfaction: Option<Satisfaction> = "satisfaction" opt,
        expected_revision: Option<u32> = "expectedRevision" opt,
        /// Why the times were changed (kept in `timeHistory`).
        reason: Option<String> = "reason" opt,
    }
}

record! {
    /// One item of a service's checklist (`{"id": "flue", "label": "Flue gas analysed"}`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ChecklistItem {
        id: String = "id" req,
        label: String = "label" req,
    }
}

named! {
    /// What a protocol step may ask of the visit record.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Requirement as "a requirement" {
        Outcome = "outcome",
        /// Every item of the service's checklist.
        Checklist = "checklist",
        Signature = "signature",
        ActualStart = "actualStart",
        ActualEnd = "actualEnd",
        WorkNotes = "workNotes",
        Parts = "parts",
    }
}

record! {
    /// Before a booking may become `status`, its visit record must hold what `requires` lists.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProtocolStep {
        status: Status = "status" req,
        requires: Vec<Requirement> = "requires" list,
    }
}

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum FollowUpKind as "a follow-up kind" {
        /// A call (a satisfaction call): done by recording it.
        #[default]
        Call = "call",
        /// A visit (maintenance): done by booking it.
        Visit = "visit",
    }
}

record! {
    /// What falls due after a visit of the service is completed: a call `afterDays` later, or a
    /// visit of `serviceId` `afterMonths` later. `outcomes`, if given, limits it to visits that
    /// ended so.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct FollowUpRule {
        id: String = "id" req,
        kind: FollowUpKind = "kind" (or FollowUpKind::Call),
        label: String = "label" req,
        after_days: u32 = "afterDays" (or_skip 0),
        after_months: u32 = "afterMonths" (or_skip 0),
        /// For a visit: the service to book (defaults to the same).
        service_id: Option<String> = "serviceId" opt,
        outcomes: Vec<Outcome> = "outcomes" list_some,
        /// Days after the due date before it is overdue.
        grace_days: u32 = "graceDays" (or_skip 0),
    }
}

/// The id of the follow-up every visit with an outcome of `partially_resolved` or
/// `needs_follow_up` gets: a return visit of the same service, due at once.
pub const RETURN_RULE: &str = "return";

impl FollowUpRule {
    pub fn check(&self) -> Result<()> {
        super::check_id("follow-up rule", &self.id)?;
        if self.id == RETURN_RULE {
            return Err(Error::input(format!(
                "follow-up rule id `{RETURN_RULE}` is the engine's own (a return visit)"
            )));
        }
        check_name("follow-up rule label", &self.label)?;
        if self.after_days > 3_660 || self.after_months > 120 || self.grace_days > 366 {
            return Err(Error::input(format!(
                "follow-up rule `{}`: afterDays at most 3660, afterMonths 120, graceDays 366",
                clip(&self.id)
            )));
        }
        Ok(())
    }
}

/// The checks on a service's visit fields (checklist, protocol, follow-ups, money).
pub fn check_service(s: &super::Service) -> Result<()> {
    // A colour goes into a page's style: exactly `#` and six hex digits, nothing that could be
    // read as more CSS.
    if let Some(c) = &s.color {
        let b = c.as_bytes();
        if !(b.len() == 7
            && b.first() == Some(&b'#')
            && b.iter().skip(1).all(u8::is_ascii_hexdigit))
        {
            return Err(Error::input(format!(
                "a service's color is #rrggbb, not `{}`",
                clip(c)
            )));
        }
    }
    check_len("checklist", s.checklist.len(), MAX_CHECKLIST)?;
    for (i, item) in s.checklist.iter().enumerate() {
        super::check_id("checklist item", &item.id)?;
        check_name("checklist item label", &item.label)?;
        if s.checklist.iter().take(i).any(|x| x.id == item.id) {
            return Err(Error::new(
                Code::DuplicateId,
                format!("checklist item `{}` appears twice", clip(&item.id)),
            ));
        }
    }
    check_len("protocol", s.protocol.len(), 10)?;
    for step in &s.protocol {
        if !matches!(
            step.status,
            Status::CheckedIn | Status::Completed | Status::NoShow | Status::ProviderNoShow
        ) {
            return Err(Error::input(format!(
                "a protocol step is for checked_in, completed, no_show or provider_no_show, not {}",
                step.status.as_str()
            )));
        }
    }
    check_len("followUps", s.follow_ups.len(), MAX_FOLLOW_UP_RULES)?;
    for (i, r) in s.follow_ups.iter().enumerate() {
        r.check()?;
        if s.follow_ups.iter().take(i).any(|x| x.id == r.id) {
            return Err(Error::new(
                Code::DuplicateId,
                format!("follow-up rule `{}` appears twice", clip(&r.id)),
            ));
        }
    }
    if s.cancellation_window_minutes > 366 * 24 * 60
        || s.recall_days > 366
        || s.response_minutes
            .is_some_and(|m| m == 0 || m > 366 * 24 * 60)
    {
        return Err(Error::input(
            "cancellationWindowMinutes at most a year, recallDays at most 366, responseMinutes 1 to a year",
        ));
    }
    for m in [s.rate_minor, s.price_minor].into_iter().flatten() {
        if !(0..=MAX_PRICE_MINOR).contains(&m) {
            return Err(Error::input(format!(
                "rateMinor and priceMinor must be 0 to {MAX_PRICE_MINOR}"
            )));
        }
    }
    Ok(())
}

/// What the visit record lacks for `step` of `service`, each as (key, sentence): the keys are
/// `outcome`, `signature`, `checklist:<id>`, ... (stable, for programs).
pub fn missing(service: &super::Service, status: Status, v: &Visit) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for step in service.protocol.iter().filter(|s| s.status == status) {
        for r in &step.requires {
            let lacks = match r {
                Requirement::Outcome => v.outcome.is_none(),
                Requirement::Signature => v.signature.is_none(),
                Requirement::ActualStart => v.actual_start.is_none(),
                Requirement::ActualEnd => v.actual_end.is_none(),
                Requirement::WorkNotes => {
                    v.work_notes.as_deref().is_none_or(|n| n.trim().is_empty())
                }
                Requirement::Parts => v.parts.is_empty(),
                Requirement::Checklist => {
                    for item in &service.checklist {
                        if !v.checklist.contains(&item.id) {
                            out.push((
                                format!("checklist:{}", item.id),
                                format!("the checklist item “{}”", item.label),
                            ));
                        }
                    }
                    false
                }
            };
            if lacks {
                let what = match r {
                    Requirement::Outcome => "an outcome",
                    Requirement::Signature => "the client's signature",
                    Requirement::ActualStart => "the actual start (check-in)",
                    Requirement::ActualEnd => "the actual end",
                    Requirement::WorkNotes => "work notes",
                    Requirement::Parts => "the parts used",
                    Requirement::Checklist => "the checklist",
                };
                out.push((r.as_str().to_string(), what.to_string()));
            }
        }
    }
    out
}
