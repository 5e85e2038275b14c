//! The workflow, as one type: find the periods → load → compute → render → write
//! (all periods or some) → index. Like Zola's `Site` and mdBook's `MDBook`, every
//! command that builds goes through [`Site`]: `build`, `check` and `serve` (and
//! `new`, which computes the previous period with [`compute_period`]).
//!
//! A [`Site`] keeps the last good build of every period, so that `serve` rebuilds
//! only what changed; `build` starts empty and builds what it is asked for plus, in
//! memory, the other periods the index needs. What happened is told in one typed
//! [`Report`].

mod period;
mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use period::{Berekening, Gebouwd, PeriodError, build_period, build_periods, compute_period};
pub use report::{Entry, Problem, Report};

use crate::input::{self, BevolkingCache, DiscoveryError};
use crate::kalender::Periode;
use crate::output::{self, OutputError, OutputFile};
use crate::render::context::{
    HISTORIE_BESTAND, IndexContext, IndexPeriode, VERSIE, document_charts, index_historie, svg_file,
};
use crate::render::{RenderError, Renderer};

/// The folders a site is made of.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The period files and, in `bevolking/`, the population tables.
    pub inputs: PathBuf,
    /// Where the documents go.
    pub output: PathBuf,
    /// Templates that override the embedded ones, file by file.
    pub templates: Option<PathBuf>,
}

/// What a build builds and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every period in the inputs folder; the output is replaced whole.
    All,
    /// These period files; only their folders (and the index) are replaced. The
    /// other periods are built in memory for the index, never rewritten.
    Named(Vec<PathBuf>),
    /// After a save (`serve`): these files, with every period whose last build failed
    /// or that was never built; their folders (and the index) are replaced.
    Changed(BTreeSet<PathBuf>),
}

/// Why the workflow stopped.
#[derive(Debug, Error)]
pub enum SiteError {
    #[error(transparent)]
    Discovery(#[from] DiscoveryError),
    #[error("no period files (such as 2025-I.yaml) in {}", inputs.display())]
    NoPeriods { inputs: PathBuf },
    #[error("{name:?} is neither a period file nor a period name such as 2025-I")]
    NotAPeriod { name: String },
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot repair {} after an interrupted build: {error}", output.display())]
    Repair { output: PathBuf, error: OutputError },
    #[error(transparent)]
    Templates(RenderError),
    #[error(transparent)]
    Period(Box<PeriodError>),
    #[error("nothing was written; {} is unchanged", output.display())]
    NothingWritten { output: PathBuf },
    #[error(
        "the index lists every period in {}, so every period must build; nothing was written",
        inputs.display()
    )]
    IndexNeedsEveryPeriod { inputs: PathBuf },
}

impl SiteError {
    /// 2 for wrong usage (a name that is not a period, an output folder a build may
    /// not replace), 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            SiteError::NotAPeriod { .. } => 2,
            SiteError::Output(e) => e.exit_code(),
            _ => 1,
        }
    }

    /// Adds the error to `report`: periods and templates as diagnostics, the rest as a line.
    pub fn report_into(self, report: &mut Report) {
        let code = self.exit_code();
        match self {
            SiteError::Templates(e) => report.diagnostic(code, e),
            SiteError::Period(e) => report.diagnostic(code, *e),
            other => report.error_line(code, other),
        }
    }

    pub fn into_report(self) -> Report {
        let mut r = Report::new();
        self.report_into(&mut r);
        r
    }
}

/// A finished build: the periods whose folders were written, and its report
/// (warnings, and the repair of an interrupted build).
pub struct Built {
    pub written: Vec<Periode>,
    pub report: Report,
}

/// The workflow over one inputs folder, one output folder and one set of templates.
pub struct Site {
    config: SiteConfig,
    renderer: Option<Renderer>,
    /// The last good build of every period file, numbered in the order they were built.
    built: BTreeMap<PathBuf, (u64, Gebouwd)>,
    /// The number of the next build of a period.
    seq: u64,
    /// Period files whose last build failed: built again on every build.
    broken: BTreeSet<PathBuf>,
}

impl Site {
    pub fn new(config: SiteConfig) -> Self {
        Site {
            config,
            renderer: None,
            built: BTreeMap::new(),
            seq: 0,
            broken: BTreeSet::new(),
        }
    }

    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// Whether a period file has been built, well or not (a file that is not is new).
    pub fn knows(&self, path: &Path) -> bool {
        self.built.contains_key(path) || self.broken.contains(path)
    }

    /// The templates are compiled again at the next build.
    pub fn reload_templates(&mut self) {
        self.renderer = None;
    }

    /// The scope the command line names: every period when `names` is empty, else the
    /// period files named, by name (`2025-I`, its file in the inputs folder, `.yaml` or
    /// `.yml`) or by path (`inputs/2025-I.yaml`).
    pub fn scope(&self, names: &[String]) -> Result<Scope, SiteError> {
        let found = input::discover_by_period(&self.config.inputs);
        if names.is_empty() {
            let found = found?;
            if found.is_empty() {
                return Err(SiteError::NoPeriods {
                    inputs: self.config.inputs.clone(),
                });
            }
            return Ok(Scope::All);
        }
        // A build of files named on the command line needs no inputs folder.
        let found = match found {
            Ok(f) => f,
            Err(e) if e.is_missing_folder() => BTreeMap::new(),
            Err(e) => return Err(e.into()),
        };
        names
            .iter()
            .map(|name| {
                let path = Path::new(name);
                if path.extension().is_some() || path.components().count() > 1 {
                    Ok(path.to_path_buf())
                } else if let Some(periode) = Periode::parse(name) {
                    Ok(found
                        .get(&periode)
                        .cloned()
                        .unwrap_or_else(|| self.config.inputs.join(format!("{name}.yaml"))))
                } else {
                    Err(SiteError::NotAPeriod { name: name.clone() })
                }
            })
            .collect::<Result<_, _>>()
            .map(Scope::Named)
    }

    /// The period files of a scope, in period order for [`Scope::All`].
    fn files(&self, scope: &Scope) -> Result<Vec<PathBuf>, SiteError> {
        match scope {
            Scope::All => {
                let found = input::discover_periods(&self.config.inputs)?;
                if found.is_empty() {
                    return Err(SiteError::NoPeriods {
                        inputs: self.config.inputs.clone(),
                    });
                }
                Ok(found)
            }
            Scope::Named(files) => Ok(files.clone()),
            Scope::Changed(files) => Ok(files.iter().cloned().collect()),
        }
    }

    /// Loads and computes the periods of `names` (see [`Site::scope`]) and writes
    /// nothing: per period its warnings and `ok`, or its errors.
    pub fn check(&self, names: &[String]) -> Report {
        let mut report = Report::new();
        let files = match self.scope(names).and_then(|s| self.files(&s)) {
            Ok(f) => f,
            Err(e) => return e.into_report(),
        };
        let bevolking = BevolkingCache::new(&self.config.inputs);
        for f in &files {
            match compute_period(f, &bevolking) {
                Ok(b) => {
                    warnings(&mut report, b.uitkomst.periode, &b.uitkomst);
                    report.info(format!("ok: {} ({})", f.display(), b.uitkomst.periode));
                }
                Err(e) => SiteError::Period(Box::new(e)).report_into(&mut report),
            }
        }
        report
    }

    /// Whether a build may replace the output folder (exit 2 when not), decided before
    /// anything is built and touching nothing. Replacing the inputs or the templates,
    /// or anything the tool did not write, would delete what is not output.
    pub fn check_target(&self) -> Result<(), SiteError> {
        let mut protected: Vec<(&str, &Path)> = vec![("inputs", &self.config.inputs)];
        protected.extend(self.config.templates.as_deref().map(|t| ("templates", t)));
        output::check_target(&self.config.output, &protected)?;
        Ok(())
    }

    /// Builds `scope` and writes it with the index, or writes nothing. One writer at a
    /// time: the lock on the output folder is taken first (`on_wait` is called when
    /// another writer holds it), then what an interrupted build left is repaired.
    pub fn build(&mut self, scope: Scope, on_wait: impl FnOnce()) -> Result<Built, Report> {
        let mut report = Report::new();
        let lock = output::lock(&self.config.output, on_wait)
            .map_err(|e| SiteError::from(e).into_report())?;
        match lock.repair() {
            Ok(notes) => notes.into_iter().for_each(|n| report.warning(n)),
            Err(error) => {
                let output = self.config.output.clone();
                SiteError::Repair { output, error }.report_into(&mut report);
                return Err(report);
            }
        }
        if let Err(e) = self.compile_templates(matches!(scope, Scope::All)) {
            e.report_into(&mut report);
            return Err(report);
        }
        let written = match self.build_and_write(&scope, &lock, &mut report) {
            Ok(w) => w,
            Err(e) => {
                e.report_into(&mut report);
                return Err(report);
            }
        };
        Ok(Built { written, report })
    }

    fn compile_templates(&mut self, again: bool) -> Result<(), SiteError> {
        if again || self.renderer.is_none() {
            self.renderer = None;
            let r =
                Renderer::new(self.config.templates.as_deref()).map_err(SiteError::Templates)?;
            self.renderer = Some(r);
        }
        Ok(())
    }

    fn build_and_write(
        &mut self,
        scope: &Scope,
        lock: &output::Lock,
        report: &mut Report,
    ) -> Result<Vec<Periode>, SiteError> {
        let inputs = self.config.inputs.clone();
        let found: Vec<PathBuf> = match scope {
            Scope::Named(_) => match input::discover_periods(&inputs) {
                Ok(f) => f,
                Err(e) if e.is_missing_folder() => Vec::new(),
                Err(e) => return Err(e.into()),
            },
            _ => self.files(&Scope::All)?,
        };
        if !matches!(scope, Scope::Named(_)) {
            // What is gone from the inputs folder is gone from the site.
            self.built.retain(|p, _| found.contains(p));
            self.broken.retain(|p| found.contains(p));
        }
        let first: Vec<PathBuf> = match scope {
            Scope::All => found.clone(),
            Scope::Named(files) => files.clone(),
            Scope::Changed(changed) => {
                // A period reads the period before it (its history row is checked
                // against it, or taken from it), so it is rebuilt with it.
                let changed_periods: Vec<Periode> = changed
                    .iter()
                    .filter_map(|c| input::period_of_path(c))
                    .collect();
                let after_a_change = |f: &PathBuf| {
                    input::period_of_path(f).is_some_and(|p| changed_periods.contains(&p.vorige()))
                };
                found
                    .iter()
                    .filter(|f| {
                        changed.contains(*f)
                            || after_a_change(f)
                            || self.broken.contains(*f)
                            || !self.built.contains_key(*f)
                    })
                    .cloned()
                    .collect()
            }
        };
        let fresh = self.build_files(&first, report);
        if report.has_errors() {
            return Err(SiteError::NothingWritten {
                output: self.config.output.clone(),
            });
        }
        // A period named twice (`2025-I inputs/2025-I.yaml`) is written once.
        let mut written: Vec<Periode> = Vec::new();
        for p in fresh {
            if !written.contains(&p) {
                written.push(p);
            }
        }
        let periods = self.periods();
        for p in &written {
            if let Some(g) = periods.iter().find(|g| g.periode == *p) {
                warnings(report, *p, &g.uitkomst);
            }
        }
        if let Scope::Named(_) = scope {
            // The index is always that of every period in the inputs folder.
            let rest: Vec<PathBuf> = found
                .into_iter()
                .filter(|f| {
                    let periode = input::period_of_path(f);
                    !self.built.contains_key(f)
                        && !self.built.values().any(|(_, g)| Some(g.periode) == periode)
                })
                .collect();
            let mut errors = Report::new();
            self.build_files(&rest, &mut errors);
            if errors.has_errors() {
                report.append(errors);
                return Err(SiteError::IndexNeedsEveryPeriod { inputs });
            }
        }
        self.write(scope, &written, lock)?;
        Ok(written)
    }

    /// Builds `files` in parallel into the site; returns the periods built, in order.
    fn build_files(&mut self, files: &[PathBuf], report: &mut Report) -> Vec<Periode> {
        let renderer = self.renderer.as_ref().expect("compiled before building");
        let results = build_periods(files, &self.config.inputs, renderer);
        let mut periods = Vec::new();
        for (f, r) in files.iter().zip(results) {
            match r {
                Ok(g) => {
                    self.broken.remove(f);
                    periods.push(g.periode);
                    // Of two files for one period, the one built last wins.
                    self.seq += 1;
                    self.built.insert(f.clone(), (self.seq, g));
                }
                Err(e) => {
                    self.broken.insert(f.clone());
                    SiteError::Period(Box::new(e)).report_into(report);
                }
            }
        }
        periods
    }

    /// Writes every period's documents and the index: the whole output for
    /// [`Scope::All`], else only the folders of `written` (the other periods' files are
    /// kept, or written where the output lacks them).
    fn write(
        &self,
        scope: &Scope,
        written: &[Periode],
        lock: &output::Lock,
    ) -> Result<(), SiteError> {
        let periods = self.periods();
        let index = self.index(&periods)?;
        let files: Vec<&OutputFile> = periods
            .iter()
            .flat_map(|g| g.bestanden.iter())
            .chain(index.iter())
            .collect();
        let folders: Vec<String> = written.iter().map(ToString::to_string).collect();
        let replace = match scope {
            Scope::All => output::Replace::All,
            _ => output::Replace::Folders(&folders),
        };
        lock.write(&files, &replace)?;
        Ok(())
    }

    /// One build per period (the one named last where a period was built from two
    /// files), in period order.
    fn periods(&self) -> Vec<&Gebouwd> {
        let mut per_period: BTreeMap<Periode, (u64, &Gebouwd)> = BTreeMap::new();
        for (seq, g) in self.built.values() {
            if per_period.get(&g.periode).is_none_or(|(s, _)| s < seq) {
                per_period.insert(g.periode, (*seq, g));
            }
        }
        per_period.into_values().map(|(_, g)| g).collect()
    }

    /// The index files (`index.html`, `index.md` and the history chart), newest first.
    fn index(&self, periods: &[&Gebouwd]) -> Result<Vec<OutputFile>, SiteError> {
        let renderer = self.renderer.as_ref().expect("compiled before building");
        let Some(nieuwste) = periods.last() else {
            return Ok(Vec::new());
        };
        let render = |e: RenderError| SiteError::Period(Box::new(PeriodError::Render(e)));
        let historie = index_historie(&nieuwste.uitkomst).map_err(render)?;
        let context = IndexContext {
            perioden: periods
                .iter()
                .rev()
                .map(|g| IndexPeriode {
                    u: &g.uitkomst,
                    s: &g.uitspraken,
                    documenten: &g.documenten,
                    grafieken: &g.grafieken,
                    bijstelling: g.bijstelling.as_ref(),
                })
                .collect(),
            historie: &historie,
            versie: VERSIE,
        };
        let charts = document_charts([&historie]).map_err(render)?;
        let mut files: Vec<OutputFile> = renderer
            .render_documents(&context, &charts)
            .map_err(render)?
            .into_iter()
            .map(|(naam, formaat, inhoud)| {
                OutputFile::new(format!("{naam}.{}", formaat.extension()), inhoud)
            })
            .collect();
        files.push(OutputFile::new(HISTORIE_BESTAND, svg_file(&historie.svg)));
        Ok(files)
    }
}

/// The engine's warnings of a period, as `PERIOD: text`.
fn warnings(report: &mut Report, periode: Periode, u: &crate::engine::Uitkomst) {
    for w in &u.waarschuwingen {
        report.warning(format!("{periode}: {}", w.cli));
    }
}
