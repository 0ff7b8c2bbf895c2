//! Time records for billing: entries of work time (on site, travel, admin), the rounding rule a
//! company bills by, and the arithmetic of rounding and amounts, in whole seconds and integer
//! minor units (no floating point touches money).

use super::{check_id, check_text};
use crate::base::error::{Error, Result};
use crate::base::id::Id;
use crate::json::{named, record};
use crate::time::{Instant, When, HOUR, MINUTE};

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum EntryKind as "an entry kind" {
        #[default]
        OnSite = "on_site",
        Travel = "travel",
        Admin = "admin",
    }
}

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum RoundingMode as "a rounding mode" {
        #[default]
        None = "none",
        /// To the nearest unit, halves up.
        Nearest = "nearest",
        Up = "up",
        Down = "down",
    }
}

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum RoundPer as "a rounding scope" {
        /// Each entry on its own.
        #[default]
        Entry = "entry",
        /// The entries of one visit and kind together.
        Visit = "visit",
        /// A provider's entries of one local day and kind together.
        Day = "day",
    }
}

record! {
    /// How billable time is rounded: to `unitMinutes` by `mode`, at least `minimumMinutes`
    /// (a call-out minimum), applied per entry, per visit or per day.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Rounding {
        unit_minutes: u32 = "unitMinutes" (or 1),
        mode: RoundingMode = "mode" (or RoundingMode::None),
        minimum_minutes: u32 = "minimumMinutes" (or 0),
        per: RoundPer = "per" (or RoundPer::Entry),
    }
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            unit_minutes: 1,
            mode: RoundingMode::None,
            minimum_minutes: 0,
            per: RoundPer::Entry,
        }
    }
}

impl Rounding {
    /// `seconds` rounded by the rule; a negative amount (a reversal) mirrors the positive one.
    pub fn apply(&self, seconds: i64) -> i64 {
        if seconds < 0 {
            return -self.apply(-seconds);
        }
        if seconds == 0 {
            return 0;
        }
        let unit = i64::from(self.unit_minutes.max(1)) * MINUTE;
        let rounded = match self.mode {
            RoundingMode::None => seconds,
            RoundingMode::Nearest => (seconds + unit / 2) / unit * unit,
            RoundingMode::Up => (seconds + unit - 1) / unit * unit,
            RoundingMode::Down => seconds / unit * unit,
        };
        rounded.max(i64::from(self.minimum_minutes) * MINUTE)
    }
}

/// What `seconds` of time cost at `rate_minor` an hour, to the nearest minor unit (halves away
/// from zero, so a reversal is the exact negative of what it reverses).
pub fn amount_minor(seconds: i64, rate_minor: i64) -> i64 {
    // In i64 when the product fits (always, for a year of entries at any allowed rate), else
    // in i128 (a slow library call in wasm).
    if let Some(p) = seconds.checked_mul(rate_minor) {
        let half = HOUR / 2;
        return if p >= 0 {
            (p + half) / HOUR
        } else {
            (p - half) / HOUR
        };
    }
    let p = i128::from(seconds) * i128::from(rate_minor);
    let half = i128::from(HOUR / 2);
    let q = if p >= 0 {
        (p + half) / i128::from(HOUR)
    } else {
        (p - half) / i128::from(HOUR)
    };
    q.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

record! {
    /// The company's billing settings.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Billing {
        /// ISO 4217 code (`EUR`); amounts are in its minor units.
        currency: String = "currency" (or "EUR".to_string()),
        rounding: Rounding = "rounding" (or Rounding::default()),
        /// Whether new entries of each kind are billable unless said otherwise.
        travel_billable: bool = "travelBillable" (or true),
        admin_billable: bool = "adminBillable" (or false),
    }
}

impl Default for Billing {
    fn default() -> Self {
        Billing {
            currency: "EUR".into(),
            rounding: Rounding::default(),
            travel_billable: true,
            admin_billable: false,
        }
    }
}

impl Billing {
    pub fn check(&self) -> Result<()> {
        let code = self.currency.as_bytes();
        if code.len() != 3 || !code.iter().all(u8::is_ascii_uppercase) {
            return Err(Error::input(
                "billing: currency is a three-letter ISO 4217 code (EUR)",
            ));
        }
        let r = &self.rounding;
        if !(1..=1440).contains(&r.unit_minutes) || r.minimum_minutes > 1440 {
            return Err(Error::input(
                "billing: rounding unitMinutes must be 1 to 1440 and minimumMinutes at most 1440",
            ));
        }
        Ok(())
    }

    pub fn billable_by_default(&self, kind: EntryKind) -> bool {
        match kind {
            EntryKind::OnSite => true,
            EntryKind::Travel => self.travel_billable,
            EntryKind::Admin => self.admin_billable,
        }
    }
}

record! {
    /// A stretch of a provider's work time. Drafts may be changed or removed; an approved entry is
    /// locked, and corrected by a reversing entry (`reverses`, counted negative) and a new one.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TimeEntry {
        id: String = "id" req,
        booking_id: Option<String> = "bookingId" opt,
        provider_id: Id = "providerId" req,
        kind: EntryKind = "kind" (or EntryKind::OnSite),
        start: Instant = "start" time,
        end: Instant = "end" time,
        billable: bool = "billable" (or true),
        /// An hour's rate when the entry was made, in minor units.
        rate_minor: i64 = "rateMinor" (or 0),
        approved: bool = "approved" (or_skip false),
        approved_at: Option<Instant> = "approvedAt" opt_time,
        /// The entry this one reverses (its time counts negative).
        reverses: Option<String> = "reverses" opt,
        note: Option<String> = "note" opt,
        created_at: Instant = "createdAt" time,
    }
}

impl TimeEntry {
    /// Its seconds: negative for a reversal.
    pub fn seconds(&self) -> i64 {
        let s = self.end - self.start;
        if self.reverses.is_some() {
            -s
        } else {
            s
        }
    }

    /// What a snapshot's entry must satisfy on its own.
    pub fn check(&self) -> Result<()> {
        check_id("time entry", &self.id)?;
        check_id("provider", &self.provider_id)?;
        if let Some(b) = &self.booking_id {
            check_id("booking", b)?;
        }
        if self.end <= self.start || self.end - self.start > 24 * HOUR {
            return Err(Error::input(format!(
                "time entry `{}`: end must be after start, at most 24 hours later",
                crate::base::error::clip(&self.id)
            )));
        }
        if !(0..=super::visit::MAX_PRICE_MINOR).contains(&self.rate_minor) {
            return Err(Error::input(
                "time entry: rateMinor must be 0 to 1000000000",
            ));
        }
        if self.approved != self.approved_at.is_some() {
            return Err(Error::input(
                "time entry: approved and approvedAt go together",
            ));
        }
        if let Some(n) = &self.note {
            check_text("time entry note", n)?;
        }
        Ok(())
    }
}

record! {
    /// A new entry, or a draft's change. From a visit (`bookingId`), start and end default to its
    /// actual times (travel: from `departedAt` to the actual start) and the provider to its.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct TimeEntryInput {
        id: Option<String> = "id" opt,
        booking_id: Option<String> = "bookingId" opt,
        provider_id: Option<String> = "providerId" opt,
        kind: EntryKind = "kind" (or EntryKind::OnSite),
        start: Option<When> = "start" opt,
        end: Option<When> = "end" opt,
        time_zone: Option<String> = "timeZone" opt,
        billable: Option<bool> = "billable" opt,
        /// Defaults to the service's rate, else the provider's, else 0.
        rate_minor: Option<i64> = "rateMinor" opt,
        note: Option<String> = "note" opt,
    }
}
