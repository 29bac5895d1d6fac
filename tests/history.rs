//! History across editions: several editions in a row, each recorded into
//! the agents' history ([`Edition::record`]) before the next. No visitor
//! visits the same service twice; and with the optimal strategy, those
//! left out of edition k are served first in edition k+1: as many of them
//! are placed as any feasible plan of edition k+1 could place (brute force),
//! so each is placed whenever some plan places them all.

use std::collections::BTreeSet;

use jobswap::{AgentId, Edition, Instance, Outcome, Role, ServiceId, Strategy, verify};
use proptest::prelude::*;

use crate::common::{ORACLE, config, oracle, random_edition};

/// Edition `k` of a series: the same agents (with their history so far),
/// wishes and host slots, under a name that sorts after the earlier ones.
fn edition_k(base: &Edition, agents: &[jobswap::Agent], k: usize) -> Edition {
    let mut e = base.clone();
    e.name = format!("edition-{k:02}");
    e.agents = agents.to_vec();
    e
}

/// Visitors who asked in `e` and were left out of `o` (not for the cap).
fn left_out(e: &Edition, o: &Outcome) -> BTreeSet<AgentId> {
    e.agents
        .iter()
        .filter(|a| a.visits && o.pairing_of(&a.id).is_none())
        .map(|a| a.id.clone())
        .collect()
}

fn run_series(base: &Edition, editions: usize) -> Result<(), TestCaseError> {
    let mut agents = base.agents.clone();
    let mut seen: BTreeSet<(AgentId, ServiceId)> = BTreeSet::new();
    let mut last_left_out: Option<BTreeSet<AgentId>> = None;
    for k in 0..editions {
        let mut e = edition_k(base, &agents, k);
        let i = Instance::new(e.clone()).unwrap();
        let o = i.solve();
        prop_assert!(verify(i.edition(), &o).is_empty());
        for p in o.pairings() {
            prop_assert!(
                seen.insert((p.visitor.clone(), p.service.clone())),
                "{} visits {} again in edition {k}",
                p.visitor,
                p.service
            );
        }
        if let Some(prev) = &last_left_out {
            // Class 0: left out last time. The most of them any plan places.
            let (by, _, _) = oracle::optimum_by_class(i.edition(), i.calendar().days(), &|a| {
                usize::from(!prev.contains(&a.id))
            });
            let placed_first = prev.iter().filter(|a| o.pairing_of(a).is_some()).count() as u32;
            prop_assert_eq!(placed_first, by[0], "edition {}: left out last time", k);
            if by[0] as usize == prev.len() {
                prop_assert!(prev.iter().all(|a| o.pairing_of(a).is_some()));
            }
        }
        last_left_out = Some(left_out(&e, &o));
        e.record(&o);
        agents = e.agents;
    }
    // The history holds one visitor entry per edition for each visitor.
    for a in agents.iter().filter(|a| a.visits) {
        let n = a
            .history
            .iter()
            .filter(|p| p.role == Role::Visitor && p.edition.starts_with("edition-"))
            .count();
        prop_assert_eq!(n, editions, "{}", a.id);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(48))]

    /// Three optimal editions in a row on tiny random organisations.
    #[test]
    fn left_out_agents_come_first_next_time(seed in any::<u64>()) {
        let mut e = random_edition(seed, ORACLE);
        e.policy.strategy = Strategy::Optimal;
        e.policy.max_visits_per_agent = 1;
        run_series(&e, 3)?;
    }

    /// The draw never repeats a visitor–service pair either.
    #[test]
    fn the_draw_never_repeats_a_visit(seed in any::<u64>()) {
        let mut e = random_edition(seed, ORACLE);
        e.policy.strategy = Strategy::Draw;
        let mut agents = e.agents.clone();
        let mut seen = BTreeSet::new();
        for k in 0..3 {
            let mut ek = edition_k(&e, &agents, k);
            let o = Instance::new(ek.clone()).unwrap().solve();
            for p in o.pairings() {
                prop_assert!(seen.insert((p.visitor.clone(), p.service.clone())));
            }
            ek.record(&o);
            agents = ek.agents;
        }
    }
}
