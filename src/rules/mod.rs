//! One booking's rules and the writes that go through them (`booking`), the bookable slots over a
//! range (`availability`), why a time cannot be booked (`explain`), and a booking's life after it
//! is made: statuses, the visit record and the service's protocol (`visit`), and the time records
//! billing is made from (`billing`).

pub mod availability;
pub mod billing;
pub mod booking;
pub mod explain;
pub mod import;
pub mod rule;
pub mod visit;
