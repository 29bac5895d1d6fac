//! The stable-assignment fixtures, re-derived from the core instances alone
//! (public API only): the peer's assignment (`bench/stable.py`, the
//! `matching` package, resident-optimal) is exactly what the mechanism
//! defined in the crate's `matcher::stable` module must give, so the
//! module's unit tests can compare against it.
//!
//! On the host-only aggregate every service ranks visitors by one common
//! priority, so the stable matching is unique and equals serial
//! dictatorship in priority order: each visitor, best priority first, takes
//! its best usable wish with a seat left. That is recomputed here and
//! compared with the fixtures, and the fixtures are checked for blocking
//! pairs straight from the definition.

use jobswap::core_format::CoreInstance;
use serde_json::Value;

/// The peer's pruning (`core.py`, `feasible_edges`): a wish is usable when
/// the visitor's origin may lose someone at all and the wished service
/// offers a seat on one of the visitor's available days (both halves for
/// a full-day visit).
fn usable(inst: &CoreInstance, v: usize, d: usize) -> bool {
    let vis = &inst.visitors[v];
    let hc = &inst.services[d].host_cap;
    inst.services[vis.origin as usize].away_cap > 0
        && vis.available.iter().any(|&k| {
            let (am, pm) = (hc[2 * k as usize] > 0, hc[2 * k as usize + 1] > 0);
            if vis.full_day { am && pm } else { am || pm }
        })
}

struct Market {
    /// Usable wishes per visitor, in rank order.
    prefs: Vec<Vec<usize>>,
    /// `min(Σ_t host_cap, visitors listing the service)`.
    capacity: Vec<usize>,
    /// Priority rank per visitor (0 = first).
    rank: Vec<usize>,
    /// Visitors, best priority first.
    order: Vec<usize>,
}

fn market(inst: &CoreInstance, priority: &Value) -> Market {
    let n = inst.visitors.len();
    let prefs: Vec<Vec<usize>> = (0..n)
        .map(|v| {
            inst.visitors[v]
                .wishes
                .iter()
                .map(|&d| d as usize)
                .filter(|&d| usable(inst, v, d))
                .collect()
        })
        .collect();
    let mut demand = vec![0usize; inst.services.len()];
    for d in prefs.iter().flatten() {
        demand[*d] += 1;
    }
    let capacity = inst
        .services
        .iter()
        .zip(&demand)
        .map(|(s, &k)| (s.host_cap.iter().map(|&c| c as usize).sum::<usize>()).min(k))
        .collect();
    let order: Vec<usize> = priority["priority"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect();
    let mut rank = vec![usize::MAX; n];
    for (r, &v) in order.iter().enumerate() {
        assert_eq!(rank[v], usize::MAX, "visitor {v} listed twice");
        rank[v] = r;
    }
    assert!(rank.iter().all(|&r| r < n), "the priority is a permutation");
    Market {
        prefs,
        capacity,
        rank,
        order,
    }
}

fn assignment(assign: &Value) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = assign["assign"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_u64().unwrap() as usize,
                p[1].as_u64().unwrap() as usize,
            )
        })
        .collect();
    out.sort_unstable();
    out
}

fn check(instance: &str, priority: &str, assign: &str, expected: usize) {
    let inst: CoreInstance = serde_json::from_str(instance).unwrap();
    let priority: Value = serde_json::from_str(priority).unwrap();
    let assign: Value = serde_json::from_str(assign).unwrap();
    let m = market(&inst, &priority);
    let pairs = assignment(&assign);
    assert_eq!(pairs.len(), expected);
    assert_eq!(assign["placed"].as_u64().unwrap() as usize, pairs.len());

    // Serial dictatorship in priority order.
    let mut left = m.capacity.clone();
    let mut sd = Vec::new();
    for &v in &m.order {
        if let Some(&d) = m.prefs[v].iter().find(|&&d| left[d] > 0) {
            left[d] -= 1;
            sd.push((v, d));
        }
    }
    sd.sort_unstable();
    assert_eq!(sd, pairs, "the fixture is the unique stable matching");

    // No blocking pair, from the definition.
    let n = inst.visitors.len();
    let mut got = vec![None; n];
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); inst.services.len()];
    for &(v, d) in &pairs {
        assert!(got[v].is_none(), "visitor {v} assigned twice");
        let i = m.prefs[v].iter().position(|&x| x == d);
        assert!(i.is_some(), "visitor {v}: service {d} is not a usable wish");
        got[v] = i;
        held[d].push(v);
    }
    for (d, h) in held.iter().enumerate() {
        assert!(h.len() <= m.capacity[d], "service {d} over capacity");
    }
    for (v, g) in got.iter().enumerate() {
        let better = &m.prefs[v][..g.unwrap_or(m.prefs[v].len())];
        for &d in better {
            let envy =
                held[d].len() < m.capacity[d] || held[d].iter().any(|&u| m.rank[u] > m.rank[v]);
            assert!(!envy, "({v}, {d}) blocks");
        }
    }
    let rank_sum: usize = pairs
        .iter()
        .map(|&(v, d)| {
            1 + inst.visitors[v]
                .wishes
                .iter()
                .position(|&x| x as usize == d)
                .unwrap()
        })
        .sum();
    assert_eq!(assign["rank_sum"].as_u64().unwrap() as usize, rank_sum);
}

#[test]
fn small_fixture_is_the_stable_matching() {
    check(
        include_str!("fixtures/stable_small_instance.json"),
        include_str!("fixtures/stable_small_priority.json"),
        include_str!("fixtures/stable_small_assign.json"),
        158,
    );
}

#[test]
fn medium_fixture_is_the_stable_matching() {
    check(
        include_str!("fixtures/stable_medium_instance.json"),
        include_str!("fixtures/stable_medium_priority.json"),
        include_str!("fixtures/stable_medium_assign.json"),
        1575,
    );
}

/// The large instance is read from the peer harness beside the crate when
/// present (it is not copied into the crate).
#[test]
fn large_fixture_is_the_stable_matching() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/bench/instances/large.json"
    );
    let Ok(instance) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    check(
        &instance,
        include_str!("fixtures/stable_large_priority.json"),
        include_str!("fixtures/stable_large_assign.json"),
        12428,
    );
}

proptest::proptest! {
    #![proptest_config(crate::common::config(64))]

    /// Every stable outcome passes the checker and ignores input order.
    #[test]
    fn stable_outcomes_pass_the_checker_and_ignore_input_order(
        seed in proptest::prelude::any::<u64>(),
        shuffle in proptest::prelude::any::<u64>(),
    ) {
        let mut e = crate::common::random_edition(seed, crate::common::SMALL);
        e.policy.strategy = jobswap::Strategy::Stable;
        e.policy.max_visits_per_agent = 1;
        let i = jobswap::Instance::new(e.clone()).unwrap();
        let o = i.solve();
        let v = jobswap::verify(i.edition(), &o);
        proptest::prop_assert!(v.is_empty(), "{v:?}");
        let o2 = jobswap::Instance::new(crate::common::shuffled(&e, shuffle)).unwrap().solve();
        proptest::prop_assert_eq!(o, o2);
    }
}
