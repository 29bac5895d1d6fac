//! A self-contained HTML report of an outcome, for the organisers.
//!
//! [`report`] renders one HTML5 page: inline CSS, no JavaScript, no
//! external resource (fonts, images, scripts), so the file can be mailed,
//! opened from disk or printed. The labels are in **French**, the language
//! of the organisers the programme comes from (*Vis mon job*, *Montre-moi
//! ton job*); the page declares `lang="fr"`. Ids and names from the edition
//! appear as given, escaped.
//!
//! The page holds, in order:
//!
//! 1. the title (the edition's name), its dates, the strategy and the seed;
//! 2. the headline figures: visitors placed out of those who asked, share
//!    of first choices, sum of wish ranks, and the upper bound with its gap
//!    where the strategy computed one;
//! 3. a **heat map** of continuity of service: one row per service, one
//!    column per half-day of the edition's working days, grouped by week;
//!    each cell shows, above, the agents of the service away visiting
//!    against its continuity cap and, below, the visitors received against
//!    the capacity its hosts offer; hovering a cell (its `title`) gives the
//!    numbers;
//! 4. the histogram of the wish ranks satisfied;
//! 5. the pairings by date (date, half-day, visitor, service visited, host,
//!    rank);
//! 6. the visitors left out, each reason as a French sentence, then, apart,
//!    the volunteers kept out by the participation cap (not counted among
//!    those who asked);
//! 7. the load per service.
//!
//! The output is deterministic: the same edition, calendar and outcome give
//! the same bytes, whatever order the edition lists things in.
//!
//! ```
//! use chrono::NaiveDate;
//! use jobswap::{Agent, Edition, HostSlot, Instance, Part, Service, Wish};
//!
//! let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
//! let edition = Edition::new("Vis mon job", d(3), d(7))
//!     .service(Service::new("accueil", "Accueil"))
//!     .service(Service::new("scolaire", "Vie scolaire"))
//!     .agent(Agent::new("denise", "Denise", "accueil").visits(true))
//!     .agent(Agent::new("vero", "Véronique", "scolaire").hosts(true))
//!     .wish(Wish::service("denise", "scolaire", 1))
//!     .host_slot(HostSlot::new("v-04", "vero", d(4), Part::Morning));
//! let instance = Instance::new(edition)?;
//! let outcome = instance.solve();
//! let page = jobswap::html::report(instance.edition(), instance.calendar(), &outcome);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("Véronique"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::calendar::{Calendar, french_public_holidays};
use crate::outcome::{SlotLoad, Unplaced};
use crate::{
    AgentId, Duration, Edition, HalfDay, Outcome, Part, PublicHolidays, Service, ServiceId, Slot,
    Strategy, Target, UnplacedReason,
};

/// Rendering options of [`report_with`].
///
/// ```
/// let o = jobswap::html::Options::default().max_services(10).weeks_per_block(4);
/// assert_eq!(o.max_services, 10);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Most services shown in the heat map (default 40). Beyond, the most
    /// active services are kept (visits made plus received, then id) and a
    /// note says how many were left out; the load table lists them all.
    pub max_services: usize,
    /// Weeks per heat-map table (default 5): a long edition is cut into
    /// several tables, one under the other, so that cells stay readable.
    pub weeks_per_block: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_services: 40,
            weeks_per_block: 5,
        }
    }
}

impl Options {
    /// Sets [`Options::max_services`] (at least 1).
    #[must_use]
    pub fn max_services(mut self, n: usize) -> Self {
        self.max_services = n.max(1);
        self
    }

    /// Sets [`Options::weeks_per_block`] (at least 1).
    #[must_use]
    pub fn weeks_per_block(mut self, n: usize) -> Self {
        self.weeks_per_block = n.max(1);
        self
    }
}

/// Renders the HTML report of `outcome`, an outcome of `edition` whose
/// working days are `calendar` (use [`crate::Instance::edition`] and
/// [`crate::Instance::calendar`]), with the default [`Options`].
///
/// Never panics: ids the edition does not know are shown as they are.
pub fn report(edition: &Edition, calendar: &Calendar, outcome: &Outcome) -> String {
    report_with(edition, calendar, outcome, &Options::default())
}

/// Renders the HTML report of `outcome` with `options`. See [`report`].
pub fn report_with(
    edition: &Edition,
    calendar: &Calendar,
    outcome: &Outcome,
    options: &Options,
) -> String {
    let ctx = Ctx::new(edition, calendar, outcome);
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, &ctx);
    summary(&mut out, &ctx);
    heat_map(&mut out, &ctx, options);
    histogram(&mut out, &ctx);
    pairings(&mut out, &ctx);
    unplaced(&mut out, &ctx);
    service_table(&mut out, &ctx);
    footer(&mut out, &ctx);
    out
}

/// Escapes `s` for HTML text and attribute values.
///
/// ```
/// assert_eq!(
///     jobswap::html::escape(r#"<b> & "q" 'a'"#),
///     "&lt;b&gt; &amp; &quot;q&quot; &#39;a&#39;"
/// );
/// ```
pub fn escape(s: &str) -> String {
    Esc(s).to_string()
}

/// Writes formatted text; writing to a `String` cannot fail.
fn put(out: &mut String, args: fmt::Arguments<'_>) {
    let _ = out.write_fmt(args);
}

/// A value displayed escaped.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// Load of one service at one half-day, every cell of the heat map.
#[derive(Clone, Copy, Default)]
struct Cell {
    away: u32,
    cap: u32,
    received: u32,
    offered: u32,
}

/// Lookups built once.
struct Ctx<'a> {
    edition: &'a Edition,
    calendar: &'a Calendar,
    outcome: &'a Outcome,
    agent_names: BTreeMap<&'a str, &'a str>,
    agent_service: BTreeMap<&'a str, &'a ServiceId>,
    services: BTreeMap<&'a str, &'a Service>,
    /// Services in display order: by name, then id.
    order: Vec<&'a ServiceId>,
    /// Per service id: its cells, keyed by slot.
    cells: BTreeMap<&'a str, BTreeMap<Slot, Cell>>,
}

impl<'a> Ctx<'a> {
    fn new(edition: &'a Edition, calendar: &'a Calendar, outcome: &'a Outcome) -> Self {
        let agent_names = edition
            .agents
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str()))
            .collect();
        let agent_service: BTreeMap<&str, &ServiceId> = edition
            .agents
            .iter()
            .map(|a| (a.id.as_str(), &a.service))
            .collect();
        let services: BTreeMap<&str, &Service> = edition
            .services
            .iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        let mut ids: BTreeSet<&ServiceId> = edition.services.iter().map(|s| &s.id).collect();
        ids.extend(outcome.report.services.iter().map(|l| &l.service));
        let mut order: Vec<&ServiceId> = ids.into_iter().collect();
        order.sort_by(|a, b| {
            let name = |id: &ServiceId| services.get(id.as_str()).map_or("", |s| s.name.as_str());
            name(a).cmp(name(b)).then_with(|| a.cmp(b))
        });

        // The caps and offers of every cell, from the edition; then the
        // report's loads on top (they carry the caps the solver used).
        let mut cells: BTreeMap<&str, BTreeMap<Slot, Cell>> = BTreeMap::new();
        for &id in &order {
            let mut row = BTreeMap::new();
            let cap = services.get(id.as_str()).map_or(0, |s| s.continuity_cap);
            for &date in calendar.days() {
                for half in HalfDay::BOTH {
                    row.insert(
                        Slot::new(date, half),
                        Cell {
                            cap,
                            ..Cell::default()
                        },
                    );
                }
            }
            if let Some(s) = services.get(id.as_str()) {
                for o in &s.cap_overrides {
                    if let Some(c) = row.get_mut(&o.slot) {
                        c.cap = o.cap;
                    }
                }
            }
            cells.insert(id.as_str(), row);
        }
        let unavailable: BTreeMap<&str, (BTreeSet<NaiveDate>, BTreeSet<Slot>)> = edition
            .agents
            .iter()
            .map(|a| {
                (
                    a.id.as_str(),
                    (
                        a.unavailable_dates.iter().copied().collect(),
                        a.unavailable_slots.iter().copied().collect(),
                    ),
                )
            })
            .collect();
        for hs in &edition.host_slots {
            let Some(service) = agent_service.get(hs.host.as_str()) else {
                continue;
            };
            let Some(row) = cells.get_mut(service.as_str()) else {
                continue;
            };
            for &half in hs.part.halves() {
                let slot = Slot::new(hs.date, half);
                let away = unavailable
                    .get(hs.host.as_str())
                    .is_some_and(|(d, s)| d.contains(&hs.date) || s.contains(&slot));
                if away {
                    continue;
                }
                if let Some(c) = row.get_mut(&slot) {
                    c.offered = c.offered.saturating_add(hs.capacity);
                }
            }
        }
        for load in &outcome.report.services {
            if let Some(row) = cells.get_mut(load.service.as_str()) {
                for &SlotLoad {
                    slot,
                    away,
                    continuity_cap,
                    received,
                    offered,
                    ..
                } in &load.slots
                {
                    row.insert(
                        slot,
                        Cell {
                            away,
                            cap: continuity_cap,
                            received,
                            offered,
                        },
                    );
                }
            }
        }
        Ctx {
            edition,
            calendar,
            outcome,
            agent_names,
            agent_service,
            services,
            order,
            cells,
        }
    }

    fn agent<'b>(&'b self, id: &'b AgentId) -> &'b str {
        self.agent_names
            .get(id.as_str())
            .copied()
            .unwrap_or(id.as_str())
    }

    fn service<'b>(&'b self, id: &'b ServiceId) -> &'b str {
        self.services
            .get(id.as_str())
            .map_or(id.as_str(), |s| s.name.as_str())
    }

    fn service_of(&self, agent: &AgentId) -> Option<&ServiceId> {
        self.agent_service.get(agent.as_str()).copied()
    }

    fn target(&self, t: &Target) -> String {
        match t {
            Target::Service(s) => format!("le service «\u{a0}{}\u{a0}»", self.service(s)),
            Target::Host(h) => {
                let name = self.agent(h);
                match self.service_of(h) {
                    Some(s) => format!("l’hôte {name} ({})", self.service(s)),
                    None => format!("l’hôte {name}"),
                }
            }
        }
    }
}

fn month(d: NaiveDate) -> &'static str {
    crate::calendar::MONTHS_FR[d.month0() as usize % 12]
}

fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

fn weekday_short(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "lu",
        Weekday::Tue => "ma",
        Weekday::Wed => "me",
        Weekday::Thu => "je",
        Weekday::Fri => "ve",
        Weekday::Sat => "sa",
        Weekday::Sun => "di",
    }
}

/// « lundi 3 mars 2025 »
fn long_date(d: NaiveDate) -> String {
    format!("{} {} {} {}", weekday(d), d.day(), month(d), d.year())
}

/// « lun. 3 mars »
fn short_date(d: NaiveDate) -> String {
    let w = weekday(d);
    let w: String = w.chars().take(3).collect();
    format!("{w}. {} {}", d.day(), month(d))
}

fn half_name(h: HalfDay) -> &'static str {
    match h {
        HalfDay::Morning => "matin",
        HalfDay::Afternoon => "après-midi",
    }
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Morning => "Matin",
        Part::Afternoon => "Après-midi",
        Part::FullDay => "Journée",
    }
}

fn strategy_name(s: Strategy) -> &'static str {
    match s {
        Strategy::Draw => "Tirage au sort",
        Strategy::Optimal => "Affectation optimale",
        Strategy::Stable => "Affectation stable",
        Strategy::Reciprocal => "Binômes réciproques",
    }
}

/// A share in per mille as « 72,2 % ».
fn per_mille(pm: u64) -> String {
    format!("{},{}\u{a0}%", pm / 10, pm % 10)
}

/// `num / den` as « 72,2 % » (rounded), « – » when `den` is 0.
fn share(num: u64, den: u64) -> String {
    (num.saturating_mul(1000).saturating_add(den / 2))
        .checked_div(den)
        .map_or_else(|| "–".to_owned(), per_mille)
}

/// The French sentence for one reason.
fn reason(ctx: &Ctx<'_>, r: &UnplacedReason) -> String {
    match r {
        UnplacedReason::ParticipationCapReached { participations } => format!(
            "A déjà fait {participations} visite(s) au fil des éditions : le plafond de \
             participations est atteint."
        ),
        UnplacedReason::NothingOffered => "Aucun vœu exprimé, et aucun autre service que le sien \
             ne propose de créneau d’accueil."
            .to_owned(),
        UnplacedReason::NoHostSlot { target } => format!(
            "Pour {} : aucun créneau d’accueil n’est proposé sur un jour ouvré de l’édition.",
            ctx.target(target)
        ),
        UnplacedReason::ConfidentialityMissing { target } => format!(
            "Pour {} : l’engagement de confidentialité exigé n’a pas été signé.",
            ctx.target(target)
        ),
        UnplacedReason::AlreadyVisited { target } => format!(
            "Pour {} : déjà découvert lors d’une édition précédente.",
            ctx.target(target)
        ),
        UnplacedReason::DurationNotOffered { target, duration } => format!(
            "Pour {} : aucun créneau {} n’est proposé.",
            ctx.target(target),
            match duration {
                Duration::HalfDay => "d’une demi-journée",
                Duration::FullDay =>
                    "d’une journée entière (matin et après-midi avec le même hôte)",
            }
        ),
        UnplacedReason::AvailabilityNeverMeets { target } => format!(
            "Pour {} : l’agent n’est disponible à aucun des créneaux proposés.",
            ctx.target(target)
        ),
        UnplacedReason::HostSlotsTaken { target } => format!(
            "Pour {} : tous les créneaux où l’agent est libre sont déjà pris par d’autres visiteurs.",
            ctx.target(target)
        ),
        UnplacedReason::ContinuityCapSaturated {
            target,
            own_service,
        } => format!(
            "Pour {} : à chaque créneau où l’agent est libre, son service «\u{a0}{}\u{a0}» \
             a déjà le nombre maximal d’agents absents (continuité de service).",
            ctx.target(target),
            ctx.service(own_service)
        ),
        UnplacedReason::Overlap { target } => format!(
            "Pour {} : à chaque créneau où l’agent est libre, il accueille lui-même un visiteur \
             ou l’hôte est en visite.",
            ctx.target(target)
        ),
        UnplacedReason::SlotsBlocked { target } => format!(
            "Pour {} : chaque créneau possible est bloqué, tantôt par la capacité d’accueil, \
             tantôt par la continuité de service ou un chevauchement.",
            ctx.target(target)
        ),
        UnplacedReason::NotChosen { target } => format!(
            "Pour {} : un créneau restait libre, mais un autre visiteur a été retenu \
             (ou la recherche s’est arrêtée avant).",
            ctx.target(target)
        ),
    }
}

const CSS: &str = "\
:root{--ink:#1f2937;--mute:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--acc:#1d4ed8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--ink);background:#fff}
main{max-width:1360px;margin:0 auto;padding:28px 32px 40px}
header{border-bottom:3px solid var(--acc);padding-bottom:14px;margin-bottom:20px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.sub{color:var(--mute);margin:0}
.note{color:var(--mute);font-size:13px;margin:6px 0}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 4px}
.card{flex:1 1 180px;border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--bg)}
.card .v{font-size:24px;font-weight:650;display:block}
.card .k{color:var(--mute);font-size:12.5px}
table{border-collapse:collapse}
.list{width:100%}
.list th,.list td{text-align:left;padding:5px 10px;border-bottom:1px solid #f1f5f9;vertical-align:baseline}
.list th{font-size:12.5px;color:var(--mute);font-weight:600;background:var(--bg)}
.list td.n,.list th.n{text-align:right;font-variant-numeric:tabular-nums}
.list tr.d1 td{border-top:1px solid #cbd5e1}
.small{color:var(--mute);font-size:12.5px}
.list td.nw{white-space:nowrap}
.tag{display:inline-block;font-size:11.5px;padding:0 6px;border-radius:9px;background:#fef3c7;color:#92400e}
.wrap{overflow-x:auto;margin-bottom:14px}
.heat{table-layout:fixed;font-size:11px}
.heat th,.heat td{padding:0}
.heat col.svc{width:270px}.heat col.hd{width:19px}
.heat th.svc{text-align:right;padding-right:8px;font-weight:500;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.heat thead th{color:var(--mute);font-weight:500;text-align:center;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.heat thead tr.w th.svc{border:0}
.heat thead tr.w th{color:var(--ink);font-weight:600;border-bottom:1px solid var(--line);padding:2px 0}
.heat thead tr.d th{font-size:10px;color:var(--ink)}.heat thead tr.d span{color:var(--mute)}
.heat thead tr.h th{font-size:9.5px}
.heat td{height:26px;border:1px solid #fff}
.heat .ws{border-left:2px solid #94a3b8}
.heat td i{display:block;height:50%}
.a0{background:#eef2f7}.a1{background:#fdba74}.a2{background:#ea580c}.a3{background:#b91c1c}
.r0{background:#c9ebe7}.r1{background:#5eead4}.r2{background:#0f766e}.rx{background:#fff}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;font-size:12.5px;color:var(--mute);margin:4px 0 10px}
.legend span{display:inline-flex;align-items:center;gap:5px}
.legend b{display:inline-block;width:14px;height:10px;border:1px solid #d1d5db}
.bars td{padding:3px 8px 3px 0;font-size:13px}
.bars .bar{height:16px;background:var(--acc);border-radius:2px;min-width:1px}
.bars .bar.nw{background:#94a3b8}
.bars .track{width:520px}
ul.why{margin:2px 0 0;padding-left:18px}
li.proof{color:#555;font-style:italic}
footer{margin-top:34px;color:var(--mute);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@media print{main{max-width:none;padding:0}.wrap{overflow:visible}h2{break-after:avoid}}
";

fn head(out: &mut String, ctx: &Ctx<'_>) {
    let e = ctx.edition;
    let o = ctx.outcome;
    put(
        out,
        format_args!(
            "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"jobswap {}\">\n\
             <title>{} — bilan de l’appariement</title>\n<style>\n{CSS}</style>\n</head>\n\
             <body>\n<main>\n<header>\n<h1>{}</h1>\n",
            Esc(&o.crate_version),
            Esc(&e.name),
            Esc(&e.name),
        ),
    );
    put(
        out,
        format_args!(
            "<p class=\"sub\">Du {} au {} · {} jours ouvrés · {} · graine {}</p>\n</header>\n",
            long_date(e.start),
            long_date(e.end),
            ctx.calendar.days().len(),
            strategy_name(o.strategy),
            o.seed
        ),
    );
}

fn summary(out: &mut String, ctx: &Ctx<'_>) {
    let r = &ctx.outcome.report;
    out.push_str("<section>\n<h2>En bref</h2>\n<div class=\"cards\">\n");
    let card = |out: &mut String, value: &str, label: &str| {
        put(
            out,
            format_args!(
                "<div class=\"card\"><span class=\"v\">{}</span><span class=\"k\">{}</span></div>\n",
                Esc(value),
                Esc(label)
            ),
        );
    };
    card(
        out,
        &format!("{} / {}", r.placed, r.asked),
        &format!(
            "visiteurs placés ({})",
            share(u64::from(r.placed), u64::from(r.asked))
        ),
    );
    if r.visits != r.placed {
        card(out, &r.visits.to_string(), "visites programmées");
    }
    let with_wish = r.visits.saturating_sub(r.without_wish);
    if with_wish == 0 && r.visits > 0 {
        card(
            out,
            &r.without_wish.to_string(),
            "visites tirées sans vœu (pas de rang)",
        );
    } else {
        card(
            out,
            &if with_wish == 0 {
                "–".to_owned()
            } else {
                per_mille(u64::from(r.first_choice_per_mille))
            },
            "ont obtenu leur premier choix",
        );
        card(
            out,
            &r.rank_sum.to_string(),
            "somme des rangs des vœux satisfaits",
        );
    }
    if r.fallbacks > 0 {
        card(
            out,
            &r.fallbacks.to_string(),
            "demi-journées au lieu de la journée demandée",
        );
    }
    if let Some(b) = ctx.outcome.bound() {
        let gap = b.placed.saturating_sub(r.placed);
        card(
            out,
            &format!("{} (écart {gap})", b.placed),
            "borne supérieure des placés",
        );
    }
    let capped = ctx.outcome.capped();
    card(
        out,
        &(ctx.outcome.unplaced.len() as u64)
            .saturating_sub(u64::from(capped))
            .to_string(),
        "visiteurs non placés",
    );
    if capped > 0 {
        card(
            out,
            &capped.to_string(),
            "volontaires au plafond de participations (non comptés)",
        );
    }
    out.push_str("</div>\n");
    if r.fallbacks > 0 {
        card(
            out,
            &r.fallbacks.to_string(),
            "demi-journées au lieu de la journée demandée",
        );
    }
    if let Some(b) = ctx.outcome.bound() {
        let gap = b.placed.saturating_sub(r.placed);
        let text = if gap == 0 {
            "Aucun plan ne place plus de visiteurs : celui-ci est optimal en nombre de placés."
                .to_owned()
        } else {
            format!(
                "Aucun plan ne place plus de {} visiteurs ; l’écart certifié est de {gap} ({} de la borne).",
                b.placed,
                share(u64::from(gap), u64::from(b.placed))
            )
        };
        put(
            out,
            format_args!(
                "<p class=\"note\">{} Borne : {}.</p>\n",
                Esc(&text),
                Esc(&b.source)
            ),
        );
    }
    out.push_str("</section>\n");
}

/// The working days grouped into ISO weeks.
fn weeks(days: &[NaiveDate]) -> Vec<&[NaiveDate]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=days.len() {
        let cut = i == days.len() || days[i].iso_week() != days[start].iso_week();
        if cut {
            out.push(&days[start..i]);
            start = i;
        }
    }
    out
}

/// Months as abbreviated in French typography.
const MONTHS_FR_SHORT: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// The heading of a week in the heat map, « S10 · 3–7 mars », and the same
/// in full for its tooltip. Where the full form would not fit above the
/// week's columns (19 px a half-day; at most 7 px a bold character, 4 px a
/// narrow one), months are abbreviated, then only the week number is left.
fn week_label(week: &[NaiveDate]) -> (String, String) {
    let (Some(&first), Some(&last)) = (week.first(), week.last()) else {
        return (String::new(), String::new());
    };
    let n = first.iso_week().week();
    let span = |month: &dyn Fn(NaiveDate) -> &'static str| {
        if first == last {
            format!("S{n} · {} {}", first.day(), month(first))
        } else if first.month() == last.month() {
            format!("S{n} · {}–{} {}", first.day(), last.day(), month(last))
        } else {
            format!(
                "S{n} · {} {} – {} {}",
                first.day(),
                month(first),
                last.day(),
                month(last)
            )
        }
    };
    let full = span(&month);
    let room = week.len() * 2 * 19;
    let fits = |label: &str| {
        let width: usize = label
            .chars()
            .map(|c| if " ·.ijlrtf".contains(c) { 4 } else { 7 })
            .sum();
        width + 6 <= room
    };
    let short = span(&|d| MONTHS_FR_SHORT[d.month0() as usize % 12]);
    let shown = [full.clone(), short]
        .into_iter()
        .find(|l| fits(l))
        .unwrap_or_else(|| format!("S{n}"));
    (shown, full)
}

fn heat_map(out: &mut String, ctx: &Ctx<'_>, options: &Options) {
    out.push_str("<section>\n<h2>Continuité de service, demi-journée par demi-journée</h2>\n");
    out.push_str(
        "<div class=\"legend\">\
         <span>Haut de case, agents du service partis en visite :</span>\
         <span><b class=\"a0\"></b>aucun</span>\
         <span><b class=\"a1\"></b>sous le plafond</span>\
         <span><b class=\"a2\"></b>au plafond</span>\
         <span><b class=\"a3\"></b>au-delà</span></div>\n\
         <div class=\"legend\">\
         <span>Bas de case, visiteurs reçus :</span>\
         <span><b class=\"rx\"></b>pas d’accueil proposé</span>\
         <span><b class=\"r0\"></b>accueil proposé, aucun visiteur</span>\
         <span><b class=\"r1\"></b>en partie occupé</span>\
         <span><b class=\"r2\"></b>complet</span></div>\n\
         <p class=\"note\">Chaque jour a deux colonnes : le matin (M) puis l’après-midi (A). \
         Le survol d’une case donne les nombres.</p>\n",
    );
    let days = ctx.calendar.days();
    if days.is_empty() {
        out.push_str("<p>L’édition n’a aucun jour ouvré.</p>\n");
    }
    closed_days_note(out, ctx);

    // Which services: all, or the most active ones.
    let mut shown: Vec<&ServiceId> = ctx.order.clone();
    if shown.len() > options.max_services {
        let activity: BTreeMap<&str, u64> = ctx
            .outcome
            .report
            .services
            .iter()
            .map(|l| {
                (
                    l.service.as_str(),
                    u64::from(l.visits_made) + u64::from(l.visits_received),
                )
            })
            .collect();
        let mut by_activity = shown.clone();
        by_activity.sort_by(|a, b| {
            let act = |id: &ServiceId| activity.get(id.as_str()).copied().unwrap_or(0);
            act(b).cmp(&act(a)).then_with(|| a.cmp(b))
        });
        let keep: BTreeSet<&ServiceId> =
            by_activity.into_iter().take(options.max_services).collect();
        put(
            out,
            format_args!(
                "<p class=\"note\">{} services sur {} sont affichés, les plus actifs \
                 (visites faites et reçues) ; le tableau de charge plus bas les liste tous.</p>\n",
                keep.len(),
                shown.len()
            ),
        );
        shown.retain(|s| keep.contains(s));
    }

    let weeks = weeks(days);
    // Balanced blocks: 11 weeks at 5 per block give 4 + 4 + 3, not 5 + 5 + 1.
    let per = options.weeks_per_block.max(1);
    let blocks = weeks.len().div_ceil(per).max(1);
    for block in weeks.chunks(weeks.len().div_ceil(blocks).max(1)) {
        let columns: usize = block.iter().map(|w| w.len() * 2).sum();
        put(
            out,
            format_args!(
                "<div class=\"wrap\">\n<table class=\"heat\" style=\"width:{}px\">\n<colgroup><col class=\"svc\">\
                 <col span=\"{columns}\" class=\"hd\"></colgroup>\n<thead>\n\
                 <tr class=\"w\"><th class=\"svc\"></th>",
                270 + columns * 19
            ),
        );
        for week in block {
            let (shown, full) = week_label(week);
            put(
                out,
                format_args!(
                    "<th colspan=\"{}\" class=\"ws\" title=\"{}\">{}</th>",
                    week.len() * 2,
                    Esc(&full),
                    Esc(&shown)
                ),
            );
        }
        out.push_str("</tr>\n<tr class=\"d\"><th class=\"svc\"></th>");
        for week in block {
            for (i, &d) in week.iter().enumerate() {
                put(
                    out,
                    format_args!(
                        "<th colspan=\"2\"{} title=\"{}\"><span>{}</span> {}</th>",
                        if i == 0 { " class=\"ws\"" } else { "" },
                        long_date(d),
                        weekday_short(d),
                        d.day()
                    ),
                );
            }
        }
        out.push_str("</tr>\n<tr class=\"h\"><th class=\"svc\"></th>");
        for week in block {
            for i in 0..week.len() {
                put(
                    out,
                    format_args!(
                        "<th{}>M</th><th>A</th>",
                        if i == 0 { " class=\"ws\"" } else { "" }
                    ),
                );
            }
        }
        out.push_str("</tr>\n</thead>\n<tbody>\n");
        for &sid in &shown {
            let name = ctx.service(sid);
            put(
                out,
                format_args!(
                    "<tr><th class=\"svc\" title=\"{}\">{}</th>",
                    Esc(name),
                    Esc(name)
                ),
            );
            let row = ctx.cells.get(sid.as_str());
            for week in block {
                for (i, &d) in week.iter().enumerate() {
                    for half in HalfDay::BOTH {
                        let slot = Slot::new(d, half);
                        let c = row.and_then(|r| r.get(&slot)).copied().unwrap_or_default();
                        cell(out, name, slot, c, i == 0 && half == HalfDay::Morning);
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
    }
    out.push_str("</section>\n");
}

fn cell(out: &mut String, service: &str, slot: Slot, c: Cell, week_start: bool) {
    let a = if c.away == 0 {
        0
    } else if c.away < c.cap {
        1
    } else if c.away == c.cap {
        2
    } else {
        3
    };
    let r = if c.offered == 0 && c.received == 0 {
        "x"
    } else if c.received == 0 {
        "0"
    } else if c.received < c.offered {
        "1"
    } else {
        "2"
    };
    put(
        out,
        format_args!(
            "<td{} title=\"{} — {} {}&#10;Absents : {} / plafond {}&#10;Visiteurs reçus : {} / {} proposé{}\"><i class=\"a{a}\"></i><i class=\"r{r}\"></i></td>",
            if week_start { " class=\"ws\"" } else { "" },
            Esc(service),
            short_date(slot.date),
            half_name(slot.half),
            c.away,
            c.cap,
            c.received,
            c.offered,
            if c.offered > 1 { "s" } else { "" },
        ),
    );
}

/// Lists the weekdays of the window that are not working days.
fn closed_days_note(out: &mut String, ctx: &Ctx<'_>) {
    let e = ctx.edition;
    let mut names: BTreeMap<NaiveDate, &str> = BTreeMap::new();
    if e.public_holidays == PublicHolidays::France {
        for y in e.start.year()..=e.end.year().min(e.start.year().saturating_add(1)) {
            names.extend(french_public_holidays(y));
        }
    }
    let mut closed = Vec::new();
    let mut d = e.start;
    for _ in 0..366 {
        if d > e.end {
            break;
        }
        if e.working_weekdays.contains(&d.weekday()) && !ctx.calendar.is_working_day(d) {
            closed.push(match names.get(&d) {
                Some(n) => format!("{} ({n})", short_date(d)),
                None => short_date(d),
            });
        }
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    if !closed.is_empty() {
        put(
            out,
            format_args!(
                "<p class=\"note\">Jours fermés dans la période : {}.</p>\n",
                Esc(&closed.join(", "))
            ),
        );
    }
}

fn histogram(out: &mut String, ctx: &Ctx<'_>) {
    let r = &ctx.outcome.report;
    out.push_str("<section>\n<h2>Rang des vœux satisfaits</h2>\n");
    let mut rows: Vec<(String, u32, bool)> = r
        .rank_histogram
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let label = if i == 0 {
                "1er vœu".to_owned()
            } else {
                format!("{}e vœu", i + 1)
            };
            (label, n, false)
        })
        .collect();
    if r.without_wish > 0 {
        rows.push(("sans vœu".to_owned(), r.without_wish, true));
    }
    if rows.iter().all(|(_, n, _)| *n == 0) {
        out.push_str("<p>Aucune visite programmée.</p>\n</section>\n");
        return;
    }
    let max = rows.iter().map(|(_, n, _)| *n).max().unwrap_or(1).max(1);
    let total = u64::from(r.visits.max(1));
    out.push_str("<table class=\"bars\">\n<tbody>\n");
    for (label, n, nw) in rows {
        let width = u64::from(n) * 1000 / u64::from(max);
        put(
            out,
            format_args!(
                "<tr><td>{}</td><td class=\"track\"><div class=\"bar{}\" style=\"width:{}.{}%\"></div></td>\
                 <td>{n}</td><td class=\"small\">{}</td></tr>\n",
                Esc(&label),
                if nw { " nw" } else { "" },
                width / 10,
                width % 10,
                share(u64::from(n), total)
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn pairings(out: &mut String, ctx: &Ctx<'_>) {
    put(
        out,
        format_args!(
            "<section>\n<h2>Visites par date ({})</h2>\n",
            ctx.outcome.pairings.len()
        ),
    );
    let by_date = ctx.outcome.by_date();
    if by_date.is_empty() {
        out.push_str("<p>Aucune visite n’a été placée.</p>\n</section>\n");
        return;
    }
    // A pure draw has no ranks: no rank column then.
    let ranked = ctx.outcome.pairings.iter().any(|p| p.rank.is_some());
    put(
        out,
        format_args!(
            "<table class=\"list\">\n<thead><tr><th>Date</th><th>Demi-journée</th><th>Visiteur</th>\
             <th>Son service</th><th>Service visité</th><th>Hôte</th>{}</tr></thead>\n<tbody>\n",
            if ranked {
                "<th class=\"n\">Vœu</th>"
            } else {
                ""
            }
        ),
    );
    for (date, list) in &by_date {
        for (i, p) in list.iter().enumerate() {
            let own = ctx
                .service_of(&p.visitor)
                .map(|s| ctx.service(s))
                .unwrap_or_default();
            let mut notes = String::new();
            if p.fallback {
                notes.push_str(" <span class=\"tag\">demi-journée (journée demandée)</span>");
            }
            if p.agreement_pending {
                notes.push_str(" <span class=\"tag\">confidentialité à signer</span>");
            }
            if let Some(other) = &p.reciprocal {
                put(
                    &mut notes,
                    format_args!(
                        " <span class=\"tag\">échange avec {}</span>",
                        Esc(ctx.agent(other))
                    ),
                );
            }
            put(
                out,
                format_args!(
                    "<tr{}><td class=\"nw\">{}</td><td class=\"nw\">{}</td><td class=\"nw\">{}</td>\
                     <td class=\"small\">{}</td><td>{}{notes}</td><td class=\"nw\">{}</td>\
                     {}</tr>\n",
                    if i == 0 { " class=\"d1\"" } else { "" },
                    if i == 0 {
                        Esc(&short_date(*date)).to_string()
                    } else {
                        String::new()
                    },
                    part_name(p.part),
                    Esc(ctx.agent(&p.visitor)),
                    Esc(own),
                    Esc(ctx.service(&p.service)),
                    Esc(ctx.agent(&p.host)),
                    match (ranked, p.rank) {
                        (false, _) => String::new(),
                        (true, None) => "<td class=\"n\">–</td>".to_owned(),
                        (true, Some(r)) => format!("<td class=\"n\">{r}</td>"),
                    },
                ),
            );
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn unplaced(out: &mut String, ctx: &Ctx<'_>) {
    let (capped, list): (Vec<&Unplaced>, Vec<&Unplaced>) =
        ctx.outcome.unplaced().iter().partition(|u| u.is_capped());
    put(
        out,
        format_args!(
            "<section>\n<h2>Visiteurs non placés ({})</h2>\n",
            list.len()
        ),
    );
    if list.is_empty() {
        out.push_str(if capped.is_empty() {
            "<p>Tous les volontaires ont été placés.</p>\n"
        } else if ctx.outcome.report.asked == 0 {
            "<p>Aucun volontaire ne pouvait participer à cette édition.</p>\n"
        } else {
            "<p>Tous les volontaires admis à cette édition ont été placés.</p>\n"
        });
    } else {
        unplaced_table(out, ctx, &list);
    }
    if !capped.is_empty() {
        put(
            out,
            format_args!(
                "<h2>Volontaires au plafond de participations ({})</h2>\n\
                 <p class=\"note\">Ils ont déjà fait autant de visites que la règle de \
                 l’édition en permet ; ils ne sont pas comptés parmi les demandes.</p>\n",
                capped.len()
            ),
        );
        unplaced_table(out, ctx, &capped);
    }
    out.push_str("</section>\n");
}

/// The visitors of `list` with their service and every reason.
fn unplaced_table(out: &mut String, ctx: &Ctx<'_>, list: &[&Unplaced]) {
    out.push_str(
        "<table class=\"list\">\n<thead><tr><th>Visiteur</th><th>Service</th><th>Pourquoi</th></tr></thead>\n<tbody>\n",
    );
    for u in list {
        let own = ctx
            .service_of(&u.visitor)
            .map(|s| ctx.service(s))
            .unwrap_or_default();
        put(
            out,
            format_args!(
                "<tr><td>{}</td><td>{}</td><td><ul class=\"why\">",
                Esc(ctx.agent(&u.visitor)),
                Esc(own)
            ),
        );
        for r in &u.reasons {
            put(out, format_args!("<li>{}</li>", Esc(&reason(ctx, r))));
        }
        if u.cannot_join {
            out.push_str(
                "<li class=\"proof\">Prouvé : aucun planning ne l’ajoute sans retirer \
                 une personne placée.</li>",
            );
        }
        out.push_str("</ul></td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn service_table(out: &mut String, ctx: &Ctx<'_>) {
    out.push_str("<section>\n<h2>Charge par service</h2>\n");
    out.push_str(
        "<table class=\"list\">\n<thead><tr><th>Service</th><th>Site</th>\
         <th class=\"n\">Visites faites</th><th class=\"n\">Visites reçues</th>\
         <th class=\"n\">Places d’accueil proposées</th><th class=\"n\">Plafond d’absences</th>\
         <th class=\"n\">Absents au plus</th><th class=\"n\">Demi-journées au plafond</th>\
         </tr></thead>\n<tbody>\n",
    );
    let loads: BTreeMap<&str, _> = ctx
        .outcome
        .report
        .services
        .iter()
        .map(|l| (l.service.as_str(), l))
        .collect();
    for &sid in &ctx.order {
        let load = loads.get(sid.as_str());
        let service = ctx.services.get(sid.as_str());
        let row = ctx.cells.get(sid.as_str());
        let offered: u64 = row.map_or(0, |r| r.values().map(|c| u64::from(c.offered)).sum());
        let at_cap = row.map_or(0, |r| {
            r.values().filter(|c| c.away > 0 && c.away >= c.cap).count()
        });
        put(
            out,
            format_args!(
                "<tr><td>{}</td><td class=\"small\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{offered}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{at_cap}</td></tr>\n",
                Esc(ctx.service(sid)),
                Esc(service.map_or("", |s| s.site.as_str())),
                load.map_or(0, |l| l.visits_made),
                load.map_or(0, |l| l.visits_received),
                service.map_or_else(|| "–".to_owned(), |s| s.continuity_cap.to_string()),
                load.map_or(0, |l| l.max_away),
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

fn footer(out: &mut String, ctx: &Ctx<'_>) {
    let o = ctx.outcome;
    put(
        out,
        format_args!(
            "<footer>Produit par jobswap {} (procédure de tirage v{}) · {} · graine {}. \
             Le même fichier et la même graine redonnent les mêmes binômes.</footer>\n\
             </main>\n</body>\n</html>\n",
            Esc(&o.crate_version),
            o.draw_version,
            strategy_name(o.strategy).to_lowercase(),
            o.seed
        ),
    );
}
