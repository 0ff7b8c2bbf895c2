//! Explain: why a time cannot be booked, in the same codes the booking rules use.
//!
//! `explain` asks the rules (`evaluate`) for one time with sentences; `reasons`, over a range,
//! takes the same rules' blocks and lists each grid step's codes. A property test holds the two
//! together: for every step, the codes here are the codes `evaluate` gives.

use crate::base::error::{Code, Error, Result, Violation};
use crate::json::{ToJson, Writer};
use crate::model::{BookingRequest, Service};
use crate::rules::booking::{CheckResult, Proposal};
use crate::rules::rule::{Scope, INTERVAL_CODES};
use crate::state::Coordinator;
use crate::time::intervals::IntervalSet;
use crate::time::{Instant, Interval};

/// Why each provider can or cannot take a request at its time.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub ok: bool,
    pub providers: Vec<ProviderVerdict>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProviderVerdict {
    pub provider_id: String,
    pub violations: Vec<Violation>,
}

/// One grid step that some providers cannot take, with each one's reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct Unavailable {
    pub start: Instant,
    pub end: Instant,
    pub providers: Vec<(String, Vec<Code>)>,
}

impl ToJson for ProviderVerdict {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providerId", &self.provider_id);
        w.field("ok", &self.violations.is_empty());
        w.field("violations", &self.violations);
        w.end_obj();
    }
}

impl ToJson for Explanation {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("ok", &self.ok);
        w.field("providers", &self.providers);
        w.end_obj();
    }
}

impl ToJson for Unavailable {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        w.key("providers");
        w.begin_arr();
        for (id, codes) in &self.providers {
            w.begin_obj();
            w.field("providerId", id);
            w.field("codes", codes);
            w.end_obj();
        }
        w.end_arr();
        w.end_obj();
    }
}

impl Coordinator {
    /// Every provider's verdict on a request (or the named provider's), reasons included.
    pub fn explain(&self, req: &BookingRequest, now: Instant) -> Result<Explanation> {
        let CheckResult { start, end, .. } = self.check(
            &BookingRequest {
                provider_id: None,
                ..req.clone()
            },
            now,
        )?;
        let service = self
            .services
            .get(&req.service_id)
            .ok_or_else(|| Error::unknown("service", &req.service_id))?;
        let place = self.visit_place(service, req.location.as_ref(), &req.client_ids)?;
        let ids: Vec<&str> = match &req.provider_id {
            Some(id) => vec![id.as_str()],
            None => self.providers.keys().collect(),
        };
        let seats = req.client_ids.len().max(1) as u32;
        let providers: Vec<ProviderVerdict> = ids
            .into_iter()
            .map(|provider| {
                let p = Proposal {
                    service,
                    provider,
                    start,
                    end,
                    seats,
                    resources: req.resources.as_deref(),
                    prefer: &[],
                    exclude: None,
                    place: place.as_ref(),
                };
                ProviderVerdict {
                    provider_id: provider.to_string(),
                    violations: self.evaluate(&p, now).0,
                }
            })
            .collect();
        Ok(Explanation {
            ok: providers.iter().any(|p| p.violations.is_empty()),
            providers,
        })
    }

    /// For each step of `provider`'s slot grid in `[lo, hi)` that it cannot take, the codes why:
    /// the same rules' blocks `check` reads, grouped by rule and asked per step.
    pub(crate) fn reasons(
        &self,
        provider: &str,
        s: &Service,
        lo: Instant,
        hi: Instant,
        place: Option<&crate::model::Location>,
        now: Instant,
    ) -> Result<Vec<(Instant, Vec<Code>)>> {
        let Some(entry) = self.providers.get(provider) else {
            return Err(Error::unknown("provider", provider));
        };
        let sc = Scope::new(
            self,
            entry,
            s,
            s.duration(),
            1,
            None,
            Interval::new(lo, hi),
            now,
        )?
        .at_place(place);
        let mut blocks = Vec::new();
        sc.blocks(&mut blocks);
        let by_rule: Vec<(Code, IntervalSet)> = INTERVAL_CODES
            .iter()
            .map(|&code| {
                let parts = blocks
                    .iter()
                    .filter(|b| b.why.code() == code)
                    .map(|b| b.starts)
                    .collect();
                (code, IntervalSet::from_unsorted(parts))
            })
            .filter(|(_, set)| !set.is_empty())
            .collect();
        let mut out = Vec::new();
        crate::rules::availability::grid(&sc.table, sc.window, s.step(), 1, hi, |t| {
            let mut codes: Vec<Code> = by_rule
                .iter()
                .filter(|(_, set)| set.contains_instant(t))
                .map(|(code, _)| *code)
                .collect();
            if !sc.resources_free(t) {
                codes.push(Code::ResourceUnavailable);
            }
            if !codes.is_empty() {
                out.push((t, codes));
            }
        });
        Ok(out)
    }
}
