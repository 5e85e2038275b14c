//! `taakstelling bevolking import`: CBS's yearly population per municipality into
//! the project's table `inputs/bevolking/YYYY-01-01.csv` and `.yaml`.
//!
//! The import is made whole in memory first ([`prepare`]): the download read
//! ([`download`]), every municipality named by its code, its province from the
//! previous table or from CBS's municipal division table ([`indeling`]), the checks
//! (each municipality once, whole positive numbers, the national total, a plausible
//! number of municipalities), the two texts written by the one writer of the format
//! and read back by the loader. Only then [`write`] puts them in place: beside the
//! target first, then linked (a new table) or renamed (with `--force`) into place, so
//! a refused or failed import writes nothing.

pub mod download;
pub mod indeling;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use thiserror::Error;

use crate::input::BEVOLKING_FOLDER;
use crate::input::bevolking::{
    Bevolking, BevolkingError, Gemeente, Provincie, TabelTekst, bevolking_paths, load_bevolking,
    parse_bevolking, tabel_teksten,
};
use crate::input::fout::Fouten;
use crate::input::yaml::text_from_bytes;
use crate::input::{Bron, InputErrors, Pos};
use crate::kalender::{Datum, Helft, Periode};
use crate::nl;
use download::{Download, Formaat, Regio};
use indeling::Indeling;

/// The largest download read: a filtered CBS download of ~350 municipalities is far
/// smaller; an unfiltered table is refused before it fills memory.
const MAX_DOWNLOAD: u64 = 32 * 1024 * 1024;
const MAX_INDELING: u64 = 4 * 1024 * 1024;

/// What the command was asked.
#[derive(Debug, Clone)]
pub struct Options {
    /// The inputs folder; the table goes into its `bevolking/`.
    pub inputs: PathBuf,
    /// The download.
    pub bestand: PathBuf,
    /// 1 January of the year of the figures.
    pub peildatum: Datum,
    /// CBS's municipal division table of the peildatum, for new municipalities.
    pub indeling: Option<PathBuf>,
    /// The CBS table, when the download does not say it.
    pub tabel: Option<String>,
    /// The day of the download, when the download does not say it (or to correct it).
    pub gedownload: Option<Datum>,
    /// Replace a table that exists.
    pub force: bool,
}

/// Why an import was refused. Nothing is written.
#[derive(Debug, Error, Diagnostic)]
pub enum ImportError {
    #[error("{0}")]
    #[diagnostic(code(taakstelling::bevolking::gebruik))]
    Gebruik(String),

    #[error("{0}")]
    #[diagnostic(code(taakstelling::bevolking::intern))]
    Intern(String),

    #[error("cannot read {}: {bron}", pad.display())]
    #[diagnostic(code(taakstelling::bevolking::lezen))]
    Lezen { pad: PathBuf, bron: io::Error },

    #[error("{}: the file is {bytes} bytes, larger than {max} bytes; is it the right file (a download filtered on the municipalities, one period and the totals)?", pad.display())]
    #[diagnostic(code(taakstelling::bevolking::te_groot))]
    TeGroot { pad: PathBuf, bytes: u64, max: u64 },

    #[error("the import was refused; nothing was written")]
    #[diagnostic(code(taakstelling::bevolking::ongeldig))]
    Ongeldig {
        #[related]
        fouten: Vec<InputErrors>,
    },

    #[error("{}", .wat.join("; "))]
    #[diagnostic(
        code(taakstelling::bevolking::herkomst),
        help(
            "the table records where its figures come from (Bron: CBS, the table, the day of the download); nothing was written"
        )
    )]
    Herkomst { wat: Vec<String> },

    #[error(
        "the previous population table does not check; fix it first (nothing was written): {fout}"
    )]
    #[diagnostic(code(taakstelling::bevolking::vorige))]
    Vorige { fout: Box<BevolkingError> },

    #[error("{} already exists and differs from this download ({samenvatting}); nothing was written", pad.display())]
    #[diagnostic(
        code(taakstelling::bevolking::bestaat),
        help(
            "run the import again with --force to replace it; the command then lists every change"
        )
    )]
    Bestaat { pad: PathBuf, samenvatting: String },

    #[error("refusing to write {}: it is not inside the inputs folder {}", pad.display(), inputs.display())]
    #[diagnostic(code(taakstelling::bevolking::buiten))]
    Buiten { pad: PathBuf, inputs: PathBuf },

    #[error("cannot write {}: {bron}", pad.display())]
    #[diagnostic(code(taakstelling::bevolking::schrijven))]
    Schrijven { pad: PathBuf, bron: io::Error },
}

impl ImportError {
    /// The exit code: 2 for wrong usage, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            ImportError::Gebruik(_) => 2,
            _ => 1,
        }
    }
}

/// How the table on disk compares with the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bestaand {
    Geen,
    /// Byte for byte what the import would write.
    Gelijk,
    /// Different: what changed, one line each.
    Anders(Vec<String>),
}

/// An import made in memory, ready to be written.
#[derive(Debug, Clone)]
pub struct Import {
    pub jaar: i32,
    pub csv_pad: PathBuf,
    pub yaml_pad: PathBuf,
    pub csv: String,
    pub yaml: String,
    pub bevolking: Bevolking,
    pub formaat: Formaat,
    pub bestandsnaam: String,
    pub tabel: String,
    pub gedownload: Datum,
    pub gedownload_uit: &'static str,
    /// Whether the download carried the national total (and the sum matched it).
    pub totaal_uit_download: bool,
    pub voorlopig: bool,
    /// The year of the previous table, when there is one.
    pub vorige: Option<(i32, usize)>,
    /// Municipalities new since the previous table: code, name, province.
    pub nieuw: Vec<(String, String, Provincie)>,
    /// Municipalities gone since the previous table: code, name.
    pub weg: Vec<(String, String)>,
    /// Municipalities whose name changed: code, old, new.
    pub hernoemd: Vec<(String, String, String)>,
    pub provincies_uit_vorige: usize,
    pub provincies_uit_indeling: usize,
    pub bestaand: Bestaand,
}

/// The years of the tables in `dir` (`YYYY-01-01.yaml`), sorted.
fn tabeljaren(dir: &Path) -> Vec<i32> {
    let mut jaren: Vec<i32> = fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let naam = e.file_name().to_string_lossy().into_owned();
                    let jaar = naam.strip_suffix("-01-01.yaml")?;
                    (jaar.len() == 4).then(|| jaar.parse().ok()).flatten()
                })
                .collect()
        })
        .unwrap_or_default();
    jaren.sort_unstable();
    jaren
}

/// Reads a file whole, refusing one larger than `max`, as UTF-8 text.
fn lees_tekst(pad: &Path, max: u64) -> Result<Result<Bron, InputErrors>, ImportError> {
    let lezen = |bron| ImportError::Lezen {
        pad: pad.to_path_buf(),
        bron,
    };
    let file = fs::File::open(pad).map_err(lezen)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(lezen)?;
    if bytes.len() as u64 > max {
        let bytes = fs::metadata(pad).map_or(bytes.len() as u64, |m| m.len());
        return Err(ImportError::TeGroot {
            pad: pad.to_path_buf(),
            bytes,
            max,
        });
    }
    Ok(text_from_bytes(pad, bytes).map(|t| Bron::new(pad, t)))
}

fn bestandsnaam(pad: &Path) -> String {
    pad.file_name().map_or_else(
        || pad.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A name as the project's tables write it: StatLine's ` (gemeente)` (which tells
/// Groningen, Utrecht and 's-Gravenhage from their provinces) dropped.
fn tabelnaam(naam: &str) -> &str {
    naam.trim()
        .strip_suffix(" (gemeente)")
        .unwrap_or(naam.trim())
}

fn zonder_toevoeging(naam: &str) -> &str {
    match naam.rsplit_once(" (") {
        Some((kern, rest)) if rest.ends_with(')') => kern,
        _ => naam,
    }
}

/// The number of municipalities that is plausible one year after `n`: mergers take
/// away at most a tenth (2019: 380 → 355), and splits are rare.
fn plausibel(n: usize) -> (usize, usize) {
    (n - n / 10, n + n / 50)
}

/// Reads, checks and prepares the import; writes nothing.
pub fn prepare(o: &Options) -> Result<Import, ImportError> {
    if (o.peildatum.maand, o.peildatum.dag) != (1, 1) {
        return Err(ImportError::Gebruik(format!(
            "--peildatum {} is not 1 January: CBS counts the population on 1 January \
             (Huisvestingswet 2014 art. 29), such as {}-01-01",
            o.peildatum, o.peildatum.jaar
        )));
    }
    let jaar = o.peildatum.jaar;
    let dir = o.inputs.join(BEVOLKING_FOLDER);
    let (csv_pad, yaml_pad) = bevolking_paths(&dir, jaar);

    // Read both files first, so that the problems of both are reported together.
    let mut fouten = Vec::new();
    let download_bron = match lees_tekst(&o.bestand, MAX_DOWNLOAD)? {
        Ok(b) => Some(b),
        Err(e) => {
            fouten.push(e);
            None
        }
    };
    let naam = bestandsnaam(&o.bestand);
    let download = download_bron
        .as_ref()
        .and_then(|b| match download::lees(b, &naam, jaar) {
            Ok(d) => Some(d),
            Err(e) => {
                fouten.push(e);
                None
            }
        });
    let indeling = match &o.indeling {
        None => None,
        Some(pad) => match lees_tekst(pad, MAX_INDELING)? {
            Err(e) => {
                fouten.push(e);
                None
            }
            Ok(bron) => match indeling::lees(&bron) {
                Ok(i) => Some((bron, i)),
                Err(e) => {
                    fouten.push(e);
                    None
                }
            },
        },
    };
    let (Some(bron), Some(download)) = (download_bron, download) else {
        return Err(ImportError::Ongeldig { fouten });
    };
    if !fouten.is_empty() {
        return Err(ImportError::Ongeldig { fouten });
    }

    // Where the figures come from: the download, else the options.
    let tabel = o.tabel.clone().or_else(|| download.tabel.clone());
    let (gedownload, gedownload_uit) = match (o.gedownload, download.gedownload) {
        (Some(d), _) => (Some(d), "--downloaded"),
        (None, Some(d)) => (Some(d), "the download"),
        (None, None) => (None, ""),
    };
    let mut wat = Vec::new();
    if tabel.is_none() {
        wat.push(format!(
            "{naam} does not say which CBS table its figures come from: give it with --table (such as 03759ned)"
        ));
    }
    if gedownload.is_none() {
        wat.push(format!(
            "{naam} does not say when it was downloaded: give the day with --downloaded YYYY-MM-DD"
        ));
    }
    let (Some(tabel), Some(gedownload)) = (tabel, gedownload) else {
        return Err(ImportError::Herkomst { wat });
    };
    if !tabel
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        || tabel.is_empty()
    {
        return Err(ImportError::Gebruik(format!(
            "--table {tabel:?}: expected a CBS table id such as 03759ned"
        )));
    }

    // The previous table: provinces, names, and what to compare with.
    let vorige_jaar = tabeljaren(&dir).into_iter().rfind(|&j| j < jaar);
    let vorige = match vorige_jaar {
        Some(j) => Some(load_bevolking(&dir, j).map_err(|fout| ImportError::Vorige {
            fout: Box::new(fout),
        })?),
        None => None,
    };

    let indeling_bron = indeling.as_ref().map(|(b, _)| b.clone());
    let indeling_data = indeling.map(|(_, i)| i);
    let gemaakt = maak(
        jaar,
        &bron,
        &download,
        vorige.as_ref(),
        indeling_bron.as_ref().zip(indeling_data.as_ref()),
    )?;

    // The texts, by the one writer of the format.
    let indeling_naam = o.indeling.as_deref().map(bestandsnaam);
    let mut bron_tekst = format!(
        "Bron: CBS, table {tabel}, population on 1 January {jaar}, municipal division of 1 January \
         {jaar}; downloaded on {gedownload} as {naam} ({})",
        download.formaat.naam()
    );
    if download.voorlopig {
        bron_tekst.push_str("; CBS marks the figures provisional");
    }
    let provincies_bron = match (&vorige, gemaakt.uit_indeling.is_empty()) {
        (Some(v), true) => format!(
            "By gemeentecode from {:04}-01-01.csv (the previous table).",
            v.peildatum_jaar
        ),
        (Some(v), false) => format!(
            "By gemeentecode from {:04}-01-01.csv (the previous table); {} from CBS's municipal \
             division table {}.",
            v.peildatum_jaar,
            gemaakt.uit_indeling.join(", "),
            indeling_naam.as_deref().unwrap_or_default()
        ),
        (None, _) => format!(
            "From CBS's municipal division table {}.",
            indeling_naam.as_deref().unwrap_or_default()
        ),
    };
    let kop = [
        format!(
            "Bron: CBS. Imported by `taakstelling bevolking import` from {naam}; do not edit by hand."
        ),
        format!(
            "CBS table {tabel}, downloaded on {gedownload}. To replace it, import a new download with --force."
        ),
    ];
    let (csv, yaml) = tabel_teksten(&TabelTekst {
        kop: &kop,
        peildatum_jaar: jaar,
        totaal_nederland: gemaakt.totaal,
        bron: &bron_tekst,
        provincies_bron: &provincies_bron,
        provincies_handmatig: &[],
        gemeenten: &gemaakt.gemeenten,
    });
    // Read back by the loader, as every build will read it.
    let bevolking = parse_bevolking(jaar, &csv_pad, &csv, &yaml_pad, &yaml).map_err(|fout| {
        ImportError::Intern(format!(
            "the table made from {naam} does not read back ({fout}); nothing was written; please report this"
        ))
    })?;

    let bestaand = vergelijk(&csv_pad, &yaml_pad, &csv, &yaml, &bevolking, jaar);
    if let (Bestaand::Anders(regels), false) = (&bestaand, o.force) {
        return Err(ImportError::Bestaat {
            pad: csv_pad,
            samenvatting: samenvatting(regels),
        });
    }

    let (nieuw, weg, hernoemd) = match &vorige {
        Some(v) => verschil_met_vorige(v, &bevolking),
        None => Default::default(),
    };
    Ok(Import {
        jaar,
        csv_pad,
        yaml_pad,
        csv,
        yaml,
        bevolking,
        formaat: download.formaat,
        bestandsnaam: naam,
        tabel,
        gedownload,
        gedownload_uit,
        totaal_uit_download: download.totaal.is_some(),
        voorlopig: download.voorlopig,
        vorige: vorige
            .as_ref()
            .map(|v| (v.peildatum_jaar, v.gemeenten.len())),
        nieuw,
        weg,
        hernoemd,
        provincies_uit_vorige: gemaakt.gemeenten.len() - gemaakt.uit_indeling.len(),
        provincies_uit_indeling: gemaakt.uit_indeling.len(),
        bestaand,
    })
}

/// The municipalities of an import, checked.
struct Gemaakt {
    gemeenten: Vec<Gemeente>,
    totaal: u64,
    /// Codes whose province came from the division table.
    uit_indeling: Vec<String>,
}

/// Names the municipalities of the download by code, gives each its name and
/// province, and checks the whole; every problem is reported at once.
fn maak(
    jaar: i32,
    bron: &Bron,
    download: &Download,
    vorige: Option<&Bevolking>,
    indeling: Option<(&Bron, &Indeling)>,
) -> Result<Gemaakt, ImportError> {
    let mut f = Fouten::new(bron);
    let vorige_tekst = vorige.map_or_else(
        || "there is no earlier table in inputs/bevolking".to_string(),
        |v| format!("the table of 1 January {}", v.peildatum_jaar),
    );

    // Names → codes, for a StatLine export that names municipalities only.
    let mut op_naam: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut op_kern: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for g in vorige.map_or(&[][..], |v| &v.gemeenten[..]) {
        op_naam
            .entry(g.naam.to_lowercase())
            .or_default()
            .insert(&g.code);
    }
    if let Some((_, i)) = indeling {
        for (code, g) in &i.gemeenten {
            op_naam
                .entry(g.naam.to_lowercase())
                .or_default()
                .insert(code);
            op_kern
                .entry(zonder_toevoeging(&g.naam).to_lowercase())
                .or_default()
                .insert(code);
        }
    }

    struct Regel {
        code: String,
        naam: Option<String>,
        inwoners: u64,
        pos: Option<Pos>,
    }
    let mut regels = Vec::new();
    for rij in &download.rijen {
        let (code, naam) = match &rij.regio {
            Regio::Code(c) => (c.clone(), rij.naam.clone()),
            Regio::Naam(n) => {
                let n = tabelnaam(n);
                let sleutel = n.to_lowercase();
                let kandidaten = op_naam
                    .get(&sleutel)
                    .or_else(|| op_kern.get(&zonder_toevoeging(n).to_lowercase()));
                match kandidaten.map(|k| k.iter().copied().collect::<Vec<_>>()) {
                    Some(k) if k.len() == 1 => (k[0].to_string(), Some(n.to_string())),
                    Some(k) => {
                        f.push(
                            rij.pos,
                            "Regio's",
                            format!(
                                "`{n}` could be any of {}: download the table with region codes",
                                k.join(", ")
                            ),
                        );
                        continue;
                    }
                    None => {
                        f.push(
                            rij.pos,
                            "Regio's",
                            format!(
                                "`{n}` is not a municipality of {vorige_tekst} nor of the division file: \
                                 a municipality new on 1 January {jaar} needs CBS's municipal division table \
                                 (--indeling), or download the table with region codes (GM0363)"
                            ),
                        );
                        continue;
                    }
                }
            }
        };
        regels.push(Regel {
            code,
            naam,
            inwoners: rij.inwoners,
            pos: rij.pos,
        });
    }

    // Every municipality once.
    let mut eerste: BTreeMap<&str, Option<Pos>> = BTreeMap::new();
    for r in &regels {
        if let Some(p) = eerste.get(r.code.as_str()) {
            f.push(
                r.pos,
                "(row)",
                format!(
                    "municipality {} appears twice{}",
                    r.code,
                    p.map(|p| format!(" (first on line {})", p.line))
                        .unwrap_or_default()
                ),
            );
        } else {
            eerste.insert(&r.code, r.pos);
        }
    }

    // The national total, when the download carries it.
    let som: u128 = regels.iter().map(|r| u128::from(r.inwoners)).sum();
    if let Some((totaal, pos)) = download.totaal
        && som != u128::from(totaal)
    {
        f.push(
            pos,
            "Nederland",
            format!(
                "the municipalities add up to {som}, but the national total in the download is {totaal} \
                 (a difference of {}): is a municipality missing, counted twice, or of another date?",
                som.abs_diff(u128::from(totaal))
            ),
        );
    }

    // A plausible number of municipalities.
    if let Some(v) = vorige {
        let (laag, hoog) = plausibel(v.gemeenten.len());
        let n = eerste.len();
        if n < laag || n > hoog {
            f.push(
                None,
                "(file)",
                format!(
                    "the download has {n} municipalities for 1 January {jaar}, the table of 1 January {} \
                     has {}: expected {laag} to {hoog}. Is the download complete (every municipality, \
                     the totals of every other dimension)?",
                    v.peildatum_jaar,
                    v.gemeenten.len()
                ),
            );
        }
    }

    // Names and provinces: from the previous table, for a new code from the division.
    let mut gemeenten = Vec::new();
    let mut uit_indeling = Vec::new();
    let mut zonder: Vec<(String, Option<Pos>)> = Vec::new();
    let mut indeling_fouten = indeling.map(|(b, _)| Fouten::new(b));
    let mut gedaan = BTreeSet::new();
    for r in &regels {
        if !gedaan.insert(r.code.as_str()) {
            continue;
        }
        let oud = vorige.and_then(|v| v.gemeente(&r.code));
        let uit_div = indeling.and_then(|(_, i)| i.gemeenten.get(&r.code));
        if let (Some(o), Some(d), Some(fi)) = (oud, uit_div, indeling_fouten.as_mut())
            && o.provincie != d.provincie
        {
            fi.push(
                d.pos,
                "Provincienaam",
                format!(
                    "{} {} is in {} in the division file, but in {} in {vorige_tekst}: a municipality \
                     that changes province gets a new code; check which file is right",
                    r.code, d.naam, d.provincie, o.provincie
                ),
            );
        }
        let naam = r
            .naam
            .clone()
            .or_else(|| oud.map(|o| o.naam.clone()))
            .or_else(|| uit_div.map(|d| d.naam.clone()));
        let provincie = match (oud, uit_div) {
            (Some(o), _) => Some(o.provincie),
            (None, Some(d)) => {
                uit_indeling.push(r.code.clone());
                Some(d.provincie)
            }
            (None, None) => None,
        };
        match (naam, provincie) {
            (Some(naam), Some(provincie)) => gemeenten.push(Gemeente {
                code: r.code.clone(),
                naam,
                provincie,
                inwoners: r.inwoners,
            }),
            (naam, _) => zonder.push((
                format!(
                    "{}{}",
                    r.code,
                    naam.map(|n| format!(" {n}")).unwrap_or_default()
                ),
                r.pos,
            )),
        }
    }
    if !zonder.is_empty() {
        let lijst: Vec<String> = zonder
            .iter()
            .map(|(c, p)| match p {
                Some(p) => format!("{c} (line {})", p.line),
                None => c.clone(),
            })
            .collect();
        let e = crate::input::InputError::new(
            bron,
            zonder[0].1,
            "(provinces)",
            format!(
                "no province for {} municipalit{} not in {vorige_tekst}: {}",
                zonder.len(),
                if zonder.len() == 1 { "y" } else { "ies" },
                lijst.join(", ")
            ),
        )
        .with_help(format!(
            "a municipality new on 1 January {jaar} (a merger) takes its province from CBS's \
             municipal division table of that date: download gemeenten-alfabetisch-{jaar} from \
             cbs.nl (Gemeentelijke indeling op 1 januari {jaar}), save it as CSV and give it with \
             --indeling FILE"
        ));
        f.errors.push(e);
    }

    // The division must be of the same day: the same municipalities.
    if let (Some((_, i)), Some(fi)) = (indeling, indeling_fouten.as_mut()) {
        let codes: BTreeSet<&str> = eerste.keys().copied().collect();
        let extra: Vec<&str> = i
            .gemeenten
            .keys()
            .map(String::as_str)
            .filter(|c| !codes.contains(c))
            .collect();
        let mist: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| !i.gemeenten.contains_key(*c))
            .collect();
        if !extra.is_empty() || !mist.is_empty() {
            let lijst = |v: &[&str]| {
                let mut s = v.iter().take(10).copied().collect::<Vec<_>>().join(", ");
                if v.len() > 10 {
                    s.push_str(&format!(" and {} more", v.len() - 10));
                }
                s
            };
            let mut delen = Vec::new();
            if !extra.is_empty() {
                delen.push(format!(
                    "it lists {} municipalities the download lacks ({})",
                    extra.len(),
                    lijst(&extra)
                ));
            }
            if !mist.is_empty() {
                delen.push(format!(
                    "it lacks {} of the download ({})",
                    mist.len(),
                    lijst(&mist)
                ));
            }
            fi.push(
                None,
                "(file)",
                format!(
                    "the division does not match the download: {}; expected the municipal division \
                     of 1 January {jaar}",
                    delen.join(", and ")
                ),
            );
        }
    }

    let mut fouten = Vec::new();
    if let Err(e) = f.into_result(()) {
        fouten.push(e);
    }
    if let Some(Err(e)) = indeling_fouten.map(|fi| fi.into_result(())) {
        fouten.push(e);
    }
    if !fouten.is_empty() {
        return Err(ImportError::Ongeldig { fouten });
    }
    let totaal = download.totaal.map_or(som as u64, |(t, _)| t);
    Ok(Gemaakt {
        gemeenten,
        totaal,
        uit_indeling,
    })
}

type Vergelijking = (
    Vec<(String, String, Provincie)>,
    Vec<(String, String)>,
    Vec<(String, String, String)>,
);

fn verschil_met_vorige(vorige: &Bevolking, nieuw: &Bevolking) -> Vergelijking {
    let oud: BTreeMap<&str, &Gemeente> = vorige
        .gemeenten
        .iter()
        .map(|g| (g.code.as_str(), g))
        .collect();
    let nu: BTreeMap<&str, &Gemeente> = nieuw
        .gemeenten
        .iter()
        .map(|g| (g.code.as_str(), g))
        .collect();
    let erbij = nu
        .iter()
        .filter(|(c, _)| !oud.contains_key(*c))
        .map(|(c, g)| (c.to_string(), g.naam.clone(), g.provincie))
        .collect();
    let eraf = oud
        .iter()
        .filter(|(c, _)| !nu.contains_key(*c))
        .map(|(c, g)| (c.to_string(), g.naam.clone()))
        .collect();
    let hernoemd = nu
        .iter()
        .filter_map(|(c, g)| {
            let o = oud.get(c)?;
            (o.naam != g.naam).then(|| (c.to_string(), o.naam.clone(), g.naam.clone()))
        })
        .collect();
    (erbij, eraf, hernoemd)
}

/// Compares the table on disk (if any) with the import.
fn vergelijk(
    csv_pad: &Path,
    yaml_pad: &Path,
    csv: &str,
    yaml: &str,
    nieuw: &Bevolking,
    jaar: i32,
) -> Bestaand {
    let (oud_csv, oud_yaml) = (fs::read(csv_pad).ok(), fs::read(yaml_pad).ok());
    if oud_csv.is_none() && oud_yaml.is_none() {
        return Bestaand::Geen;
    }
    if oud_csv.as_deref() == Some(csv.as_bytes()) && oud_yaml.as_deref() == Some(yaml.as_bytes()) {
        return Bestaand::Gelijk;
    }
    let dir = csv_pad.parent().unwrap_or(Path::new("."));
    let oud = match load_bevolking(dir, jaar) {
        Ok(b) => b,
        Err(e) => {
            return Bestaand::Anders(vec![format!(
                "the table on disk does not check ({}); it is replaced whole",
                e.to_string().lines().next().unwrap_or_default()
            )]);
        }
    };
    let mut regels = Vec::new();
    let oud_m: BTreeMap<&str, &Gemeente> =
        oud.gemeenten.iter().map(|g| (g.code.as_str(), g)).collect();
    let nieuw_m: BTreeMap<&str, &Gemeente> = nieuw
        .gemeenten
        .iter()
        .map(|g| (g.code.as_str(), g))
        .collect();
    let codes: BTreeSet<&str> = oud_m.keys().chain(nieuw_m.keys()).copied().collect();
    for c in codes {
        match (oud_m.get(c), nieuw_m.get(c)) {
            (Some(o), Some(n)) => {
                if o.inwoners != n.inwoners {
                    let d = i128::from(n.inwoners) - i128::from(o.inwoners);
                    regels.push(format!(
                        "{c} {}: {} → {} ({}{})",
                        n.naam,
                        nl::getal(o.inwoners as i64),
                        nl::getal(n.inwoners as i64),
                        if d > 0 { "+" } else { "−" },
                        nl::getal(d.unsigned_abs() as i64)
                    ));
                }
                if o.naam != n.naam {
                    regels.push(format!("{c}: name {} → {}", o.naam, n.naam));
                }
                if o.provincie != n.provincie {
                    regels.push(format!(
                        "{c} {}: province {} → {}",
                        n.naam, o.provincie, n.provincie
                    ));
                }
            }
            (None, Some(n)) => regels.push(format!(
                "{c} {}: added, {} ({})",
                n.naam,
                nl::getal(n.inwoners as i64),
                n.provincie
            )),
            (Some(o), None) => regels.push(format!(
                "{c} {}: removed (was {})",
                o.naam,
                nl::getal(o.inwoners as i64)
            )),
            (None, None) => {}
        }
    }
    if oud.totaal != nieuw.totaal {
        regels.push(format!(
            "total: {} → {}",
            nl::getal(oud.totaal as i64),
            nl::getal(nieuw.totaal as i64)
        ));
    }
    if oud.gemeenten.len() != nieuw.gemeenten.len() {
        regels.push(format!(
            "municipalities: {} → {}",
            oud.gemeenten.len(),
            nieuw.gemeenten.len()
        ));
    }
    if oud.bron != nieuw.bron {
        regels.push(format!("bron: \"{}\" → \"{}\"", oud.bron, nieuw.bron));
    }
    if oud.provincies_bron != nieuw.provincies_bron {
        regels.push(format!(
            "provincies_bron: \"{}\" → \"{}\"",
            oud.provincies_bron, nieuw.provincies_bron
        ));
    }
    if regels.is_empty() {
        regels.push("the same figures; only the layout of the files differs".to_string());
    }
    Bestaand::Anders(regels)
}

fn samenvatting(regels: &[String]) -> String {
    let gemeenten = regels.iter().filter(|r| r.starts_with("GM")).count();
    let totaal = regels.iter().find(|r| r.starts_with("total:"));
    match (gemeenten, totaal) {
        (0, None) if regels.iter().any(|r| r.starts_with("bron:")) => {
            "the same figures, another download: its recorded source (bron) differs".to_string()
        }
        (0, None) => regels.first().cloned().unwrap_or_default(),
        (n, t) => format!(
            "{n} municipalit{} changed{}",
            if n == 1 { "y" } else { "ies" },
            t.map(|t| format!(", {t}")).unwrap_or_default()
        ),
    }
}

impl Import {
    /// The command's report, one line each.
    pub fn verslag(&self) -> Vec<String> {
        let b = &self.bevolking;
        let mut v = vec![format!(
            "read {}: {}, CBS table {}, downloaded on {} (from {})",
            self.bestandsnaam,
            self.formaat.naam(),
            self.tabel,
            self.gedownload,
            self.gedownload_uit
        )];
        v.push(format!(
            "  {} municipalities, {} inhabitants on 1 January {}: {}",
            b.gemeenten.len(),
            nl::getal(b.totaal as i64),
            self.jaar,
            if self.totaal_uit_download {
                "equal to the national total in the download"
            } else {
                "the download has no national total, so the sum is the total"
            }
        ));
        if self.voorlopig {
            v.push("  CBS marks these figures provisional (*)".to_string());
        }
        match self.vorige {
            Some((j, n)) => {
                v.push(format!(
                    "  compared with 1 January {j} ({n} municipalities):"
                ));
                if self.nieuw.is_empty() && self.weg.is_empty() {
                    v.push("    no municipality is new or gone".to_string());
                }
                if !self.nieuw.is_empty() {
                    v.push(format!(
                        "    new ({}): {}",
                        self.nieuw.len(),
                        self.nieuw
                            .iter()
                            .map(|(c, n, p)| format!("{c} {n} ({p})"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if !self.weg.is_empty() {
                    v.push(format!(
                        "    gone ({}): {}",
                        self.weg.len(),
                        self.weg
                            .iter()
                            .map(|(c, n)| format!("{c} {n}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                for (c, o, n) in &self.hernoemd {
                    v.push(format!("    renamed: {c} {o} → {n}"));
                }
                v.push(format!(
                    "  provinces: {} from {j:04}-01-01.csv, {} from the division file",
                    self.provincies_uit_vorige, self.provincies_uit_indeling
                ));
            }
            None => v.push(format!(
                "  no earlier table in inputs/bevolking: all {} provinces from the division file",
                self.provincies_uit_indeling
            )),
        }
        v
    }

    /// What to keep in mind for the periods that use the table (art. 29 and 30).
    pub fn art30(&self) -> String {
        let volgend = self.jaar + 1;
        let (p1, p2) = (
            Periode {
                jaar: volgend,
                helft: Helft::I,
            },
            Periode {
                jaar: volgend,
                helft: Helft::II,
            },
        );
        format!(
            "the periods {p1} and {p2} use this table (Huisvestingswet 2014 art. 29). A municipality \
             merged on 1 January {volgend} is not in it: Gedeputeerde Staten may set its population \
             (art. 30); put that in verdeling.bevolking_vaststellingen of those periods"
        )
    }
}

/// A path beside `doel` for a file being written: `.NAME.nieuw-PID`.
fn tijdelijk(doel: &Path) -> PathBuf {
    doel.with_file_name(format!(
        ".{}.nieuw-{}",
        bestandsnaam(doel),
        std::process::id()
    ))
}

/// Puts the import in place. Without `force` a table that exists is never
/// overwritten (not even one that appeared since [`prepare`]).
pub fn write(i: &Import, inputs: &Path, force: bool) -> Result<(), ImportError> {
    if i.bestaand == Bestaand::Gelijk {
        return Ok(());
    }
    let fout = |pad: &Path| {
        let pad = pad.to_path_buf();
        move |bron: io::Error| ImportError::Schrijven { pad, bron }
    };
    let dir = i.csv_pad.parent().unwrap_or(Path::new("."));
    if !inputs.is_dir() {
        return Err(ImportError::Schrijven {
            pad: inputs.to_path_buf(),
            bron: io::Error::new(io::ErrorKind::NotFound, "the inputs folder does not exist"),
        });
    }
    if !dir.exists() {
        fs::create_dir(dir).map_err(fout(dir))?;
    }
    // Never outside the inputs folder, not even through a symbolic link.
    let (echt_inputs, echt_dir) = (
        inputs.canonicalize().map_err(fout(inputs))?,
        dir.canonicalize().map_err(fout(dir))?,
    );
    if !echt_dir.starts_with(&echt_inputs) || echt_dir == echt_inputs {
        return Err(ImportError::Buiten {
            pad: dir.to_path_buf(),
            inputs: inputs.to_path_buf(),
        });
    }
    let paren = [(&i.csv_pad, &i.csv), (&i.yaml_pad, &i.yaml)];
    let tijdelijke: Vec<PathBuf> = paren.iter().map(|(p, _)| tijdelijk(p)).collect();
    let opruimen = || {
        for t in &tijdelijke {
            let _ = fs::remove_file(t);
        }
    };
    for ((doel, tekst), t) in paren.iter().zip(&tijdelijke) {
        if let Err(e) = fs::write(t, tekst.as_bytes()) {
            opruimen();
            return Err(fout(doel)(e));
        }
    }
    let mut geplaatst: Vec<&PathBuf> = Vec::new();
    for ((doel, tekst), t) in paren.iter().zip(&tijdelijke) {
        let r = if force {
            fs::rename(t, doel)
        } else {
            plaats_nieuw(t, doel, tekst)
        };
        if let Err(e) = r {
            // Undo what this import put in place (only files it created itself).
            if !force {
                for p in &geplaatst {
                    let _ = fs::remove_file(p);
                }
            }
            opruimen();
            return Err(if e.kind() == io::ErrorKind::AlreadyExists {
                ImportError::Bestaat {
                    pad: doel.to_path_buf(),
                    samenvatting: "it appeared while the import ran".to_string(),
                }
            } else {
                fout(doel)(e)
            });
        }
        geplaatst.push(doel);
    }
    opruimen();
    Ok(())
}

/// Links a written file into place; fails when the target exists.
fn plaats_nieuw(tijdelijk: &Path, doel: &Path, tekst: &str) -> io::Result<()> {
    match fs::hard_link(tijdelijk, doel) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: create the file exclusively instead.
        Err(_) => {
            use std::io::Write;
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(doel)?;
            f.write_all(tekst.as_bytes()).inspect_err(|_| {
                // Only the file this import just created.
                let _ = fs::remove_file(doel);
            })
        }
    }
}

#[cfg(test)]
mod tests;
