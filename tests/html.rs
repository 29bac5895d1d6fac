//! The HTML report: it names every pairing and service with the headline
//! figures, its tags balance, text from the data comes out escaped, two
//! renders are byte-identical (whatever order the edition lists things in),
//! an edition where nobody is placed still renders with its reasons, a
//! big edition's heat map is cut with a note, and the Vernon report opens
//! in headless Chromium without errors and shows what it must.
// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Instant;

use chrono::NaiveDate;
use jobswap::html::{Options, escape, report, report_with};
use jobswap::{Agent, Edition, HostSlot, Instance, Outcome, Part, Service, Wish};

const VERNON: &str = include_str!("../examples/data/vernon.json");
const TOURCOING: &str = include_str!("../examples/data/tourcoing.json");

/// Elements the report may open and must close.
const PAIRED: &[&str] = &[
    "html", "head", "title", "style", "body", "main", "header", "footer", "section", "h1", "h2",
    "p", "div", "span", "b", "i", "ul", "li", "table", "colgroup", "thead", "tbody", "tr", "th",
    "td",
];
/// Void elements the report may use.
const VOID: &[&str] = &["meta", "br", "col"];

/// Checks the structure: the doctype first; every `<` starts a known tag
/// (so no `<` from the data reaches the page unescaped); every paired
/// element opened is closed, in order; nothing is left open.
fn assert_well_formed(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n"), "doctype");
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = &html["<!DOCTYPE html>".len()..];
    while let Some(i) = rest.find('<') {
        let tag = &rest[i + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let end = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        let name = &tag[..end];
        let context: String = rest[i..].chars().take(60).collect();
        if closing {
            let open = stack.pop();
            assert_eq!(open, Some(name), "unbalanced </{name}> at {context:?}");
        } else if PAIRED.contains(&name) {
            stack.push(name);
        } else {
            assert!(VOID.contains(&name), "unknown or raw `<` at {context:?}");
        }
        let close = tag
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag at {context:?}"));
        let attrs = &tag[..close];
        assert!(!attrs.contains('<'), "`<` inside a tag at {context:?}");
        rest = &tag[close + 1..];
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

fn solve(text: &str) -> (Instance, Outcome) {
    let instance = Instance::new(jobswap::json::read_edition(text).unwrap()).unwrap();
    let outcome = instance.solve();
    (instance, outcome)
}

fn render(instance: &Instance, outcome: &Outcome) -> String {
    report(instance.edition(), instance.calendar(), outcome)
}

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, day).unwrap()
}

#[test]
fn vernon_report_names_every_pairing_and_service() {
    let (instance, outcome) = solve(VERNON);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    let e = instance.edition();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains(&format!("<h1>{}</h1>", escape(&e.name))));
    assert!(html.contains("graine 2025"));
    let r = outcome.report();
    assert_eq!((r.placed, r.asked), (20, 20));
    assert!(html.contains(">20 / 20<"), "placed / asked");
    assert!(html.contains(&format!("Visites par date ({})", outcome.pairings().len())));
    for p in outcome.pairings() {
        let name = |id: &jobswap::AgentId| {
            let a = e.agents.iter().find(|a| a.id == *id).unwrap();
            escape(&a.name)
        };
        assert!(html.contains(&name(&p.visitor)), "{}", p.visitor);
        assert!(html.contains(&name(&p.host)), "{}", p.host);
    }
    for s in &e.services {
        let row = format!("<th class=\"svc\" title=\"{0}\">{0}</th>", escape(&s.name));
        assert!(html.contains(&row), "heat-map row of {}", s.id);
    }
    // One heat-map cell per service and half-day of the working days.
    let cells = html.matches("<i class=\"a").count();
    assert_eq!(
        cells,
        e.services.len() * instance.calendar().days().len() * 2
    );
    // A pure draw has no ranks, hence no rank column.
    assert!(!html.contains("Vœu</th>"));
    // Easter Monday is named among the closed days; no resource is fetched.
    assert!(html.contains("Lundi de Pâques"));
    for external in [
        "<script", "<link", "<img", "src=", "http://", "https://", "url(",
    ] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn tourcoing_report_shows_ranks_and_reasons() {
    let (instance, outcome) = solve(TOURCOING);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    assert!(html.contains("1er vœu"));
    assert!(html.contains("Vœu</th>"));
    assert_eq!(
        html.matches("<li>").count(),
        outcome
            .unplaced()
            .iter()
            .map(|u| u.reasons.len())
            .sum::<usize>()
    );
    for u in outcome.unplaced() {
        let a = instance
            .edition()
            .agents
            .iter()
            .find(|a| a.id == u.visitor)
            .unwrap();
        assert!(html.contains(&escape(&a.name)));
    }
}

/// A visitor and a host whose names and service names are hostile HTML.
fn hostile() -> Edition {
    Edition::new("Vis <mon> job & co", d(3), d(7))
        .service(Service::new("a", "Accueil <b>gras</b>").site("Rue \"des\" <Lilas>"))
        .service(Service::new("s", "Scolaire & 'cie'"))
        .agent(Agent::new("x", "<script>alert(1)</script> & \"Zoë\"", "a").visits(true))
        .agent(Agent::new("y", "Véro <i>", "s").hosts(true))
        .wish(Wish::service("x", "s", 1))
        .host_slot(HostSlot::new("h", "y", d(4), Part::Morning))
}

#[test]
fn report_escapes_text_from_the_data() {
    let instance = Instance::new(hostile()).unwrap();
    let outcome = instance.solve();
    assert_eq!(outcome.pairings().len(), 1);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>gras"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Zoë&quot;"));
    assert!(html.contains("Accueil &lt;b&gt;gras&lt;/b&gt;"));
    assert!(html.contains("Scolaire &amp; &#39;cie&#39;"));
    assert!(html.contains("Rue &quot;des&quot; &lt;Lilas&gt;"));
    assert!(html.contains("<title>Vis &lt;mon&gt; job &amp; co"));
}

#[test]
fn report_is_deterministic_whatever_the_input_order() {
    let (instance, outcome) = solve(TOURCOING);
    let first = render(&instance, &outcome);
    assert_eq!(first, render(&instance, &outcome));

    let mut e = instance.edition().clone();
    e.services.reverse();
    e.agents.reverse();
    e.wishes.reverse();
    e.host_slots.reverse();
    let shuffled = Instance::new(e).unwrap();
    let again = shuffled.solve();
    assert_eq!(again.pairings(), outcome.pairings());
    assert_eq!(first, render(&shuffled, &again));
}

#[test]
fn nobody_placed_still_renders_with_reasons() {
    // The only host slot is in the visitor's own service; the wished
    // service offers nothing; the second visitor wishes nothing.
    let e = Edition::new("Personne", d(3), d(7))
        .service(Service::new("a", "Accueil"))
        .service(Service::new("s", "Scolaire"))
        .agent(Agent::new("x", "Xavier", "a").visits(true))
        .agent(Agent::new("z", "Zoé", "a").visits(true))
        .agent(Agent::new("y", "Yvonne", "s").hosts(true))
        .agent(Agent::new("h", "Hélène", "a").hosts(true))
        .wish(Wish::service("x", "s", 1))
        .host_slot(HostSlot::new("h1", "h", d(4), Part::Morning));
    let instance = Instance::new(e).unwrap();
    let outcome = instance.solve();
    assert!(outcome.pairings().is_empty());
    assert_eq!(outcome.unplaced().len(), 2);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    assert!(html.contains(">0 / 2<"));
    assert!(html.contains("Aucune visite n’a été placée."));
    assert!(html.contains("Aucune visite programmée."));
    assert!(html.contains("Visiteurs non placés (2)"));
    assert!(html.contains("Xavier") && html.contains("Zoé"));
    for u in outcome.unplaced() {
        assert!(!u.reasons.is_empty());
    }
    // Every reason is a French sentence, not a Debug dump.
    assert_eq!(html.matches("<li>").count(), 2, "{html}");
    assert!(html.contains("Pour le service «\u{a0}Scolaire\u{a0}» : aucun créneau"));
    assert!(html.contains("Aucun vœu exprimé"));
    assert!(!html.contains("NoHostSlot") && !html.contains("NothingOffered"));
}

#[test]
fn big_edition_heat_map_is_cut_with_a_note() {
    let mut e = Edition::new("Grande", d(3), d(7));
    for s in 0..60 {
        e = e
            .service(Service::new(format!("s{s:02}"), format!("Service {s:02}")))
            .agent(
                Agent::new(
                    format!("a{s:02}"),
                    format!("Agent {s:02}"),
                    format!("s{s:02}"),
                )
                .visits(true)
                .hosts(true),
            )
            .host_slot(HostSlot::new(
                format!("h{s:02}"),
                format!("a{s:02}"),
                d(4),
                Part::Morning,
            ));
    }
    let instance = Instance::new(e).unwrap();
    let outcome = instance.solve();
    let html = report_with(
        instance.edition(),
        instance.calendar(),
        &outcome,
        &Options::default().max_services(25),
    );
    assert_well_formed(&html);
    assert!(html.contains("25 services sur 60 sont affichés"));
    assert_eq!(html.matches("<th class=\"svc\" title=").count(), 25);
    // The load table still lists all of them.
    for s in 0..60 {
        assert!(html.contains(&format!("<tr><td>Service {s:02}</td>")));
    }
}

// ---------------------------------------------------------------------------
// The Vernon report in headless Chromium.

/// The Chromium to drive: `JOBSWAP_CHROMIUM` if set, else `chromium` or
/// `chromium-browser` on the `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("JOBSWAP_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Page size of the screenshot.
const WIDTH: u32 = 1400;
const HEIGHT: u32 = 2250;

/// A Chromium binary and a scratch directory for its profiles.
struct Chromium {
    bin: PathBuf,
    dir: PathBuf,
}

impl Chromium {
    /// Starts headless Chromium on `page`, `height` pixels high, with a
    /// profile of its own named after `run`, logging the page's console to
    /// stderr; `extra` says what to produce.
    fn start(&self, run: &str, page: &Path, height: u32, extra: &[&str]) -> Child {
        let profile = self.dir.join(format!("profile-{run}"));
        Command::new(&self.bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--enable-logging=stderr",
                "--v=0",
                &format!("--window-size={WIDTH},{height}"),
                &format!("--user-data-dir={}", profile.display()),
            ])
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", self.bin.display()))
    }
}

/// What one Chromium run gave: exit status, the DOM it dumped (stdout)
/// and its log (stderr).
struct Run {
    status: ExitStatus,
    dom: String,
    log: String,
}

/// Waits for `child`, killing it after a minute.
fn finish(mut child: Child, what: &str) -> Run {
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    // Drain both pipes while waiting, so a chatty browser never blocks.
    let dom = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let log = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).map(|_| s)
    });
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: Chromium still running after 60 s, killed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Run {
        status,
        dom: dom.join().unwrap().unwrap(),
        log: log.join().unwrap().unwrap(),
    }
}

/// Messages the page wrote to its console (errors, failed loads…): the
/// report has no script, so there must be none.
fn console_lines(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
        .collect()
}

/// Measures the laid-out page from inside and appends the figures as
/// `<pre id="probe">key=value …</pre>`, for `--dump-dom`.
const PROBE: &str = r"<script>
(function () {
  var r = {}, doc = document.documentElement;
  r.page_width = doc.scrollWidth;
  r.viewport = doc.clientWidth;
  r.page_height = doc.scrollHeight;
  var halves = document.querySelectorAll('.heat td i'), flat = 0;
  halves.forEach(function (i) {
    var b = i.getBoundingClientRect();
    if (b.width < 10 || b.height < 8) flat++;
  });
  r.halves = halves.length;
  r.flat_halves = flat;
  // Header text cut by its cell, or closer than 2 px to its neighbour's.
  var clipped = 0, crowded = 0;
  document.querySelectorAll('.heat th').forEach(function (th) {
    if (th.scrollWidth > th.clientWidth + 1) clipped++;
    if (th.colSpan === 2 && th.textContent) {
      var range = document.createRange();
      range.selectNodeContents(th);
      if (range.getBoundingClientRect().width > th.getBoundingClientRect().width - 4) crowded++;
    }
  });
  r.clipped_headers = clipped;
  r.crowded_days = crowded;
  var main = document.querySelector('main').getBoundingClientRect(), outside = 0;
  document.querySelectorAll('.heat').forEach(function (t) {
    if (t.getBoundingClientRect().right > main.right + 0.5) outside++;
  });
  r.heat_outside_main = outside;
  var bars = document.querySelectorAll('.bars .bar'), widest = 0;
  bars.forEach(function (b) { widest = Math.max(widest, b.getBoundingClientRect().width); });
  r.bars = bars.length;
  r.widest_bar = Math.round(widest);
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = Object.keys(r).map(function (k) { return k + '=' + r[k]; }).join(' ');
  document.body.appendChild(pre);
})();
</script>";

/// The probe's figures from a dumped DOM.
fn probe_figures(dom: &str) -> BTreeMap<String, i64> {
    let start = dom
        .find("<pre id=\"probe\">")
        .expect("probe output in the DOM")
        + 16;
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end]
        .split_whitespace()
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), v.parse().unwrap())
        })
        .collect()
}

/// The decoded screenshot: width, height and RGB pixels.
fn decode_png(path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(info.line_size)
        .flat_map(|row| {
            row[..info.width as usize * channels]
                .chunks_exact(channels)
                .map(|p| [p[0], p[1], p[2]])
        })
        .collect();
    (info.width, info.height, pixels)
}

/// `"ea580c"` as RGB.
fn rgb(hex: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4)]
}

/// The Vernon report opens in headless Chromium without a console message;
/// the DOM Chromium builds holds the title, every heat-map cell and the rank
/// histogram; laid out at 1400 px nothing overflows and every cell has its
/// size; the screenshot is a PNG of the size asked, painted in the report's
/// colours. Skipped (with a message) where Chromium is absent, unless
/// `JOBSWAP_REQUIRE_CHROMIUM=1`. `JOBSWAP_BLESS=1` also rewrites
/// `docs/vernon-report.png`, the README's picture, at the page's height.
#[test]
fn vernon_report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        let required = std::env::var("JOBSWAP_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "JOBSWAP_REQUIRE_CHROMIUM=1 but no chromium on the PATH (nor JOBSWAP_CHROMIUM)"
        );
        // Straight to the process's stderr: libtest hides a passing test's
        // `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "vernon_report_renders_in_headless_chromium skipped: chromium not found \
             (install Debian's `chromium`; JOBSWAP_REQUIRE_CHROMIUM=1 makes this a failure)"
        );
        return;
    };
    let (instance, outcome) = solve(VERNON);
    let html = render(&instance, &outcome);
    let dir = tempfile::tempdir().unwrap();
    let chromium = Chromium {
        bin,
        dir: dir.path().to_owned(),
    };
    let page = dir.path().join("vernon.html");
    std::fs::write(&page, &html).unwrap();
    let probed = dir.path().join("probed.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let shot = dir.path().join("vernon.png");

    let started = Instant::now();
    let screenshot = format!("--screenshot={}", shot.display());
    let report_run = chromium.start("report", &page, HEIGHT, &[&screenshot, "--dump-dom"]);
    let probe_run = chromium.start("probe", &probed, HEIGHT, &["--dump-dom"]);
    let run = finish(report_run, "report");
    let probe = finish(probe_run, "probe");
    let took = started.elapsed();

    // Opens without errors.
    assert!(run.status.success(), "{}\n{}", run.status, run.log);
    assert_eq!(console_lines(&run.log), Vec::<&str>::new(), "console");
    assert!(probe.status.success(), "{}\n{}", probe.status, probe.log);
    assert_eq!(console_lines(&probe.log), Vec::<&str>::new(), "probe");

    // The DOM Chromium built shows what the report must show.
    let dom = &run.dom;
    let name = escape(&instance.edition().name);
    assert!(dom.contains(&format!("<title>{name} — bilan de l’appariement</title>")));
    assert!(dom.contains(&format!("<h1>{name}</h1>")));
    let cells = instance.edition().services.len() * instance.calendar().days().len() * 2;
    assert_eq!(dom.matches("<i class=\"a").count(), cells, "heat-map cells");
    assert_eq!(dom.matches("<i class=\"r").count(), cells, "heat-map cells");
    assert!(dom.contains("<h2>Rang des vœux satisfaits</h2>"));
    assert!(dom.contains("<table class=\"bars\">"));
    assert!(dom.contains("<td>sans vœu</td>"), "histogram row");
    assert!(dom.contains(">20 / 20<"), "placed / asked");
    assert!(dom.contains("<h2>Visites par date (20)</h2>"));

    // Laid out: nothing wider than the window, every half-cell painted at
    // its size, no header cut or run into its neighbour, the bar drawn.
    let f = probe_figures(&probe.dom);
    assert!(
        f["page_width"] <= f["viewport"],
        "horizontal overflow: {f:?}"
    );
    assert_eq!(f["heat_outside_main"], 0, "{f:?}");
    assert_eq!(f["halves"], i64::try_from(2 * cells).unwrap(), "{f:?}");
    assert_eq!(f["flat_halves"], 0, "{f:?}");
    assert_eq!(f["clipped_headers"], 0, "{f:?}");
    assert_eq!(f["crowded_days"], 0, "{f:?}");
    assert_eq!(f["bars"], 1, "{f:?}");
    assert!(f["widest_bar"] >= 400, "{f:?}");
    assert!(f["page_height"] <= i64::from(HEIGHT), "page cut: {f:?}");

    // The screenshot: a PNG of the size asked, not blank, in the report's
    // colours (the heat map's « au plafond » and « complet », the bar of
    // draws without wish, the header's rule).
    let (w, h, pixels) = decode_png(&shot);
    assert_eq!((w, h), (WIDTH, HEIGHT));
    let white = pixels.iter().filter(|p| **p == [255; 3]).count();
    assert!(
        white < pixels.len() * 95 / 100,
        "blank: {white} white pixels"
    );
    let colours: BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(colours.len() >= 50, "{} colours", colours.len());
    for (hex, what) in [
        ("ea580c", "a2: at the cap"),
        ("0f766e", "r2: host slot full"),
        ("eef2f7", "a0: nobody away"),
        ("94a3b8", "histogram bar"),
        ("1d4ed8", "header rule"),
    ] {
        let n = pixels.iter().filter(|p| **p == rgb(hex)).count();
        assert!(n >= 500, "{what} (#{hex}): {n} pixels");
    }
    assert!(took.as_secs() < 30, "took {took:?}");

    if std::env::var_os("JOBSWAP_BLESS").is_some() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/vernon-report.png");
        let height = u32::try_from(f["page_height"].clamp(600, 6000)).unwrap();
        let screenshot = format!("--screenshot={}", docs.display());
        let bless = chromium.start("bless", &page, height, &[&screenshot]);
        let run = finish(bless, "bless");
        assert!(run.status.success(), "{}", run.log);
    }
}

/// A week heading that would not fit above its few days is shortened
/// (months abbreviated, then the week number alone), the full form kept
/// in its tooltip.
#[test]
fn short_week_headings_are_abbreviated() {
    let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    let e = Edition::new("Fin d’été", day(8, 25), day(9, 9))
        .service(Service::new("a", "Accueil"))
        .agent(Agent::new("x", "Xavier", "a").visits(true))
        .closed_day(day(9, 4))
        .closed_day(day(9, 5))
        .closed_day(day(9, 9));
    let instance = Instance::new(e).unwrap();
    let html = render(&instance, &instance.solve());
    assert_well_formed(&html);
    // Five days: room for the full form.
    assert!(html.contains("title=\"S35 · 25–29 août\">S35 · 25–29 août</th>"));
    // Three days: « septembre » would be cut.
    assert!(html.contains("title=\"S36 · 1–3 septembre\">S36 · 1–3 sept.</th>"));
    // One day: the week number alone.
    assert!(html.contains("title=\"S37 · 8 septembre\">S37</th>"));
}
