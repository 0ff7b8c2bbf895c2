//! The native time-zone source: chrono-tz's compiled IANA database. Not built into the wasm
//! module, where the host's `Intl` is the source (see ARCHITECTURE.md for the measured trade).

use crate::time::zone::OffsetSource;
use crate::time::Instant;
use chrono::{DateTime, Offset, TimeZone};

pub struct ChronoTz;

impl OffsetSource for ChronoTz {
    fn offset(&self, zone: &str, utc: Instant) -> Option<i32> {
        let tz: chrono_tz::Tz = zone.parse().ok()?;
        let at = DateTime::from_timestamp(utc.secs(), 0)?.naive_utc();
        Some(tz.offset_from_utc_datetime(&at).fix().local_minus_utc())
    }

    fn canonical(&self, zone: &str) -> Option<String> {
        let tz = zone.parse::<chrono_tz::Tz>().ok().or_else(|| {
            chrono_tz::TZ_VARIANTS
                .iter()
                .copied()
                .find(|tz| tz.name().eq_ignore_ascii_case(zone))
        })?;
        Some(tz.name().to_string())
    }
}
