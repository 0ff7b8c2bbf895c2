//! Reports: read-only views over the state, never a write. Metrics defined once (`metrics`),
//! timesheets and invoices (`billing`), the visits as CSV for finance (`csv`), and FHIR R4
//! resources for healthcare plugins (`fhir`).

pub mod billing;
pub mod csv;
pub mod fhir;
pub mod metrics;
