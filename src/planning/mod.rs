//! Work that places several bookings on a copy of the state: ranked alternatives, waitlist offers,
//! repair and urgent plans, recurring series, the day's dispatch.

pub mod alternatives;
pub mod day;
pub mod repair;
pub mod series;
pub mod waitlist;
