//! Work that places several bookings on a copy of the state: ranked alternatives, waitlist offers,
//! repair and urgent plans, recurring series.

pub mod alternatives;
pub mod repair;
pub mod series;
pub mod waitlist;
