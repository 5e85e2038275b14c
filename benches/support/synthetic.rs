//! Synthetic period inputs for the speed measurements: `N` consecutive periods
//! from 2025-I on, each with the full set of series, and the population tables
//! they need. Used by `examples/synthetic.rs` (the command line) and by the
//! benchmarks in `benches/`.
//!
//! ```text
//! cargo run --release --example synthetic -- --periods 100 --out /tmp/synthetisch
//! taakstelling --inputs /tmp/synthetisch build --output /tmp/synthetisch-output
//! ```
//!
//! The values are made up (marked `illustratief: true`) but shaped like the
//! real inputs, the way a secretariat carries a period file forward:
//!
//! - The starting point is the reference period (`inputs/2025-I.yaml`): its
//!   national history (2015-I to 2024-II), its monthly grants and outflow and
//!   its backlog on 1 January 2024.
//! - Each next period copies the previous one and appends: six more months of
//!   grants (the grant series keeps every month from March 2023 on, so it
//!   grows with every period), one more row of national history (the number
//!   decided in the previous synthetic period, sometimes adjusted after its
//!   interim evaluation), one more amv realisation. The outflow series runs
//!   from January of the year before the backlog's start, as in the examples,
//!   and the backlog on 1 January is the one the previous period computed.
//! - With a window (`venster_jaren`, `--window-years` on the command line) each
//!   file keeps only the last so many years of grants, history and amv
//!   realisations, the way a secretariat might trim a file: then every period
//!   file has about the same size, and the build time of N periods is a plain
//!   multiple of N. Without it, the files grow, and so does the work per period.
//! - Scenario 1 and 2 are computed here with the engine's rounding, and the
//!   chosen taakstelling lies in the bandwidth (at the bottom, the top or in
//!   between), so every period builds. Some periods carry a correction of the
//!   number distributed, an art. 29 lid 2 agreement, municipal backlogs or a
//!   late publication date, so that the optional columns and the warning are
//!   exercised too.
//!
//! Population: a period of year Y uses 1 January of Y − 1 (art. 29). 2025-I and
//! 2025-II use the real CBS table of 1 January 2024, copied from
//! `inputs/bevolking/`. For later years there are no figures, so each year's
//! table is projected from the year before: the same 342 municipalities, names
//! and provinces, each municipality growing by a fixed-seed pseudo-random
//! −0.4 % to +1.2 % a year (integer arithmetic). The national total is the sum.
//! These tables say in their `bron` that they are synthetic, not CBS figures.
//!
//! Everything is deterministic: the same options (periods, seed, window) give the
//! same files, byte for byte; there is no clock and no system randomness.
//!
//! After writing each period the generator computes it with the library
//! (`site::compute_period`), so a period that would not build is caught here
//! rather than in a measurement, and the backlog it computes seeds the next.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

use taakstelling::engine::afronding::afronden;
use taakstelling::input::BEVOLKING_FOLDER;
use taakstelling::input::BevolkingCache;
use taakstelling::input::bevolking::{Bevolking, bevolking_paths, load_bevolking};
use taakstelling::input::{self, HistorieRegel};
use taakstelling::kalender::{Datum, Helft, Maand, Periode};
use taakstelling::site::compute_period;

pub(crate) type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// What to write.
pub(crate) struct Options {
    /// How many consecutive periods, from 2025-I on.
    pub perioden: usize,
    /// The folder to write into (created; existing files are overwritten).
    pub out: PathBuf,
    /// The inputs folder with the reference period `2025-I.yaml` and `bevolking/`.
    pub inputs: PathBuf,
    /// Seed of the pseudo-random values.
    pub seed: u64,
    /// When set, each file keeps only the last this many years of monthly grants,
    /// history rows and amv realisations (at least 3: the year totals of the backlog
    /// need two years of history), so that every period file has about the same size.
    /// `None`: every file keeps everything since the reference period, so files grow.
    pub venster_jaren: Option<u32>,
}

/// SplitMix64: a small, well-mixed generator; enough for made-up figures.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A value from `lo` to `hi`, both included.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).expect("lo <= hi");
        lo + i64::try_from(self.next() % span).expect("small span")
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const FIRST: Periode = Periode {
    jaar: 2025,
    helft: Helft::I,
};

/// The state carried from one period file to the next.
struct Stand {
    historie: Vec<HistorieRegel>,
    /// Grants per month, consecutive.
    inwilligingen: Vec<(Maand, i64)>,
    /// Outflow per month, consecutive.
    uitstroom: Vec<(Maand, i64)>,
    /// The backlog starts on 1 January of `beginjaar` at `beginstand`.
    beginjaar: i32,
    beginstand: i64,
    amv_realisatie: Vec<(Datum, i64)>,
}

/// Writes the periods and their population tables into `options.out`; returns the
/// period files in order.
pub(crate) fn write(options: &Options) -> Result<Vec<PathBuf>> {
    let reference = input::load(&options.inputs.join("2025-I.yaml"))
        .map_err(|e| format!("cannot load the reference period: {e:?}"))?;
    if options.venster_jaren.is_some_and(|j| j < 3) {
        return Err("the window must be at least 3 years".into());
    }
    let mut rng = Rng(options.seed);
    std::fs::create_dir_all(options.out.join(BEVOLKING_FOLDER))?;

    let perioden: Vec<Periode> = std::iter::successors(Some(FIRST), |p| Some(p.volgende()))
        .take(options.perioden)
        .collect();
    if let Some(laatste) = perioden.last() {
        write_bevolking(options, laatste.jaar - 1)?;
    }

    let mut stand = Stand {
        historie: reference.historie.clone(),
        inwilligingen: reference.inwilligingen.maanden.clone(),
        uitstroom: reference.uitstroom.reeks.maanden.clone(),
        beginjaar: reference.uitstroom.beginjaar,
        beginstand: reference.uitstroom.beginstand,
        amv_realisatie: reference.amv.realisatie.clone(),
    };
    let mut paden = Vec::with_capacity(perioden.len());
    for (k, &p) in perioden.iter().enumerate() {
        let (tekst, besluit) = periode(k, p, &mut stand, &mut rng, options.venster_jaren);
        let path = options.out.join(format!("{p}.yaml"));
        std::fs::write(&path, tekst)?;
        let berekend = compute_period(&path, &BevolkingCache::new(&options.out)).map_err(|e| {
            format!(
                "{} does not build: {:?}",
                path.display(),
                miette::Report::new(e)
            )
        })?;
        // A period of the first half computes the backlog of the year before it to the
        // end; that end is where the next periods start their backlog.
        if p.helft == Helft::I {
            let vorig = p.vorige();
            stand.beginstand = berekend
                .uitkomst
                .achterstand
                .perioden
                .iter()
                .find(|a| a.periode == vorig)
                .map(|a| a.eind)
                .ok_or_else(|| format!("{p}: the backlog of {vorig} is missing"))?;
            stand.beginjaar = p.jaar;
        }
        stand.historie.push(besluit);
        paden.push(path);
    }
    Ok(paden)
}

/// A double-quoted YAML string.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Extends a monthly series up to and including `tot` with `volgende(month, previous value)`.
fn verleng(reeks: &mut Vec<(Maand, i64)>, tot: Maand, mut volgende: impl FnMut(Maand, i64) -> i64) {
    while let Some(&(m, n)) = reeks.last() {
        if m >= tot {
            break;
        }
        let m = m.plus(1);
        let n = volgende(m, n);
        reeks.push((m, n));
    }
}

fn waarde_in(reeks: &[(Maand, i64)], m: Maand) -> Option<i64> {
    reeks.iter().find(|(x, _)| *x == m).map(|(_, n)| *n)
}

/// The period file of the `k`-th synthetic period `p`, and its row for the history
/// of the periods after it.
fn periode(
    k: usize,
    p: Periode,
    stand: &mut Stand,
    rng: &mut Rng,
    venster_jaren: Option<u32>,
) -> (String, HistorieRegel) {
    let peilmoment = p.eerste_maand().plus(-4).eerste_dag();
    let laatste_maand = peilmoment.maand().plus(-1);
    let uiterste = p.begindatum().plus_dagen(-91);
    let geplande = if k % 10 == 7 {
        // Now and then a late publication, which the memo and the CLI warn about.
        uiterste.plus_dagen(5)
    } else {
        peilmoment.plus_dagen(rng.between(0, uiterste.dagnummer() - peilmoment.dagnummer()))
    };

    // Grants: a walk around 2.700 a month, pulled back to it.
    verleng(&mut stand.inwilligingen, laatste_maand, |_, n| {
        (n + rng.between(-150, 150) + (2700 - n) / 10).clamp(800, 6000)
    });
    // Outflow: the grants of three months before, less 0 to 10 %, plus a share of
    // the backlog, so that the backlog neither runs away nor goes below zero for long.
    let inwilligingen = stand.inwilligingen.clone();
    let beginstand = stand.beginstand;
    verleng(&mut stand.uitstroom, laatste_maand, |m, _| {
        let basis = waarde_in(&inwilligingen, m.plus(-3)).unwrap_or(2500);
        (basis * rng.between(90, 100) / 100 + beginstand / 24).max(500)
    });

    let s1_maanden: Vec<i64> = stand
        .inwilligingen
        .iter()
        .filter(|(m, _)| *m > laatste_maand.plus(-12) && *m <= laatste_maand)
        .map(|(_, n)| *n)
        .collect();
    assert_eq!(
        s1_maanden.len(),
        12,
        "{p}: twelve months before the peilmoment"
    );
    let s1 = afronden(s1_maanden.iter().sum::<i64>() * 6, 12, 100);

    // Scenario 2: decisions and grant percentages (in tenths, written with one decimal).
    let categorieen = [
        (
            "Asiel, eerste aanvragen",
            rng.between(15_000, 30_000),
            rng.between(400, 700),
        ),
        (
            "Nareis (MVV)",
            rng.between(3_000, 8_000),
            rng.between(550, 750),
        ),
        (
            "Herhaalde aanvragen",
            rng.between(1_000, 3_000),
            rng.between(50, 150),
        ),
        (
            "Overige asielbeslissingen",
            rng.between(300, 1_500),
            rng.between(200, 400),
        ),
    ];
    let exact: i64 = categorieen.iter().map(|(_, b, t)| b * t * 10).sum();
    let s2 = afronden(exact, 10_000, 100);
    let (onder, boven) = (s1.min(s2), s1.max(s2));
    let taakstelling = match k % 3 {
        0 => onder,
        1 => boven,
        _ => onder + (boven - onder) / 200 * 100,
    };
    let besluit = HistorieRegel {
        periode: p,
        eerst_bekendgemaakt: Some(taakstelling),
        // Every fifth period is lowered after its interim evaluation.
        na_bijstelling: (k % 5 == 3).then(|| afronden(taakstelling * 9, 10, 100)),
        status: Some("synthetisch".to_string()),
    };

    // Amv: one more realisation per period, at the peilmoment.
    let vorige_plekken = stand.amv_realisatie.last().map_or(2650, |r| r.1);
    if stand.amv_realisatie.last().is_none_or(|r| r.0 < peilmoment) {
        let plekken = (vorige_plekken + rng.between(-100, 250)).max(500);
        stand.amv_realisatie.push((peilmoment, plekken));
    }
    let laatste_plekken = stand.amv_realisatie.last().map_or(2650, |r| r.1);
    let behoefte_1 = laatste_plekken + rng.between(100, 500);
    let behoefte_2 = behoefte_1 + rng.between(0, 600);

    let venster_van = p.vorige().eerste_maand().plus(-3);
    let recent: i64 = stand.inwilligingen.iter().rev().take(3).map(|m| m.1).sum();
    let prognose = afronden(recent, 3, 50);

    // What the file keeps: everything, or what is newer than `venster_jaren` years.
    let venster = venster_jaren.map(|j| {
        let jaren = i32::try_from(j).expect("a few years");
        (
            laatste_maand.plus(1 - 12 * i64::from(j)),
            (0..2 * j).fold(p, |q, _| q.vorige()),
            Datum {
                jaar: peilmoment.jaar - jaren,
                ..peilmoment
            },
        )
    });
    let houd_maand = |m: Maand| venster.is_none_or(|(v, _, _)| m >= v);
    let houd_periode = |q: Periode| venster.is_none_or(|(_, v, _)| q >= v);
    let houd_datum = |d: Datum| venster.is_none_or(|(_, _, v)| d > v);

    let mut y = String::with_capacity(16 * 1024);
    let w = &mut y;
    let _ = writeln!(
        w,
        "# Synthetische invoer voor snelheidsmetingen: periode {p} (nummer {}), geschreven door\n\
         # examples/synthetic.rs. Alle reeksen zijn verzonnen (illustratief).\n",
        k + 1
    );
    let _ = writeln!(w, "periode: {p}");
    let _ = writeln!(w, "peilmoment: {peilmoment}");
    let _ = writeln!(w, "minister: minister van Asiel en Migratie");
    let _ = writeln!(
        w,
        "notitie:\n  aan: Leden van de HLRT\n  van: Secretariaat HLRT\n  datum: {peilmoment}\n  status: concept"
    );
    let _ = writeln!(
        w,
        "ministerie:\n  naam: Ministerie van Asiel en Migratie\n  directie: Directie Regie Migratieketen\n  plaats: Den Haag"
    );
    let _ = writeln!(
        w,
        "ondertekening:\n  functie: Minister van Asiel en Migratie\n  naam: M.H.M. Faber-van de Klashorst"
    );
    let _ = writeln!(
        w,
        "bekendmaking:\n  datum: {geplande}\n  kenmerk: \"{p}-1\""
    );
    let _ = writeln!(
        w,
        "circulaire:\n  datum: {geplande}\n  kenmerk: \"{p}-2\"\n  contact: Directie Regie Migratieketen"
    );
    let _ = writeln!(
        w,
        "inwilligingen:\n  bron: IND, maandcijfers inwilligingen (synthetisch)\n  illustratief: true\n  maanden:"
    );
    for (m, n) in stand
        .inwilligingen
        .iter()
        .filter(|(m, _)| houd_maand(*m) && *m <= laatste_maand)
    {
        let _ = writeln!(w, "    - {{ maand: {m}, aantal: {n} }}");
    }
    let _ = writeln!(w, "scenario_1:\n  maanden: 12");
    let _ = writeln!(
        w,
        "scenario_2:\n  productieplan: IND-productieplan voor {p}\n  prognose: MPP voor {p}\n  illustratief: true\n  categorieen:"
    );
    for (naam, beslissingen, tienden) in categorieen {
        let _ = writeln!(
            w,
            "    - naam: {}\n      beslissingen: {beslissingen}\n      inwilligingspercentage: {}.{}",
            q(naam),
            tienden / 10,
            tienden % 10
        );
    }
    let _ = writeln!(w, "besluit:\n  taakstelling: {taakstelling}");
    let _ = writeln!(
        w,
        "  motivering: {}",
        q(&format!(
            "De minister kiest voor {} voor de periode {p}; de tussentijdse evaluatie maakt bijstelling mogelijk.",
            match k % 3 {
                0 => "de onderkant van de bandbreedte",
                1 => "de bovenkant van de bandbreedte",
                _ => "een getal binnen de bandbreedte",
            }
        ))
    );
    let _ = writeln!(
        w,
        "buffer_toelichting: {}",
        q(
            "Vooraf is niet bekend hoeveel personen werkelijk een inwilliging krijgen; \
           de buffer vangt afwijkingen van het verwachte inwilligingspercentage op."
        )
    );
    let _ = writeln!(w, "historie:");
    for h in stand.historie.iter().filter(|h| houd_periode(h.periode)) {
        let _ = write!(w, "  - {{ periode: {}", h.periode);
        if let Some(n) = h.eerst_bekendgemaakt {
            let _ = write!(w, ", eerst_bekendgemaakt: {n}");
        }
        if let Some(n) = h.na_bijstelling {
            let _ = write!(w, ", na_bijstelling: {n}");
        }
        if let Some(s) = &h.status {
            let _ = write!(w, ", status: {s}");
        }
        let _ = writeln!(w, " }}");
    }
    assert!(
        stand.beginjaar == p.jaar - 1 || (p.helft == Helft::II && stand.beginjaar == p.jaar),
        "{p}: backlog starts in {}",
        stand.beginjaar
    );
    let _ = writeln!(
        w,
        "uitstroom:\n  bron: COA, uitstroom naar huisvesting per maand (synthetisch)\n  illustratief: true\n  beginstand:\n    datum: {}-01-01\n    achterstand: {beginstand}\n  maanden:",
        stand.beginjaar
    );
    let eerste_uitstroom = Maand {
        jaar: stand.beginjaar - 1,
        maand: 1,
    };
    for (m, n) in stand
        .uitstroom
        .iter()
        .filter(|(m, _)| *m >= eerste_uitstroom && *m <= laatste_maand)
    {
        let _ = writeln!(w, "    - {{ maand: {m}, aantal: {n} }}");
    }
    let _ = writeln!(w, "aandachtspunten:");
    for a in [
        format!("De bandbreedte voor {p} houdt geen rekening met beleidswijzigingen waarvan de gevolgen nog niet bekend zijn."),
        "Asielontwikkelingen zijn niet altijd vooraf te voorspellen; de taakstelling rust op de meest recente inzichten.".to_string(),
        "De taakstelling wordt tussentijds geëvalueerd, zodat zij zo nodig kan worden bijgesteld.".to_string(),
    ] {
        let _ = writeln!(w, "  - {}", q(&a));
    }
    let _ = writeln!(
        w,
        "amv:\n  organisatie: Nidos\n  illustratief: true\n  behoefte:\n    - {{ datum: {}, plekken: {behoefte_1} }}\n    - {{ datum: {}, plekken: {behoefte_2} }}\n  realisatie:",
        p.einddatum(),
        p.volgende().einddatum()
    );
    for (d, n) in stand.amv_realisatie.iter().filter(|(d, _)| houd_datum(*d)) {
        let _ = writeln!(w, "    - {{ datum: {d}, plekken: {n} }}");
    }
    let _ = writeln!(
        w,
        "evaluatie_vorige_periode:\n  aanleiding: {}\n  venster:\n    van: {venster_van}\n    tot_en_met: {}\n  prognose_per_maand: {prognose}\n  marge_procent: 5",
        q(&format!(
            "Bij de vaststelling van de taakstelling {} is afgesproken haar tussentijds te evalueren.",
            p.vorige()
        )),
        venster_van.plus(5)
    );
    let _ = writeln!(
        w,
        "afspraken_evaluatie:\n  delen_in: {}\n  deel_van_maand: {}",
        p.eerste_maand().plus(1),
        ["begin", "midden", "eind"][k % 3]
    );
    let _ = writeln!(w, "vervolgproces:");
    for s in [
        "Na instemming van de HLRT wordt de taakstelling zo snel mogelijk gepubliceerd in de Staatscourant.",
        "De taakstellingsbrief gaat na ambtelijke afstemming naar de medeoverheden.",
    ] {
        let _ = writeln!(w, "  - {}", q(s));
    }
    let _ = writeln!(w, "verdeling:");
    if k % 8 == 5 {
        let _ = writeln!(
            w,
            "  correctie:\n    verschil: -100\n    reden: {}",
            q("Een deel van de taakstelling is in de vorige periode al gerealiseerd.")
        );
    }
    let _ = writeln!(w, "  bevolking_vaststellingen: []");
    if k % 6 == 4 {
        let _ = writeln!(
            w,
            "  herverdelingen:\n    - omschrijving: {}\n      mutaties:\n        - {{ gemeente: GM0363, verschil: -5 }}\n        - {{ gemeente: GM0599, verschil: 5 }}",
            q(&format!("Afspraak tussen Amsterdam en Rotterdam over {p}."))
        );
    } else {
        let _ = writeln!(w, "  herverdelingen: []");
    }
    if k % 4 == 2 {
        let _ = writeln!(
            w,
            "  achterstanden:\n    - {{ gemeente: GM0014, aantal: {} }}\n    - {{ gemeente: GM0344, aantal: {} }}\n    - {{ gemeente: GM0518, aantal: {} }}",
            rng.between(1, 30),
            rng.between(1, 80),
            -rng.between(1, 40)
        );
    } else {
        let _ = writeln!(w, "  achterstanden: []");
    }
    if let Some(n) = besluit.na_bijstelling {
        // The lowered periods carry their bijstelling, decided in the period's fourth
        // month after two months of grants; the next period's history takes its number.
        let m0 = p.eerste_maand();
        let d = m0.plus(3).eerste_dag();
        let _ = writeln!(
            w,
            "bijstelling:\n  taakstelling: {n}\n  datum: {d}\n  reden: {}\n  evaluatie:\n    bron: IND (synthetisch)\n    illustratief: true\n    venster: {{ van: {m0}, tot_en_met: {} }}\n    maanden:\n      - {{ maand: {m0}, aantal: {} }}\n      - {{ maand: {}, aantal: {} }}\n    prognose_per_maand: {}\n  notitie:\n    aan: Leden van de HLRT\n    van: Secretariaat HLRT\n    datum: {d}\n    status: concept\n  bekendmaking:\n    datum: {d}\n    kenmerk: \"{p}-3\"\n  circulaire:\n    datum: {d}\n    kenmerk: \"{p}-4\"\n    contact: Directie Regie Migratieketen",
            q("Er zijn minder vergunningen verleend dan verwacht."),
            m0.plus(5),
            n / 6,
            m0.plus(1),
            n / 6,
            n / 6
        );
    }
    (y, besluit)
}

/// Writes the population tables from 1 January 2024 (the real CBS table, copied)
/// up to 1 January `tot`, each later year projected from the year before.
fn write_bevolking(options: &Options, tot: i32) -> Result<()> {
    let bron = options.inputs.join(BEVOLKING_FOLDER);
    let doel = options.out.join(BEVOLKING_FOLDER);
    let (csv_2024, yaml_2024) = bevolking_paths(&bron, 2024);
    let (csv_doel, yaml_doel) = bevolking_paths(&doel, 2024);
    std::fs::copy(csv_2024, csv_doel)?;
    std::fs::copy(yaml_2024, yaml_doel)?;
    let mut tabel: Bevolking = load_bevolking(&bron, 2024)?;
    for jaar in 2025..=tot {
        for g in &mut tabel.gemeenten {
            let code: u64 = g.code[2..].parse().expect("checked GM code");
            let h = mix(options.seed ^ mix(code << 20 | u64::try_from(jaar).expect("year")));
            let promille = i64::try_from(h % 17).expect("small") - 4; // −4 ‰ to +12 ‰
            let n = i64::try_from(g.inwoners).expect("fits");
            g.inwoners = u64::try_from((n + n * promille / 1000).max(1)).expect("positive");
        }
        let totaal: u64 = tabel.gemeenten.iter().map(|g| g.inwoners).sum();
        let (csv_pad, yaml_pad) = bevolking_paths(&doel, jaar);
        let mut csv = csv::Writer::from_path(&csv_pad)?;
        csv.write_record(["gemeentecode", "gemeentenaam", "provincie", "inwoners"])?;
        for g in &tabel.gemeenten {
            csv.write_record([
                g.code.as_str(),
                g.naam.as_str(),
                g.provincie.naam(),
                &g.inwoners.to_string(),
            ])?;
        }
        csv.flush()?;
        let mut meta = String::new();
        let _ = writeln!(
            meta,
            "# SYNTHETIC: projected from the CBS table of 1 January 2024 by examples/synthetic.rs\n\
             # (seed {}), for speed measurements only. These are not CBS figures.",
            options.seed
        );
        let _ = writeln!(meta, "peildatum: {jaar}-01-01");
        let _ = writeln!(meta, "totaal_nederland: {totaal}");
        let _ = writeln!(meta, "aantal_gemeenten: {}", tabel.gemeenten.len());
        let _ = writeln!(
            meta,
            "bron: {}",
            q(&format!(
                "Synthetisch: geprojecteerd uit CBS 1 januari 2024 (seed {}), geen echte cijfers",
                options.seed
            ))
        );
        let _ = writeln!(
            meta,
            "provincies_bron: {}",
            q("As in the table of 1 January 2024.")
        );
        let _ = writeln!(meta, "provincies_handmatig: []");
        std::fs::write(&yaml_pad, meta)?;
    }
    Ok(())
}
