//! The waitlist: clients waiting for a service, and the offers to make when capacity frees.
//!
//! Offers go by priority, then by how long the client has waited (then by id). Each waiting
//! client is offered the earliest slot that fits wholly inside one of their windows, with one of
//! their preferred providers if they named any. Offers are placed on a copy of the state one by
//! one, so no two clients are offered the same time, and each is bookable as it stands. They are
//! proposals: nothing is booked, and the host decides how to reach the client.

use crate::base::error::{Error, Result};
use crate::json::{ToJson, Writer};
use crate::model::{check_id, check_text};
use crate::model::{Booking, WaitlistEntry};
use crate::state::{Coordinator, Record};
use crate::time::{Instant, Interval, When};

/// A slot to offer a waiting client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub entry_id: String,
    pub service_id: String,
    pub client_ids: Vec<String>,
    pub provider_id: String,
    pub start: Instant,
    pub end: Instant,
}

impl ToJson for Offer {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("entryId", &self.entry_id);
        w.field("serviceId", &self.service_id);
        w.field("clientIds", &self.client_ids);
        w.field("providerId", &self.provider_id);
        w.time("start", self.start);
        w.time("end", self.end);
        w.end_obj();
    }
}

impl Coordinator {
    /// Puts a client on the waitlist (or replaces their entry); windows are read in the entry's
    /// zone (else the coordinator's) and stored in UTC.
    pub fn waitlist_add(&mut self, mut e: WaitlistEntry, now: Instant) -> Result<WaitlistEntry> {
        if e.id.is_empty() {
            e.id = self.fresh_id("wl");
        }
        check_id("waitlist entry", &e.id)?;
        crate::model::check_len("clientIds", e.client_ids.len(), 10_000)?;
        crate::model::check_len(
            "preferredProviderIds",
            e.preferred_provider_ids.len(),
            1_000,
        )?;
        if !self.services.contains_key(&e.service_id) {
            return Err(Error::unknown("service", &e.service_id));
        }
        for c in &e.client_ids {
            if !self.clients.contains_key(c) {
                return Err(Error::unknown("client", c));
            }
        }
        for p in &e.preferred_provider_ids {
            if !self.providers.contains_key(p) {
                return Err(Error::unknown("provider", p));
            }
        }
        if let Some(n) = &e.notes {
            check_text("notes", n)?;
        }
        if e.windows.is_empty() || e.windows.len() > 100 {
            return Err(Error::input("a waitlist entry needs 1 to 100 windows"));
        }
        let zone = e.time_zone.take().unwrap_or_else(|| self.time_zone.clone());
        self.zones.validate(&zone)?;
        for w in e.windows.iter_mut() {
            let iv = self.zones.range(&zone, w.start, w.end, "waitlist window")?;
            (w.start, w.end) = (When::utc(iv.start), When::utc(iv.end));
        }
        let joined = match e.joined_at {
            Some(t) => self.zones.instant(&zone, t)?,
            None => now,
        };
        e.joined_at = Some(When::utc(joined));
        self.claim(&e.id);
        let before = self.waitlist.get(&e.id).cloned().map(Record::Waitlist);
        self.record("waitlist", &e.id, before, Some(Record::Waitlist(e.clone())));
        self.waitlist.upsert(e.clone());
        Ok(e)
    }

    pub fn waitlist_remove(&mut self, id: &str) -> Result<()> {
        let e = self
            .waitlist
            .remove(id)
            .ok_or_else(|| Error::unknown("waitlist entry", id))?;
        self.record("waitlist", id, Some(Record::Waitlist(e)), None);
        Ok(())
    }

    pub fn waitlist(&self) -> impl Iterator<Item = &WaitlistEntry> {
        self.waitlist.values()
    }

    /// Which waiting client gets which slot now (see the module doc). Changes nothing.
    pub fn waitlist_offers(&mut self, now: Instant) -> Result<Vec<Offer>> {
        let mut order: Vec<(i64, Instant, &WaitlistEntry)> = self
            .waitlist
            .values()
            .map(|e| {
                (
                    -i64::from(e.priority),
                    e.joined_at.and_then(When::instant).unwrap_or(now),
                    e,
                )
            })
            .collect();
        crate::base::sort::sort_by(&mut order, |a, b| {
            (a.0, a.1, &a.2.id).cmp(&(b.0, b.1, &b.2.id))
        });
        // The bound on the whole call, before any work: grid steps over every entry's open
        // windows and providers, as availability counts them for one query.
        let mut work: u64 = 0;
        for e in self.waitlist.values() {
            let step = self
                .services
                .get(&e.service_id)
                .map_or(60, |s| s.step().max(60));
            let providers = if e.preferred_provider_ids.is_empty() {
                self.providers.items.len()
            } else {
                e.preferred_provider_ids.len()
            } as u64;
            for w in &e.windows {
                if let (Some(a), Some(b)) = (w.start.instant(), w.end.instant()) {
                    let open = (b - a.max(now)).max(0);
                    work += (open / step + 1) as u64 * providers;
                }
            }
        }
        if work > crate::rules::availability::MAX_QUERY_WORK {
            return Err(Error::new(
                crate::base::error::Code::RangeTooLarge,
                format!("the waitlist's open windows come to {work} grid steps over their providers, more than {}; remove old entries or narrow their windows", crate::rules::availability::MAX_QUERY_WORK),
            ));
        }
        let order: Vec<WaitlistEntry> = order.into_iter().map(|(_, _, e)| e.clone()).collect();
        // Each offer keeps its time from the next client in line: placed, then put back.
        self.on_trial(|sim| sim.offer_in_turn(&order, now))
    }

    /// The offers for `order`, each placed (as a stand-in booking) before the next is sought.
    #[allow(clippy::indexing_slicing)] // slot provider indexes come from this availability's own provider list
    fn offer_in_turn(&mut self, order: &[WaitlistEntry], now: Instant) -> Result<Vec<Offer>> {
        let sim = self;
        let mut offers = Vec::new();
        for e in order {
            let Some(service) = sim.services.get(&e.service_id).cloned() else {
                continue;
            };
            // An on-site visit for clients with no location cannot be offered a time.
            let Ok(place) = sim.visit_place(&service, None, &e.client_ids) else {
                continue;
            };
            let chosen: Vec<String> = if e.preferred_provider_ids.is_empty() {
                sim.providers.keys().map(String::from).collect()
            } else {
                e.preferred_provider_ids
                    .iter()
                    .filter(|p| sim.providers.contains_key(p))
                    .cloned()
                    .collect()
            };
            let chosen: Vec<&str> = chosen.iter().map(String::as_str).collect();
            let mut windows: Vec<Interval> = e
                .windows
                .iter()
                .filter_map(|w| Some(Interval::new(w.start.instant()?, w.end.instant()?)))
                .collect();
            crate::base::sort::sort(&mut windows);
            'windows: for w in windows.into_iter().filter(|w| w.end > now) {
                let range = Interval::new(w.start.max(now), w.end);
                let a = sim.slots(&service, range, &chosen, false, place.as_ref(), None, now)?;
                for slot in a.slots.iter().filter(|s| s.end <= w.end) {
                    for &p in &slot.providers {
                        let provider = a.provider_ids[p as usize].clone();
                        let req = crate::model::BookingRequest {
                            service_id: e.service_id.clone(),
                            provider_id: Some(provider.clone()),
                            client_ids: e.client_ids.clone(),
                            start: When::utc(slot.start),
                            ..Default::default()
                        };
                        let checked = sim.check(&req, now)?;
                        if !checked.ok {
                            continue;
                        }
                        // Keep the time from the next client in line.
                        let id = format!("\u{0}offer:{}", e.id);
                        let stand_in = Booking::draft(
                            id,
                            &service,
                            e.client_ids.clone(),
                            provider.clone(),
                            slot.start,
                            slot.end,
                            e.priority,
                            now,
                        );
                        sim.store(Booking {
                            resources: checked.resources,
                            ..stand_in
                        });
                        offers.push(Offer {
                            entry_id: e.id.clone(),
                            service_id: e.service_id.clone(),
                            client_ids: e.client_ids.clone(),
                            provider_id: provider,
                            start: slot.start,
                            end: slot.end,
                        });
                        break 'windows;
                    }
                }
            }
        }
        Ok(offers)
    }
}
