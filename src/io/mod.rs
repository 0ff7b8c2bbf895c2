//! The engine's edges: the JSON boundary every shell shares (`dispatch`) and iCalendar (`ical`).

pub mod dispatch;
pub mod ical;
