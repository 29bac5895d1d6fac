//! Calendar invitations: iCalendar (RFC 5545) files of the visits.
//!
//! The crate writes the files itself. Each file is one `VCALENDAR` with a
//! `VTIMEZONE` for `Europe/Paris` (CET/CEST under the EU rules: from the
//! last Sunday of March at 02:00 to +02:00, from the last Sunday of October
//! at 03:00 back to +01:00, as yearly `RRULE`s) and one `VEVENT` per visit:
//!
//! - `UID`: `<16 hex digits>@jobswap`, the 64-bit FNV-1a hash of the
//!   edition's name, the visitor's and the host's ids, the date and the
//!   part (each field preceded by its length, so that no two different
//!   tuples hash the same bytes) — the same visit has the same UID in every
//!   file and every run, so a calendar application updates rather than
//!   duplicates it when a file is imported again;
//! - `DTSTAMP`: the edition's start date at `00:00:00Z` (the library never
//!   reads the clock, and the same outcome must give the same file);
//! - `DTSTART`/`DTEND` with `TZID=Europe/Paris`, from the edition's
//!   [`crate::Hours`]: the morning, the afternoon, or for a full day from
//!   the morning's start to the afternoon's end (one event, lunch
//!   included);
//! - `SUMMARY`, `LOCATION` (the service's site, or its name when it has no
//!   site) and `DESCRIPTION`, in French ([`for_edition`], [`for_agent`]) or
//!   in the language asked for ([`for_edition_in`], [`for_agent_in`]);
//! - two `ATTENDEE`s, the visitor (`ROLE=REQ-PARTICIPANT`) and the host
//!   (`ROLE=CHAIR`). The model has no e-mail addresses, so each is
//!   addressed as `urn:jobswap:agent:<id>` with the id percent-encoded
//!   (every byte outside `A–Z a–z 0–9 - . _ ~`), and named by a quoted
//!   `CN` parameter (a `"` in a name, which a parameter cannot hold, is
//!   written `'`; control characters become spaces). No `ORGANIZER` and no
//!   `METHOD`: the files are published, not sent as scheduling requests.
//!
//! TEXT values escape `\`, `;`, `,` and newlines (`\n`); other control
//! characters become spaces. Lines end in CRLF and are folded at 75
//! octets, never inside a UTF-8 character. Events are sorted by date,
//! part, visitor and host.
//!
//! ```
//! use chrono::NaiveDate;
//! use jobswap::{Agent, Edition, HostSlot, Instance, Part, Service, Wish};
//!
//! let d = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
//! let edition = Edition::new("Vis mon job", d, d)
//!     .service(Service::new("accueil", "Accueil"))
//!     .service(Service::new("scolaire", "Vie scolaire").site("Espace Philippe-Auguste"))
//!     .agent(Agent::new("denise", "Denise", "accueil").visits(true))
//!     .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
//!     .wish(Wish::service("denise", "scolaire", 1))
//!     .host_slot(HostSlot::new("v-04", "veronique", d, Part::Morning));
//! let instance = Instance::new(edition)?;
//! let outcome = instance.solve();
//!
//! let ics = jobswap::ics::for_agent(instance.edition(), &outcome, &"denise".into());
//! assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
//! assert!(ics.contains("DTSTART;TZID=Europe/Paris:20250304T083000\r\n"));
//! assert!(ics.contains("ATTENDEE;CN=\"Véronique\";ROLE=CHAIR:urn:jobswap:agent:veronique\r\n"));
//! assert!(ics.lines().all(|l| l.len() <= 75));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveTime};

use crate::comms::{Lang, VisitFacts};
use crate::{AgentId, Edition, Outcome, Pairing, Part};

/// The time zone of every event.
pub const TZID: &str = "Europe/Paris";

/// The longest line, in octets, CRLF excluded (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// The calendar of the whole edition: every visit, in French.
pub fn for_edition(edition: &Edition, outcome: &Outcome) -> String {
    for_edition_in(edition, outcome, Lang::Fr)
}

/// The calendar of the whole edition, texts in `lang`.
pub fn for_edition_in(edition: &Edition, outcome: &Outcome, lang: Lang) -> String {
    write(edition, outcome.pairings().iter(), lang)
}

/// The calendar of one agent: the visits they make or host, in French.
/// An agent without visit gets a calendar with the time zone only.
pub fn for_agent(edition: &Edition, outcome: &Outcome, agent: &AgentId) -> String {
    for_agent_in(edition, outcome, agent, Lang::Fr)
}

/// The calendar of one agent, texts in `lang`.
pub fn for_agent_in(edition: &Edition, outcome: &Outcome, agent: &AgentId, lang: Lang) -> String {
    write(
        edition,
        outcome
            .pairings()
            .iter()
            .filter(|p| p.visitor == *agent || p.host == *agent),
        lang,
    )
}

/// The stable UID of a visit: `<16 hex digits>@jobswap` (see the
/// [module](self) docs).
///
/// ```
/// use chrono::NaiveDate;
/// use jobswap::{Pairing, Part};
/// let d = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
/// let p = Pairing::new("denise", "veronique", "scolaire", d, Part::Morning, Some(1));
/// let uid = jobswap::ics::uid("Vis mon job", &p);
/// assert!(uid.ends_with("@jobswap") && uid.len() == 16 + 8);
/// assert_eq!(uid, jobswap::ics::uid("Vis mon job", &p.clone()));
/// assert_ne!(uid, jobswap::ics::uid("Vis mon job 2", &p));
/// ```
pub fn uid(edition_name: &str, pairing: &Pairing) -> String {
    let part = match pairing.part {
        Part::Morning => "morning",
        Part::Afternoon => "afternoon",
        Part::FullDay => "full_day",
    };
    let date = pairing.date.format("%Y-%m-%d").to_string();
    let mut h = Fnv1a::new();
    for field in [
        edition_name,
        pairing.visitor.as_str(),
        pairing.host.as_str(),
        &date,
        part,
    ] {
        h.write(&(field.len() as u64).to_le_bytes());
        h.write(field.as_bytes());
    }
    format!("{:016x}@jobswap", h.0)
}

/// 64-bit FNV-1a.
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Fnv1a(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
///
/// ```
/// assert_eq!(jobswap::ics::escape_text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
/// ```
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A quoted parameter value: `"` becomes `'`, control characters spaces.
fn quote_param(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push('\''),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `urn:jobswap:agent:<id>`, the id percent-encoded.
///
/// ```
/// assert_eq!(
///     jobswap::ics::agent_uri(&"zoë l.".into()),
///     "urn:jobswap:agent:zo%C3%AB%20l."
/// );
/// ```
pub fn agent_uri(id: &AgentId) -> String {
    let mut out = String::from("urn:jobswap:agent:");
    for b in id.as_str().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Appends `line` folded at [`MAX_LINE_OCTETS`] octets (continuation lines
/// start with a space, which counts), each physical line ended by CRLF.
/// Never splits a UTF-8 character.
///
/// ```
/// let mut out = String::new();
/// jobswap::ics::fold_into(&mut out, &format!("SUMMARY:{}", "é".repeat(40)));
/// assert!(out.split("\r\n").all(|l| l.len() <= 75));
/// assert_eq!(out.replace("\r\n ", ""), format!("SUMMARY:{}\r\n", "é".repeat(40)));
/// ```
pub fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while cut > 0 && !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut == 0 {
            // Unreachable for limits of 4 octets or more; keep going safely.
            cut = rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i);
        }
        let (head, tail) = rest.split_at(cut);
        out.push_str(head);
        out.push_str("\r\n ");
        rest = tail;
        limit = MAX_LINE_OCTETS - 1;
    }
}

fn stamp(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn local(d: NaiveDate, t: NaiveTime) -> String {
    format!("{}T{}", stamp(d), t.format("%H%M%S"))
}

const VTIMEZONE: [&str; 16] = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
];

fn write<'a>(edition: &Edition, pairings: impl Iterator<Item = &'a Pairing>, lang: Lang) -> String {
    let mut visits: Vec<&Pairing> = pairings.collect();
    visits.sort_by(|a, b| {
        (a.date, a.part, &a.visitor, &a.host).cmp(&(b.date, b.part, &b.visitor, &b.host))
    });
    let mut out = String::new();
    let mut line = |l: &str| fold_into(&mut out, l);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//jobswap//jobswap//FR");
    line("CALSCALE:GREGORIAN");
    line(&format!("X-WR-CALNAME:{}", escape_text(&edition.name)));
    line(&format!("X-WR-TIMEZONE:{TZID}"));
    for l in VTIMEZONE {
        line(l);
    }
    line("END:VTIMEZONE");
    let dtstamp = format!("DTSTAMP:{}T000000Z", stamp(edition.start));
    let names = crate::comms::Names::new(edition);
    for p in visits {
        let v = VisitFacts::named(&names, edition, p);
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", uid(&edition.name, p)));
        line(&dtstamp);
        line(&format!("DTSTART;TZID={TZID}:{}", local(v.date, v.start)));
        line(&format!("DTEND;TZID={TZID}:{}", local(v.date, v.end)));
        line(&format!(
            "SUMMARY:{}",
            escape_text(&summary(edition, &v, lang))
        ));
        let location = if v.site.is_empty() {
            &v.service_name
        } else {
            &v.site
        };
        line(&format!("LOCATION:{}", escape_text(location)));
        line(&format!(
            "DESCRIPTION:{}",
            escape_text(&description(&v, lang))
        ));
        line("STATUS:CONFIRMED");
        line("TRANSP:OPAQUE");
        line(&format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:{}",
            quote_param(&v.visitor_name),
            agent_uri(&v.visitor)
        ));
        line(&format!(
            "ATTENDEE;CN={};ROLE=CHAIR:{}",
            quote_param(&v.host_name),
            agent_uri(&v.host)
        ));
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

fn summary(edition: &Edition, v: &VisitFacts, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!(
            "{} : {} chez {} ({})",
            edition.name, v.visitor_name, v.host_name, v.service_name
        ),
        Lang::En => format!(
            "{}: {} with {} ({})",
            edition.name, v.visitor_name, v.host_name, v.service_name
        ),
    }
}

fn description(v: &VisitFacts, lang: Lang) -> String {
    let mut s = match lang {
        Lang::Fr => format!(
            "Visiteur : {}\nAccueillant : {}\nService visité : {}",
            v.visitor_name, v.host_name, v.service_name
        ),
        Lang::En => format!(
            "Visitor: {}\nHost: {}\nService visited: {}",
            v.visitor_name, v.host_name, v.service_name
        ),
    };
    if !v.site.is_empty() {
        let _ = match lang {
            Lang::Fr => write!(s, "\nLieu : {}", v.site),
            Lang::En => write!(s, "\nPlace: {}", v.site),
        };
    }
    if v.agreement_pending {
        s.push_str(match lang {
            Lang::Fr => "\nEngagement de discrétion à signer avant la visite.",
            Lang::En => "\nConfidentiality agreement to sign before the visit.",
        });
    }
    s
}
