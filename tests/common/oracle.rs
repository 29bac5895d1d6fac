//! A brute-force oracle for tiny editions: the best (most visitors placed,
//! then least rank sum) plan by exhaustive search with its own constraint
//! counting, kept plain so it is easy to trust. One visit per visitor.
//! With priority classes, the best is lexicographic: the most placed of
//! class 0, then of class 1, …, then the least rank sum. With the policy's
//! `half_day_fallback`, a full-day wish may also be served by a morning or
//! an afternoon, with its rank.
#![allow(dead_code, unreachable_pub, clippy::items_after_statements)]

use std::collections::BTreeMap;

use jobswap::{Duration, Edition, Part, Slot, Target};

/// One option: (visitor index, host index, date, part, rank).
#[derive(Clone, Debug)]
struct Opt {
    host: usize,
    date: chrono::NaiveDate,
    part: Part,
    rank: u32,
}

/// The best (placed, rank sum) over every feasible plan.
pub fn optimum(e: &Edition, working: &[chrono::NaiveDate]) -> (u32, u32) {
    let (_, placed, ranks) = optimum_by_class(e, working, &|_| 0);
    (placed, ranks)
}

/// The best (placed per class, placed, rank sum) over every feasible plan,
/// `class` giving each agent's class (0 first), compared lexicographically.
pub fn optimum_by_class(
    e: &Edition,
    working: &[chrono::NaiveDate],
    class: &dyn Fn(&jobswap::Agent) -> usize,
) -> (Vec<u32>, u32, u32) {
    let agents = &e.agents;
    let idx: BTreeMap<&str, usize> = agents
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let service_of = |a: usize| agents[a].service.as_str();
    let offered = |h: usize, s: Slot| -> u32 {
        let a = &agents[h];
        if a.unavailable_dates.contains(&s.date) || a.unavailable_slots.contains(&s) {
            return 0;
        }
        e.host_slots
            .iter()
            .filter(|x| x.host == a.id && x.date == s.date && x.part.covers(s.half))
            .map(|x| x.capacity)
            .sum()
    };
    let visitors: Vec<usize> = (0..agents.len()).filter(|&i| agents[i].visits).collect();
    let mut options: Vec<Vec<Opt>> = Vec::new();
    for &v in &visitors {
        let a = &agents[v];
        let mut opts = Vec::new();
        for w in e.wishes.iter().filter(|w| w.visitor == a.id) {
            let hosts: Vec<usize> = match &w.target {
                Target::Host(h) => vec![idx[h.as_str()]],
                Target::Service(s) => (0..agents.len())
                    .filter(|&i| agents[i].hosts && agents[i].service == *s)
                    .collect(),
            };
            // A full-day wish needs a full day, or, where the policy lets
            // it fall back, a morning or an afternoon too (same rank).
            let parts: &[Part] = if w.duration == Duration::FullDay {
                if e.policy.half_day_fallback {
                    &[Part::FullDay, Part::Morning, Part::Afternoon]
                } else {
                    &[Part::FullDay]
                }
            } else {
                &[Part::Morning, Part::Afternoon]
            };
            for h in hosts {
                let svc = e
                    .services
                    .iter()
                    .find(|s| s.id == agents[h].service)
                    .unwrap();
                if svc.confidentiality_required
                    && !a.confidentiality_signed
                    && e.policy.confidentiality == jobswap::Confidentiality::Required
                {
                    continue;
                }
                if a.history
                    .iter()
                    .any(|p| p.visited.as_ref() == Some(&svc.id))
                    || h == v
                {
                    continue;
                }
                for &date in working {
                    for &part in parts {
                        let ok = part.halves().iter().all(|&x| {
                            let s = Slot::new(date, x);
                            offered(h, s) > 0
                                && !a.unavailable_dates.contains(&date)
                                && !a.unavailable_slots.contains(&s)
                        });
                        if ok {
                            opts.push(Opt {
                                host: h,
                                date,
                                part,
                                rank: w.rank,
                            });
                        }
                    }
                }
            }
        }
        options.push(opts);
    }
    let cap = |s: &str, slot: Slot| -> u32 {
        let svc = e.services.iter().find(|x| x.id.as_str() == s).unwrap();
        svc.cap_overrides
            .iter()
            .find(|o| o.slot == slot)
            .map_or(svc.continuity_cap, |o| o.cap)
    };
    let max_visitors = |s: &str| {
        e.services
            .iter()
            .find(|x| x.id.as_str() == s)
            .unwrap()
            .max_visitors
    };

    struct State<'a> {
        host: BTreeMap<(usize, Slot), u32>,
        away: BTreeMap<(&'a str, Slot), u32>,
        received: BTreeMap<(&'a str, Slot), u32>,
        visiting: BTreeMap<(usize, Slot), bool>,
        hosting: BTreeMap<(usize, Slot), u32>,
    }
    let mut st = State {
        host: BTreeMap::new(),
        away: BTreeMap::new(),
        received: BTreeMap::new(),
        visiting: BTreeMap::new(),
        hosting: BTreeMap::new(),
    };
    let classes: Vec<usize> = visitors.iter().map(|&v| class(&agents[v])).collect();
    let nclasses = classes.iter().max().map_or(1, |m| m + 1);
    let mut best = (vec![0u32; nclasses], 0u32, 0u32);
    let mut current = vec![0u32; nclasses];
    #[allow(clippy::too_many_arguments)]
    fn dfs<'a>(
        i: usize,
        current: &mut Vec<u32>,
        classes: &[usize],
        placed: u32,
        ranks: u32,
        visitors: &[usize],
        options: &[Vec<Opt>],
        st: &mut State<'a>,
        best: &mut (Vec<u32>, u32, u32),
        service_of: &dyn Fn(usize) -> &'a str,
        offered: &dyn Fn(usize, Slot) -> u32,
        cap: &dyn Fn(&str, Slot) -> u32,
        max_visitors: &dyn Fn(&str) -> Option<u32>,
    ) {
        if i == visitors.len() {
            let key = (current.clone(), placed, std::cmp::Reverse(ranks));
            if key > (best.0.clone(), best.1, std::cmp::Reverse(best.2)) {
                *best = (current.clone(), placed, ranks);
            }
            return;
        }
        // Even placing everyone left cannot beat the best: prune.
        let mut hope = current.clone();
        for &c in &classes[i..] {
            hope[c] += 1;
        }
        if (&hope, placed + (visitors.len() - i) as u32) < (&best.0, best.1) {
            return;
        }
        let v = visitors[i];
        for o in &options[i] {
            let slots: Vec<Slot> = o
                .part
                .halves()
                .iter()
                .map(|&x| Slot::new(o.date, x))
                .collect();
            let (vs, hs) = (service_of(v), service_of(o.host));
            let fits = slots.iter().all(|&s| {
                st.host.get(&(o.host, s)).copied().unwrap_or(0) < offered(o.host, s)
                    && st.away.get(&(vs, s)).copied().unwrap_or(0) < cap(vs, s)
                    && max_visitors(hs)
                        .is_none_or(|m| st.received.get(&(hs, s)).copied().unwrap_or(0) < m)
                    && !st.visiting.get(&(v, s)).copied().unwrap_or(false)
                    && st.hosting.get(&(v, s)).copied().unwrap_or(0) == 0
                    && !st.visiting.get(&(o.host, s)).copied().unwrap_or(false)
            });
            if !fits {
                continue;
            }
            for &s in &slots {
                *st.host.entry((o.host, s)).or_default() += 1;
                *st.away.entry((vs, s)).or_default() += 1;
                *st.received.entry((hs, s)).or_default() += 1;
                st.visiting.insert((v, s), true);
                *st.hosting.entry((o.host, s)).or_default() += 1;
            }
            current[classes[i]] += 1;
            dfs(
                i + 1,
                current,
                classes,
                placed + 1,
                ranks + o.rank,
                visitors,
                options,
                st,
                best,
                service_of,
                offered,
                cap,
                max_visitors,
            );
            current[classes[i]] -= 1;
            for &s in &slots {
                *st.host.get_mut(&(o.host, s)).unwrap() -= 1;
                *st.away.get_mut(&(vs, s)).unwrap() -= 1;
                *st.received.get_mut(&(hs, s)).unwrap() -= 1;
                st.visiting.insert((v, s), false);
                *st.hosting.get_mut(&(o.host, s)).unwrap() -= 1;
            }
        }
        dfs(
            i + 1,
            current,
            classes,
            placed,
            ranks,
            visitors,
            options,
            st,
            best,
            service_of,
            offered,
            cap,
            max_visitors,
        );
    }
    dfs(
        0,
        &mut current,
        &classes,
        0,
        0,
        &visitors,
        &options,
        &mut st,
        &mut best,
        &service_of,
        &offered,
        &cap,
        &max_visitors,
    );
    best
}
