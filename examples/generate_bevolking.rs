//! Builds the tables of 2012 to 2024 in `inputs/bevolking/` (one CSV and one YAML
//! file per peildatum, plus README.md) from the CBS source files in the shared data
//! folder, so that the derivation of the committed files is reproducible. The files
//! are written by the writer `taakstelling bevolking import` uses
//! (`input::bevolking::table_texts`); later years come in through that command.
//!
//! ```text
//! cargo run --example generate_bevolking -- [--check] [DATA_DIR] [OUT_DIR]
//! ```
//!
//! DATA_DIR defaults to `../shared/data`, OUT_DIR to `inputs/bevolking`.
//! With `--check` nothing is written: the program fails when a committed file
//! differs from what it would generate.
//!
//! Sources (see SOURCES.md in DATA_DIR):
//! - `cbs_bevolking_gemeenten_2024-01-01.csv`: 1-1-2024 with a province column;
//! - `cbs_bevolking_gemeenten_1jan_2012-2024.csv`: 1-1-2012 to 1-1-2024 without provinces.
//!
//! Provinces for the older years: by gemeentecode from the 2024 table; for
//! municipalities that no longer exist in 2024, from the hand-made mapping
//! `OUT_DIR/provincies_opgeheven_gemeenten.csv`, which is checked here against
//! the data (names, successors, successor provinces).

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use taakstelling::input::bevolking::{Gemeente, Provincie, TableText, load_bevolking, table_texts};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

const FILE_2024: &str = "cbs_bevolking_gemeenten_2024-01-01.csv";
const FILE_SERIES: &str = "cbs_bevolking_gemeenten_1jan_2012-2024.csv";
const MAPPING: &str = "provincies_opgeheven_gemeenten.csv";

/// The CBS national totals on 1 January, as stated in SOURCES.md. They are
/// written as `totaal_nederland`; the sum of the rows is checked against them.
const NATIONAL_TOTALS: [(i32, u64); 13] = [
    (2012, 16_730_348),
    (2013, 16_779_575),
    (2014, 16_829_289),
    (2015, 16_900_726),
    (2016, 16_979_120),
    (2017, 17_081_507),
    (2018, 17_181_084),
    (2019, 17_282_163),
    (2020, 17_407_585),
    (2021, 17_475_415),
    (2022, 17_590_672),
    (2023, 17_811_291),
    (2024, 17_942_942),
];

struct Row {
    code: String,
    naam: String,
    inwoners: u64,
}

struct Opgeheven {
    naam: String,
    provincie: Provincie,
    opvolgers: Vec<String>,
    toelichting: String,
}

fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let check = if let Some(i) = args.iter().position(|a| a == "--check") {
        args.remove(i);
        true
    } else {
        false
    };
    let data_dir = PathBuf::from(args.first().map_or("../shared/data", String::as_str));
    let out_dir = PathBuf::from(args.get(1).map_or("inputs/bevolking", String::as_str));

    let files = generate(&data_dir, &out_dir)?;

    let mut stale = Vec::new();
    for (name, contents) in &files {
        let path = out_dir.join(name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
                stale.push(path);
            }
        } else {
            std::fs::write(&path, contents)?;
        }
    }
    if !stale.is_empty() {
        for path in &stale {
            eprintln!("out of date: {}", path.display());
        }
        return Err("committed population files differ from the generated ones".into());
    }

    // Every written file must pass the project's own loader.
    if !check {
        for (year, _) in NATIONAL_TOTALS {
            load_bevolking(&out_dir, year)?;
        }
    }
    println!(
        "{} {} files in {}",
        if check { "checked" } else { "wrote" },
        files.len(),
        out_dir.display()
    );
    Ok(())
}

/// Returns (file name, contents) of every file to write into OUT_DIR.
fn generate(data_dir: &Path, out_dir: &Path) -> Result<Vec<(String, String)>> {
    // The 2024 table with provinces.
    let mut provincie_2024 = BTreeMap::new();
    let mut rows_2024 = Vec::new();
    for record in csv_records(&data_dir.join(FILE_2024), None)? {
        expect_len(&record, 4, FILE_2024)?;
        let provincie = Provincie::from_naam(&record[2])
            .ok_or_else(|| format!("{FILE_2024}: unknown province `{}`", &record[2]))?;
        provincie_2024.insert(record[0].to_owned(), provincie);
        rows_2024.push(Row {
            code: record[0].to_owned(),
            naam: record[1].to_owned(),
            inwoners: record[3].parse()?,
        });
    }

    // The series 2012-2024 without provinces.
    let mut series: BTreeMap<i32, Vec<Row>> = BTreeMap::new();
    for record in csv_records(&data_dir.join(FILE_SERIES), None)? {
        expect_len(&record, 5, FILE_SERIES)?;
        let year: i32 = record[0].parse()?;
        if record[1] != format!("{year}-01-01") {
            return Err(format!("{FILE_SERIES}: peildatum `{}` for {year}", &record[1]).into());
        }
        series.entry(year).or_default().push(Row {
            code: record[2].to_owned(),
            naam: record[3].to_owned(),
            inwoners: record[4].parse()?,
        });
    }
    let years: Vec<i32> = series.keys().copied().collect();
    if years != NATIONAL_TOTALS.map(|(y, _)| y) {
        return Err(format!("{FILE_SERIES}: unexpected years {years:?}").into());
    }

    // The two copies of 1-1-2024 must agree.
    let key = |r: &Row| (r.code.clone(), r.naam.clone(), r.inwoners);
    let a: BTreeSet<_> = rows_2024.iter().map(key).collect();
    let b: BTreeSet<_> = series[&2024].iter().map(key).collect();
    if a != b {
        return Err(format!("{FILE_2024} and the 2024 rows of {FILE_SERIES} differ").into());
    }

    let opgeheven = read_mapping(&out_dir.join(MAPPING))?;
    check_mapping(&opgeheven, &series, &provincie_2024)?;

    let mut files = Vec::new();
    let mut handmatig_per_year = BTreeMap::new();
    for (year, total) in NATIONAL_TOTALS {
        let mut rows: Vec<&Row> = if year == 2024 {
            rows_2024.iter().collect()
        } else {
            series[&year].iter().collect()
        };
        rows.sort_by(|a, b| a.code.cmp(&b.code));
        let sum: u64 = rows.iter().map(|r| r.inwoners).sum();
        if sum != total {
            return Err(
                format!("{year}: the rows add up to {sum}, SOURCES.md says {total}").into(),
            );
        }

        let mut gemeenten = Vec::new();
        let mut handmatig = Vec::new();
        for row in &rows {
            let provincie = match provincie_2024.get(&row.code) {
                Some(p) => *p,
                None => {
                    handmatig.push((row.code.clone(), opgeheven[&row.code].naam.clone()));
                    opgeheven[&row.code].provincie
                }
            };
            gemeenten.push(Gemeente {
                code: row.code.clone(),
                naam: row.naam.clone(),
                provincie,
                inwoners: row.inwoners,
            });
        }
        let (bron, provincies_bron) = if year == 2024 {
            (
                "CBS StatLine 70072NED / 37259ENG, population on 1 January 2024, \
                 municipal division of 1 January 2024"
                    .to_owned(),
                "Province column of the source table, added by hand; the number of \
                 municipalities per province matches the 2024 municipal division."
                    .to_owned(),
            )
        } else {
            (
                format!(
                    "CBS StatLine 37259ENG, population on 1 January {year}, \
                     municipal division of 1 January {year}"
                ),
                format!(
                    "By gemeentecode from 2024-01-01.csv (the nearest year with provinces); \
                     municipalities that no longer exist in 2024 (provincies_handmatig) by hand \
                     from {MAPPING}."
                ),
            )
        };
        // The one writer of the format, shared with `taakstelling bevolking import`.
        let header = [
            "Bron: CBS. Generated by examples/generate_bevolking.rs; do not edit by hand."
                .to_owned(),
        ];
        let (csv, yaml) = table_texts(&TableText {
            header: &header,
            peildatum_jaar: year,
            totaal_nederland: total,
            bron: &bron,
            provincies_bron: &provincies_bron,
            provincies_handmatig: &handmatig,
            gemeenten: &gemeenten,
        });
        let handmatig: Vec<String> = handmatig.into_iter().map(|(code, _)| code).collect();

        files.push((format!("{year}-01-01.csv"), csv));
        files.push((format!("{year}-01-01.yaml"), yaml));
        handmatig_per_year.insert(year, (rows.len(), handmatig));
    }
    files.push((
        "README.md".to_owned(),
        readme(&handmatig_per_year, &opgeheven)?,
    ));
    Ok(files)
}

fn csv_records(path: &Path, comment: Option<u8>) -> Result<Vec<csv::StringRecord>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(comment)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(reader.records().collect::<std::result::Result<_, _>>()?)
}

fn expect_len(record: &csv::StringRecord, len: usize, file: &str) -> Result<()> {
    if record.len() == len {
        Ok(())
    } else {
        Err(format!("{file}: expected {len} fields in {record:?}").into())
    }
}

fn read_mapping(path: &Path) -> Result<BTreeMap<String, Opgeheven>> {
    let mut map = BTreeMap::new();
    for record in csv_records(path, Some(b'#'))? {
        expect_len(&record, 5, MAPPING)?;
        let provincie = Provincie::from_naam(&record[2])
            .ok_or_else(|| format!("{MAPPING}: unknown province `{}`", &record[2]))?;
        let entry = Opgeheven {
            naam: record[1].to_owned(),
            provincie,
            opvolgers: record[3].split_whitespace().map(str::to_owned).collect(),
            toelichting: record[4].trim().to_owned(),
        };
        if map.insert(record[0].to_owned(), entry).is_some() {
            return Err(format!("{MAPPING}: {} appears twice", &record[0]).into());
        }
    }
    Ok(map)
}

/// Checks the hand-made mapping against the data: every municipality missing
/// from 2024 is listed under its CBS name; every listed one occurs; its
/// successors exist on 1 January after its last year; and its province equals
/// the 2024 province of its successors, or a reason is given.
fn check_mapping(
    opgeheven: &BTreeMap<String, Opgeheven>,
    series: &BTreeMap<i32, Vec<Row>>,
    provincie_2024: &BTreeMap<String, Provincie>,
) -> Result<()> {
    let mut last_year: BTreeMap<&str, i32> = BTreeMap::new();
    for (year, rows) in series {
        for row in rows {
            if provincie_2024.contains_key(&row.code) {
                continue;
            }
            let entry = opgeheven.get(&row.code).ok_or_else(|| {
                format!("{MAPPING}: {} {} ({year}) is missing", row.code, row.naam)
            })?;
            if entry.naam != row.naam {
                return Err(format!(
                    "{MAPPING}: {} is `{}` in the data, `{}` in the mapping",
                    row.code, row.naam, entry.naam
                )
                .into());
            }
            last_year.insert(&row.code, *year);
        }
    }
    for (code, entry) in opgeheven {
        let last = *last_year
            .get(code.as_str())
            .ok_or_else(|| format!("{MAPPING}: {code} does not occur in the data"))?;
        if entry.opvolgers.is_empty() {
            return Err(format!("{MAPPING}: {code} has no successor").into());
        }
        let next_year: BTreeSet<&str> = series[&(last + 1)]
            .iter()
            .map(|r| r.code.as_str())
            .collect();
        for opvolger in &entry.opvolgers {
            if !next_year.contains(opvolger.as_str()) {
                return Err(format!(
                    "{MAPPING}: successor {opvolger} of {code} does not exist on 1-1-{}",
                    last + 1
                )
                .into());
            }
            let p = province_2024_of(opvolger, opgeheven, provincie_2024, 0)?;
            if p != entry.provincie && entry.toelichting.is_empty() {
                return Err(format!(
                    "{MAPPING}: {code} is in {} but its successor {opvolger} is in {p} in 2024; \
                     give a toelichting",
                    entry.provincie
                )
                .into());
            }
        }
    }
    Ok(())
}

fn province_2024_of(
    code: &str,
    opgeheven: &BTreeMap<String, Opgeheven>,
    provincie_2024: &BTreeMap<String, Provincie>,
    depth: usize,
) -> Result<Provincie> {
    if let Some(p) = provincie_2024.get(code) {
        return Ok(*p);
    }
    let entry = opgeheven
        .get(code)
        .filter(|_| depth < 10)
        .ok_or_else(|| format!("{MAPPING}: cannot follow {code} to 2024"))?;
    province_2024_of(&entry.opvolgers[0], opgeheven, provincie_2024, depth + 1)
}

fn readme(
    per_year: &BTreeMap<i32, (usize, Vec<String>)>,
    opgeheven: &BTreeMap<String, Opgeheven>,
) -> Result<String> {
    let mut s = String::from(README_HEAD);
    let exceptions: Vec<&Opgeheven> = opgeheven
        .values()
        .filter(|e| !e.toelichting.is_empty())
        .collect();
    writeln!(
        s,
        "  The generator checks that file against the data: CBS names, successors that exist\n  \
         after the merger, and the successors' 2024 province. {} differ from their successor's\n  \
         2024 province, with the reason in the file:",
        exceptions.len()
    )?;
    for entry in exceptions {
        writeln!(s, "  - {}: {}", entry.naam, entry.toelichting)?;
    }
    s.push_str(
        "\n| peildatum | gemeenten | provinces by hand | codes (province filled in by hand) |\n\
         |---|---:|---:|---|\n",
    );
    for (year, (count, handmatig)) in per_year {
        let codes = if handmatig.is_empty() {
            "none".to_owned()
        } else {
            handmatig
                .iter()
                .map(|c| format!("{c} {}", opgeheven[c].naam))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            s,
            "| {year}-01-01 | {count} | {} | {codes} |",
            handmatig.len()
        )?;
    }
    Ok(s)
}

const README_HEAD: &str = r"# Bevolking per gemeente on 1 January

**Bron: CBS** (Statistics Netherlands, StatLine tables 70072NED / 37259ENG, population on
1 January per municipality, in the municipal division of that date; CC BY 4.0).

The tables of 2012 to 2024 are generated by `examples/generate_bevolking.rs` from the
project's shared CBS data files (`cbs_bevolking_gemeenten_2024-01-01.csv`,
`cbs_bevolking_gemeenten_1jan_2012-2024.csv`) and the hand-made
`provincies_opgeheven_gemeenten.csv` in this folder; do not edit the CSV and YAML files or this
README by hand. Later years are imported from CBS's own download with
`taakstelling bevolking import FILE --peildatum YYYY-01-01` (see the project README, section
*The yearly step*); their YAML says which download they came from. Both write through the same writer of the
format. Regenerate or verify 2012 to 2024 with

```sh
cargo run --example generate_bevolking -- ../shared/data inputs/bevolking
cargo run --example generate_bevolking -- --check ../shared/data inputs/bevolking
```

Per peildatum `YYYY-01-01` there are two files:

- `YYYY-01-01.csv`: `gemeentecode,gemeentenaam,provincie,inwoners`, sorted by code;
- `YYYY-01-01.yaml`: `peildatum`, `totaal_nederland` (the CBS national total, which the loader
  checks against the sum of the rows), `aantal_gemeenten`, `bron`, `provincies_bron` and
  `provincies_handmatig` (the codes whose province was filled in by hand).

Under Huisvestingswet 2014 art. 29 the taakstelling of the half-years of year Y uses the
population on 1 January of Y - 1 (periods 2025-I and 2025-II use `2024-01-01`).

## Where the provinces come from

- **2024-01-01**: the province column of the source table (added by hand there; the number of
  municipalities per province matches the 2024 municipal division).
- **2012-01-01 to 2023-01-01**: the CBS series has no province column.
  - A municipality that still exists on 1 January 2024 gets its 2024 province, looked up by
    gemeentecode (2024 is the nearest year with provinces). This assumes that no municipality
    moved to another province between 2012 and 2024 while keeping its code: in that period
    provinces changed only through mergers, which create a new code.
  - A municipality that was merged away before 2024 gets, by hand, the province it belonged to
    while it existed, from `provincies_opgeheven_gemeenten.csv`.
";
