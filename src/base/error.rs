//! Errors are data: a stable code, a sentence a person can act on, and the ids involved.
//!
//! The same [`Violation`] explains a refused booking and (later) why a slot is unavailable. An
//! [`Error`] is what a call returns when it refuses: its code is the first violation's code, and
//! `details` lists every violation, so a caller that only looks at `code` still gets the most
//! important reason.

use std::fmt;

/// Every code the engine can answer with. The JSON spelling (`OVERLAP`, ...) is stable API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    // Rules a booking can break.
    Overlap,
    OutsideWorkingHours,
    TimeOff,
    SkillMissing,
    ResourceUnavailable,
    MinNotice,
    BeyondHorizon,
    DailyCap,
    SeatsFull,
    TravelTime,
    NoProviderAvailable,
    HoldExpired,
    // Identity and concurrency.
    UnknownId,
    DuplicateId,
    StaleRevision,
    VersionGap,
    ChangesPruned,
    OutOfStep,
    StalePlan,
    InUse,
    InvalidTransition,
    /// A status change the service's protocol needs more of the visit record for.
    ProtocolIncomplete,
    /// An approved time entry: corrected by a reversing entry, never changed.
    Locked,
    // Malformed input.
    InvalidInput,
    /// An on-site booking with no place to go to.
    LocationMissing,
    InvalidJson,
    InvalidTime,
    UnknownTimeZone,
    EndBeforeStart,
    InvalidDuration,
    OverlappingHours,
    RangeTooLarge,
    /// A list, a text or an input beyond its documented bound.
    TooLarge,
    /// A recurrence or an import that would make more instances than the call may handle.
    TooManyInstances,
    InvalidRule,
    InvalidICalendar,
    UnsupportedVersion,
    /// The engine broke its own invariant. Never expected; reported rather than aborting.
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Overlap => "OVERLAP",
            Code::OutsideWorkingHours => "OUTSIDE_WORKING_HOURS",
            Code::TimeOff => "TIME_OFF",
            Code::SkillMissing => "SKILL_MISSING",
            Code::ResourceUnavailable => "RESOURCE_UNAVAILABLE",
            Code::MinNotice => "MIN_NOTICE",
            Code::BeyondHorizon => "BEYOND_HORIZON",
            Code::DailyCap => "DAILY_CAP",
            Code::SeatsFull => "SEATS_FULL",
            Code::TravelTime => "TRAVEL_TIME",
            Code::NoProviderAvailable => "NO_PROVIDER_AVAILABLE",
            Code::HoldExpired => "HOLD_EXPIRED",
            Code::UnknownId => "UNKNOWN_ID",
            Code::DuplicateId => "DUPLICATE_ID",
            Code::StaleRevision => "STALE_REVISION",
            Code::VersionGap => "VERSION_GAP",
            Code::ChangesPruned => "CHANGES_PRUNED",
            Code::OutOfStep => "OUT_OF_STEP",
            Code::StalePlan => "STALE_PLAN",
            Code::InUse => "IN_USE",
            Code::InvalidTransition => "INVALID_TRANSITION",
            Code::ProtocolIncomplete => "PROTOCOL_INCOMPLETE",
            Code::Locked => "LOCKED",
            Code::InvalidInput => "INVALID_INPUT",
            Code::LocationMissing => "LOCATION_MISSING",
            Code::InvalidJson => "INVALID_JSON",
            Code::InvalidTime => "INVALID_TIME",
            Code::UnknownTimeZone => "UNKNOWN_TIME_ZONE",
            Code::EndBeforeStart => "END_BEFORE_START",
            Code::InvalidDuration => "INVALID_DURATION",
            Code::OverlappingHours => "OVERLAPPING_HOURS",
            Code::RangeTooLarge => "RANGE_TOO_LARGE",
            Code::TooLarge => "TOO_LARGE",
            Code::TooManyInstances => "TOO_MANY_INSTANCES",
            Code::InvalidRule => "INVALID_RULE",
            Code::InvalidICalendar => "INVALID_ICALENDAR",
            Code::UnsupportedVersion => "UNSUPPORTED_VERSION",
            Code::Internal => "INTERNAL",
        }
    }
}

/// One broken rule, with the ids of what is involved (the booking in the way, the provider, the
/// resource kind that is short...) and the facts its sentence is made from, so a viewer can say
/// it again in their own language and zone (the English `message` stays for logs and programs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub code: Code,
    pub message: String,
    pub ids: Vec<String>,
    pub facts: Vec<(&'static str, Fact)>,
}

/// A value a violation's sentence names. Instants are seconds since the epoch (written as UTC
/// text at the boundary, for the viewer to show in their zone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    Text(String),
    Number(i64),
    At(i64),
    Texts(Vec<String>),
}

impl Violation {
    pub fn new(code: Code, message: impl Into<String>, ids: Vec<String>) -> Self {
        Violation {
            code,
            message: message.into(),
            ids,
            facts: Vec::new(),
        }
    }

    /// The same violation with one more fact (names are clipped like the sentence's).
    pub fn fact(mut self, key: &'static str, value: Fact) -> Self {
        let value = match value {
            Fact::Text(t) => Fact::Text(clip(&t)),
            Fact::Texts(l) => Fact::Texts(l.iter().take(20).map(|t| clip(t)).collect()),
            other => other,
        };
        self.facts.push((key, value));
        self
    }

    pub fn text(self, key: &'static str, value: &str) -> Self {
        self.fact(key, Fact::Text(value.to_string()))
    }
}

/// A refused call. `details` holds every violation (at least one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub message: String,
    pub details: Vec<Violation>,
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        let message = message.into();
        Error {
            code,
            details: vec![Violation::new(code, message.clone(), Vec::new())],
            message,
        }
    }

    pub fn with_ids(code: Code, message: impl Into<String>, ids: Vec<String>) -> Self {
        let message = message.into();
        Error {
            code,
            details: vec![Violation::new(code, message.clone(), ids)],
            message,
        }
    }

    /// The error for a list of violations (which must not be empty).
    pub fn from_violations(details: Vec<Violation>) -> Self {
        let (code, message) = match details.first() {
            Some(v) if details.len() == 1 => (v.code, v.message.clone()),
            Some(v) => (
                v.code,
                format!("{} (and {} more)", v.message, details.len() - 1),
            ),
            None => (Code::Internal, "refused without a reason".to_string()),
        };
        Error {
            code,
            message,
            details,
        }
    }

    pub fn unknown(kind: &str, id: &str) -> Self {
        Error::with_ids(
            Code::UnknownId,
            format!("there is no {kind} with id `{}`", clip(id)),
            vec![id.to_string()],
        )
    }

    pub fn input(message: impl Into<String>) -> Self {
        Error::new(Code::InvalidInput, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shortens junk for an error sentence (a 10 MB string must not come back in a message).
pub fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
