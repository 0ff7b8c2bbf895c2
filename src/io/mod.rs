//! The engine's edges: the JSON boundary every shell shares (`dispatch`) and iCalendar (`ical`
//! writes it, `ical_import` reads it).

pub mod dispatch;
pub mod ical;
pub mod ical_import;
