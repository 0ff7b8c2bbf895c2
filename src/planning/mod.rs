//! Work that places several bookings on a copy of the state: ranked alternatives, waitlist offers,
//! repair and urgent plans, recurring series, the day's dispatch; and what falls due after a
//! visit (follow-ups).

pub mod alternatives;
pub mod day;
pub mod followups;
pub mod repair;
pub mod series;
pub mod waitlist;
