//! Reciprocal binômes on the *Vis mon travail* example: every volunteer is
//! paired with someone whose service they wish and who wishes theirs.

use jobswap::{Instance, Target};

#[test]
fn vis_mon_travail_volunteers_all_form_mutual_pairs() {
    let e =
        jobswap::json::read_edition(include_str!("../examples/data/vis-mon-travail.json")).unwrap();
    let i = Instance::new(e.clone()).unwrap();
    let pairs = i.reciprocal_pairs();
    let visitors = e.agents.iter().filter(|a| a.visits).count();
    assert_eq!(pairs.pairs.len() * 2, visitors, "everyone is paired");
    let service = |id: &jobswap::AgentId| {
        e.agents
            .iter()
            .find(|a| a.id == *id)
            .unwrap()
            .service
            .clone()
    };
    let rank = |who: &jobswap::AgentId, of: &jobswap::AgentId| {
        e.wishes
            .iter()
            .find(|w| w.visitor == *who && w.target == Target::Service(service(of)))
            .map(|w| w.rank)
    };
    let mut weight = 0;
    for p in &pairs.pairs {
        assert_ne!(service(&p.a), service(&p.b));
        assert_eq!(rank(&p.a, &p.b), Some(p.rank_a));
        assert_eq!(rank(&p.b, &p.a), Some(p.rank_b));
        weight += u64::from(6 - p.rank_a) + u64::from(6 - p.rank_b);
    }
    assert_eq!(weight, pairs.weight);
    // Same seed, same pairs.
    assert_eq!(Instance::new(e).unwrap().reciprocal_pairs(), pairs);
}
