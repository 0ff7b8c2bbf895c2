//! One booking's rules and the writes that go through them (`booking`), the bookable slots over a
//! range (`availability`), and why a time cannot be booked (`explain`).

pub mod availability;
pub mod booking;
pub mod explain;
pub mod rule;
