//! Safety, end to end: a build never deletes or changes what it did not write.
//!
//! Every test runs the real binary inside its own temporary folder: a fake home folder
//! (`.ssh/id_ed25519`, notes), a project with its inputs and a previous output, a regular
//! file, a read-only folder and a symbolic link. A refused or failed build must leave
//! every one of them byte for byte as it was. Nothing here points at a real folder.

mod common;
use common::{bevolking, names, repo, stderr, tmp};

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_taakstelling");
const MANIFEST: &str = ".taakstelling-manifest";

/// What is at a path, as far as "unchanged" goes: a file's bytes, a folder's mode, a
/// link's target.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ding {
    Bestand(Vec<u8>),
    Map(u32),
    Link(PathBuf),
}

/// Everything under `root`, symbolic links not followed.
fn stand(root: &Path) -> BTreeMap<PathBuf, Ding> {
    let mut uit = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).follow_links(false) {
        let e = e.unwrap();
        let md = fs::symlink_metadata(e.path()).unwrap();
        let ding = if md.file_type().is_symlink() {
            Ding::Link(fs::read_link(e.path()).unwrap())
        } else if md.is_dir() {
            Ding::Map(md.permissions().mode())
        } else {
            Ding::Bestand(fs::read(e.path()).unwrap())
        };
        uit.insert(e.path().strip_prefix(root).unwrap().to_path_buf(), ding);
    }
    uit
}

/// Asserts that nothing under `root` changed, naming the first difference.
fn onveranderd(root: &Path, voor: &BTreeMap<PathBuf, Ding>, wat: &str) {
    let na = stand(root);
    for (p, d) in voor {
        match na.get(p) {
            None => panic!("{wat}: {} was removed", p.display()),
            Some(n) if n != d => panic!("{wat}: {} was changed", p.display()),
            _ => {}
        }
    }
    for p in na.keys() {
        assert!(voor.contains_key(p), "{wat}: {} was added", p.display());
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("TAAKSTELLING_TEST_KILL_AT")
        .output()
        .expect("binary runs")
}

/// A temporary world: `home/` (an SSH key, notes, a toolchain), `project/` (the inputs of
/// 2025-I and 2025-II and a previous output), `bestand.txt`, an empty read-only folder
/// `alleen-lezen/` and a link `link -> home`. Read-only folders are made writable again
/// when the world is dropped, so that the next run can clear it.
struct Wereld {
    root: PathBuf,
    project: PathBuf,
}

impl Wereld {
    fn new(naam: &str) -> Wereld {
        let root = tmp(&format!("veilig-{naam}"));
        let home = root.join("home");
        fs::create_dir_all(home.join(".ssh")).unwrap();
        fs::write(
            home.join(".ssh/id_ed25519"),
            b"-----BEGIN OPENSSH PRIVATE KEY-----\n\x01\x02",
        )
        .unwrap();
        fs::write(home.join(".ssh/config"), "Host *\n").unwrap();
        fs::set_permissions(home.join(".ssh"), fs::Permissions::from_mode(0o700)).unwrap();
        fs::create_dir_all(home.join("notities/2025")).unwrap();
        fs::write(home.join("notities/2025/overleg.md"), "# Overleg\n").unwrap();
        fs::create_dir_all(home.join(".cargo/bin")).unwrap();
        fs::write(home.join(".cargo/bin/cargo"), b"\x7fELF").unwrap();
        fs::write(root.join("bestand.txt"), "een gewoon bestand\n").unwrap();
        // Empty, so that only its mode stands in the way (a read-only previous output
        // is refused too: see below).
        fs::create_dir_all(root.join("alleen-lezen")).unwrap();
        // Read-only by its mode. Even the superuser, whom permission bits do not stop,
        // is refused: the tool respects a folder without write permission as read-only.
        fs::set_permissions(root.join("alleen-lezen"), fs::Permissions::from_mode(0o555)).unwrap();
        symlink("home", root.join("link")).unwrap();

        let project = root.join("project");
        let inputs = project.join("inputs");
        fs::create_dir_all(&inputs).unwrap();
        for p in ["2025-I.yaml", "2025-II.yaml"] {
            fs::copy(repo().join("inputs").join(p), inputs.join(p)).unwrap();
        }
        bevolking(&inputs);
        let o = run(&project, &["build"]);
        assert!(o.status.success(), "{}", stderr(&o));
        Wereld { root, project }
    }

    fn output(&self) -> PathBuf {
        self.project.join("output")
    }
}

impl Drop for Wereld {
    fn drop(&mut self) {
        for e in walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .into_iter()
            .flatten()
        {
            if e.file_type().is_dir() {
                let _ = fs::set_permissions(e.path(), fs::Permissions::from_mode(0o755));
            }
        }
    }
}

/// Asserts that a build was refused with exit 2 and a message naming the folder and
/// containing `waarom`, and that the world is byte for byte as it was.
fn geweigerd(w: &Wereld, args: &[&str], map: &str, waarom: &str) {
    let voor = stand(&w.root);
    let o = run(&w.project, args);
    let err = stderr(&o);
    let wat = format!("taakstelling {}", args.join(" "));
    assert_eq!(o.status.code(), Some(2), "{wat}: {err}");
    assert!(
        err.contains(&format!("refusing to use {map} as the output folder")),
        "{wat}: {err}"
    );
    assert!(err.contains(waarom), "{wat}: {err}");
    onveranderd(&w.root, &voor, &wat);
}

#[test]
fn outputs_a_build_may_not_replace_are_refused_and_nothing_changes() {
    let w = Wereld::new("weigeren");
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["build", "--output", "../home"],
            "../home",
            "did not write it",
        ),
        (&["build", "--output", "../home"], "../home", ".ssh"),
        (
            &["build", "2025-I", "--output", "../home"],
            "../home",
            "did not write it",
        ),
        (
            &["serve", "--output", "../home"],
            "../home",
            "did not write it",
        ),
        (
            &["build", "--output", "inputs/bevolking"],
            "inputs/bevolking",
            "lies inside the inputs folder inputs",
        ),
        (
            &["build", "--output", "inputs"],
            "inputs",
            "is or holds the inputs folder",
        ),
        (
            &["build", "--output", ".."],
            "..",
            "the current folder or holds it",
        ),
        (
            &["build", "--output", "../bestand.txt"],
            "../bestand.txt",
            "a file, not a folder",
        ),
        (
            &["build", "--output", "../alleen-lezen"],
            "../alleen-lezen",
            "read-only",
        ),
        (
            &["build", "--output", "../alleen-lezen/output"],
            "../alleen-lezen/output",
            "read-only",
        ),
        (
            &["build", "--output", "../link"],
            "../link",
            "symbolic link",
        ),
        (
            &["build", "--output", "output/2025-I"],
            "output/2025-I",
            "the output folder of an earlier build",
        ),
        (
            &[
                "--templates",
                "../home/notities",
                "build",
                "--output",
                "../home/notities/uit",
            ],
            "../home/notities/uit",
            "lies inside the templates folder",
        ),
    ];
    for (args, map, waarom) in cases {
        geweigerd(&w, args, map, waarom);
    }
}

#[test]
fn a_users_files_in_a_previous_output_are_never_deleted() {
    let w = Wereld::new("eigen");
    let out = w.output();
    fs::write(out.join("aantekeningen.txt"), "van mij\n").unwrap();
    fs::write(out.join("2025-I/eigen.md"), "ook van mij\n").unwrap();
    for args in [&["build"][..], &["build", "2025-II"][..]] {
        geweigerd(&w, args, "output", "aantekeningen.txt");
        geweigerd(&w, args, "output", "2025-I/eigen.md");
    }
    fs::remove_file(out.join("aantekeningen.txt")).unwrap();
    fs::remove_file(out.join("2025-I/eigen.md")).unwrap();

    // A link put into the output is not the tool's either, and neither is what it
    // points at.
    symlink("../../home/.ssh/id_ed25519", out.join("2025-I/sleutel")).unwrap();
    geweigerd(&w, &["build"], "output", "2025-I/sleutel");
    fs::remove_file(out.join("2025-I/sleutel")).unwrap();

    // An output of an older version (no manifest) is refused with a hint.
    fs::rename(out.join(MANIFEST), w.root.join("manifest")).unwrap();
    geweigerd(&w, &["build"], "output", "delete it and build again");
    fs::rename(w.root.join("manifest"), out.join(MANIFEST)).unwrap();

    // Once the folder holds only what a build wrote, it is replaced.
    let o = run(&w.project, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_volledig(&out, &["2025-I", "2025-II"]);
    assert_eq!(names(&w.project), ["inputs", "output"]);
}

#[test]
fn a_read_only_folder_inside_a_previous_output_is_refused_before_anything_moves() {
    let w = Wereld::new("alleen-lezen-uitvoer");
    fs::set_permissions(
        w.output().join("2025-II"),
        fs::Permissions::from_mode(0o555),
    )
    .unwrap();
    geweigerd(&w, &["build"], "output", "output/2025-II is read-only");
    geweigerd(
        &w,
        &["build", "2025-I"],
        "output",
        "output/2025-II is read-only",
    );
    fs::set_permissions(w.output(), fs::Permissions::from_mode(0o555)).unwrap();
    geweigerd(&w, &["build"], "output", "output is read-only");
}

#[test]
fn outputs_a_build_may_replace_are_replaced_and_listed() {
    let w = Wereld::new("toegestaan");
    // Absent (with missing folders above it), empty, or written by an earlier build.
    fs::create_dir_all(w.root.join("leeg")).unwrap();
    for uit in ["../nieuw/diep/output", "../leeg", "output"] {
        let o = run(&w.project, &["build", "--output", uit]);
        assert!(o.status.success(), "--output {uit}: {}", stderr(&o));
        assert_volledig(&w.project.join(uit), &["2025-I", "2025-II"]);
    }
    // A build of one period writes a complete output too: the index links to the other
    // periods, so their documents are written where they are missing.
    let o = run(&w.project, &["build", "2025-I", "--output", "../deel"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_volledig(&w.root.join("deel"), &["2025-I", "2025-II"]);
    fs::remove_dir_all(w.output().join("2025-II")).unwrap();
    fs::remove_file(w.output().join("2025-I/notitie.md")).unwrap();
    let o = run(&w.project, &["build", "2025-II"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_volledig(&w.output(), &["2025-I", "2025-II"]);

    let mut naast = names(&w.root);
    naast.retain(|n| n.starts_with('.'));
    assert!(naast.is_empty(), "left beside the outputs: {naast:?}");
    assert_eq!(names(&w.project), ["inputs", "output"]);
}

/// The output is complete and consistent: its manifest lists exactly its files, every
/// period folder has every document, and every link of the index leads to a file.
fn assert_volledig(out: &Path, perioden: &[&str]) {
    let mut op_schijf: Vec<String> = Vec::new();
    for e in walkdir::WalkDir::new(out).follow_links(false) {
        let e = e.unwrap();
        assert!(!e.file_type().is_symlink(), "{}", e.path().display());
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel != MANIFEST {
                op_schijf.push(rel);
            }
        }
    }
    op_schijf.sort();
    let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
    let gelijst: Vec<String> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    assert_eq!(gelijst, op_schijf, "the manifest of {}", out.display());
    let mut verwacht: Vec<String> = ["grafiek-historie.svg", "index.html", "index.md"]
        .iter()
        .map(ToString::to_string)
        .collect();
    for p in perioden {
        for f in [
            "grafiek-1-bandbreedte.svg",
            "grafiek-2-achterstand.svg",
            "grafiek-3-historie.svg",
            "grafiek-4-amv.svg",
            "notitie.docx",
            "notitie.html",
            "notitie.md",
            "bekendmaking.docx",
            "bekendmaking.html",
            "bekendmaking.md",
            "circulaire.docx",
            "circulaire.html",
            "circulaire.md",
            "verdeling.csv",
        ] {
            verwacht.push(format!("{p}/{f}"));
        }
        // The example 2025-I has a bijstelling, with its three documents.
        if *p == "2025-I" {
            for d in ["notitie", "bekendmaking", "circulaire"] {
                for ext in ["docx", "html", "md"] {
                    verwacht.push(format!("{p}/bijstelling-{d}.{ext}"));
                }
            }
        }
    }
    verwacht.sort();
    assert_eq!(op_schijf, verwacht, "the files of {}", out.display());
    let index = fs::read_to_string(out.join("index.md")).unwrap();
    let mut links = 0;
    for stuk in index.split("](").skip(1) {
        let doel = stuk.split(')').next().unwrap();
        // Files; `#taakstelling-2025-i` is a place in the index itself.
        if !doel.contains(':') && !doel.starts_with('#') {
            links += 1;
            assert!(
                out.join(doel).is_file(),
                "the index links to {doel}, which is missing"
            );
        }
    }
    assert!(links >= 10 * perioden.len(), "{links} links in the index");
}

#[test]
fn two_files_for_one_period_are_an_error_naming_both() {
    let w = Wereld::new("dubbel");
    let inputs = w.project.join("inputs");
    let tekst = fs::read_to_string(inputs.join("2025-I.yaml")).unwrap();
    fs::write(
        inputs.join("2025-I.yml"),
        tekst.replacen("taakstelling: 17700", "taakstelling: 18000", 1),
    )
    .unwrap();
    let voor = stand(&w.root);
    for args in [&["build"][..], &["build", "2025-II"][..], &["check"][..]] {
        let o = run(&w.project, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("two files for period 2025-I: inputs/2025-I.yaml and inputs/2025-I.yml"),
            "{args:?}: {err}"
        );
        onveranderd(&w.root, &voor, &format!("{args:?}"));
    }
    // `new` does not add a second file for a period either.
    fs::rename(inputs.join("2025-II.yaml"), inputs.join("2025-II.yml")).unwrap();
    fs::remove_file(inputs.join("2025-I.yml")).unwrap();
    let o = run(&w.project, &["new", "2025-II"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2025-II.yml: the file already exists"),
        "{}",
        stderr(&o)
    );
    // A `.yml` file alone is the period's file, by name too.
    let o = run(&w.project, &["build", "2025-II"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_volledig(&w.output(), &["2025-I", "2025-II"]);
}

#[test]
fn subfolders_of_the_inputs_hold_no_periods() {
    let w = Wereld::new("submappen");
    let inputs = w.project.join("inputs");
    for p in ["archief/2024-II.yaml", "bevolking/oud/2024-I.yaml"] {
        fs::create_dir_all(inputs.join(p).parent().unwrap()).unwrap();
        fs::write(
            inputs.join(p),
            "dit is geen periode: het ligt in een submap\n",
        )
        .unwrap();
    }
    let o = run(&w.project, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_volledig(&w.output(), &["2025-I", "2025-II"]);
    let o = run(&w.project, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_linked_period_file_is_read_and_one_that_cannot_be_read_keeps_its_output() {
    let w = Wereld::new("link-invoer");
    let inputs = w.project.join("inputs");
    fs::rename(inputs.join("2025-II.yaml"), w.root.join("2025-II.yaml")).unwrap();
    symlink("../../2025-II.yaml", inputs.join("2025-II.yaml")).unwrap();
    let o = run(&w.project, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_volledig(&w.output(), &["2025-I", "2025-II"]);

    // The link broken: the build stops, naming the file, and 2025-II's output stays.
    fs::rename(w.root.join("2025-II.yaml"), w.root.join("weg.yaml")).unwrap();
    let voor = stand(&w.root);
    for args in [&["build"][..], &["build", "2025-I"][..]] {
        let o = run(&w.project, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("cannot read the period file inputs/2025-II.yaml"),
            "{args:?}: {err}"
        );
        onveranderd(&w.root, &voor, &format!("{args:?}"));
    }
}

/// Two builds at once into one output folder: the second waits for the first, both
/// succeed, and the output is complete every time, whichever finished last.
#[test]
fn simultaneous_builds_write_one_after_the_other() {
    let w = Wereld::new("gelijktijdig");
    let out = w.output();
    let referentie = stand(&out);
    for i in 0..16 {
        let paar: [&[&str]; 2] = match i % 3 {
            0 => [&["build"], &["build"]],
            1 => [&["build"], &["build", "2025-II"]],
            _ => [&["build", "2025-I"], &["build", "2025-II"]],
        };
        let kinderen: Vec<_> = paar
            .iter()
            .map(|args| {
                Command::new(BIN)
                    .args(*args)
                    .current_dir(&w.project)
                    .env("NO_COLOR", "1")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for k in kinderen {
            let o = k.wait_with_output().unwrap();
            assert!(o.status.success(), "pair {i}: {}", stderr(&o));
        }
        assert_volledig(&out, &["2025-I", "2025-II"]);
        assert!(
            stand(&out) == referentie,
            "pair {i}: the output differs from a single build"
        );
        assert_eq!(
            names(&w.project),
            ["inputs", "output"],
            "pair {i}: left behind"
        );
    }
}

mod eigenschap {
    //! A property: whatever was there before and whatever `--output` says, every file
    //! the tool did not write is unchanged afterwards.

    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// One real output, built once, to copy into the random trees as "a previous output".
    fn vorige_uitvoer() -> &'static Path {
        static UITVOER: OnceLock<PathBuf> = OnceLock::new();
        UITVOER.get_or_init(|| {
            let d = tmp("veilig-eigenschap-bron");
            fs::create_dir_all(d.join("inputs")).unwrap();
            fs::copy(
                repo().join("inputs/2025-I.yaml"),
                d.join("inputs/2025-I.yaml"),
            )
            .unwrap();
            bevolking(&d.join("inputs"));
            let o = run(&d, &["build"]);
            assert!(o.status.success(), "{}", stderr(&o));
            d.join("output")
        })
    }

    const NAMEN: &[&str] = &[
        "output",
        "inputs",
        "a",
        "b",
        "home",
        "2025-I",
        "bestand.txt",
        "link",
        ".ssh",
        "uit",
        "bevolking",
        "index.html",
        ".output.oud-7",
        ".output.nieuw-8",
        ".uit.oud-9",
    ];
    const DELEN: &[&str] = &[
        "..",
        "..",
        ".",
        "output",
        "inputs",
        "bevolking",
        "home",
        "a",
        "b",
        "link",
        "2025-I",
        "uit",
        "bestand.txt",
        "index.html",
    ];

    #[derive(Debug, Clone)]
    enum Soort {
        Bestand(Vec<u8>),
        Map,
        /// A link to the n-th folder made so far.
        Link(usize),
        /// A folder (with a file) made read-only once the tree is complete.
        AlleenLezen,
        /// A copy of a real output, with a file of the user's in it when `true`.
        Uitvoer(bool),
    }

    fn soort() -> impl Strategy<Value = Soort> {
        prop_oneof![
            3 => proptest::collection::vec(any::<u8>(), 0..16).prop_map(Soort::Bestand),
            3 => Just(Soort::Map),
            2 => any::<usize>().prop_map(Soort::Link),
            1 => Just(Soort::AlleenLezen),
            2 => any::<bool>().prop_map(Soort::Uitvoer),
        ]
    }

    /// Copies a folder, returning every file it wrote.
    fn kopieer(van: &Path, naar: &Path, bestanden: &mut Vec<PathBuf>) {
        fs::create_dir_all(naar).unwrap();
        for e in fs::read_dir(van).unwrap().flatten() {
            let (v, n) = (e.path(), naar.join(e.file_name()));
            if v.is_dir() {
                kopieer(&v, &n, bestanden);
            } else {
                fs::copy(&v, &n).unwrap();
                bestanden.push(n);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 48,
            failure_persistence: None,
            .. ProptestConfig::default()
        })]

        #[test]
        fn a_build_changes_nothing_it_did_not_write(
            boom in proptest::collection::vec((any::<usize>(), 0..NAMEN.len(), soort()), 0..14),
            doel in proptest::collection::vec(0..DELEN.len(), 1..=3),
            keuze in 0..4u8,
            iets in any::<proptest::sample::Index>(),
            dieper in any::<bool>(),
            eigen in proptest::option::of(any::<bool>()),
            deel in any::<bool>(),
        ) {
            // The world lies three folders deep in the test's folder: an `--output` of at
            // most three parts cannot leave the test's folder, whatever links it follows.
            let basis = tmp("veilig-eigenschap");
            let wereld = basis.join("x/y/z/wereld");
            let project = wereld.join("project");
            fs::create_dir_all(project.join("inputs")).unwrap();
            fs::copy(repo().join("inputs/2025-I.yaml"), project.join("inputs/2025-I.yaml")).unwrap();
            bevolking(&project.join("inputs"));
            fs::create_dir_all(wereld.join("home/.ssh")).unwrap();
            fs::write(wereld.join("home/.ssh/id_ed25519"), "sleutel").unwrap();

            // The project's previous output, with a file of the user's in it or not.
            let mut van_het_gereedschap: Vec<PathBuf> = Vec::new();
            let mut uitvoer_mappen: Vec<PathBuf> = vec![project.join("output")];
            kopieer(vorige_uitvoer(), &project.join("output"), &mut van_het_gereedschap);
            match eigen {
                Some(true) => fs::write(project.join("output/2025-I/eigen.txt"), "van mij").unwrap(),
                Some(false) => fs::write(project.join("output/notities.txt"), "van mij").unwrap(),
                None => {}
            }
            let mut mappen: Vec<PathBuf> = vec![
                wereld.clone(),
                project.clone(),
                project.join("inputs"),
                project.join("inputs/bevolking"),
                wereld.join("home"),
            ];
            let mut alleen_lezen: Vec<PathBuf> = Vec::new();
            for (ouder, naam, soort) in &boom {
                let pad = mappen[ouder % mappen.len()].join(NAMEN[*naam]);
                if fs::symlink_metadata(&pad).is_ok() {
                    continue;
                }
                match soort {
                    Soort::Bestand(b) => fs::write(&pad, b).unwrap(),
                    Soort::Map => {
                        fs::create_dir(&pad).unwrap();
                        mappen.push(pad);
                    }
                    Soort::Link(n) => symlink(&mappen[n % mappen.len()], &pad).unwrap(),
                    Soort::AlleenLezen => {
                        fs::create_dir(&pad).unwrap();
                        fs::write(pad.join("lees.txt"), "x").unwrap();
                        alleen_lezen.push(pad);
                    }
                    Soort::Uitvoer(eigen) => {
                        kopieer(vorige_uitvoer(), &pad, &mut van_het_gereedschap);
                        uitvoer_mappen.push(pad.clone());
                        if *eigen {
                            fs::write(pad.join("2025-I/eigen.txt"), "van mij").unwrap();
                        }
                        mappen.push(pad.join("2025-I"));
                    }
                }
            }
            for m in &alleen_lezen {
                fs::set_permissions(m, fs::Permissions::from_mode(0o555)).unwrap();
            }
            let voor = stand(&basis);
            // The project's output, something that is there (or a folder in it), or random
            // parts (which alone seldom meet the tree).
            let uit = match keuze {
                0 => "output".to_string(),
                1 => {
                    // Not the files inside a previous output: its folder is what counts.
                    let bestaand: Vec<&PathBuf> = voor
                        .keys()
                        .filter(|p| p.starts_with("x/y/z/wereld/"))
                        .filter(|p| !uitvoer_mappen.iter().any(|u| {
                            let p = basis.join(p);
                            p.starts_with(u) && p != *u
                        }))
                        .collect();
                    let p = iets.get(&bestaand).strip_prefix("x/y/z/wereld").unwrap();
                    let mut uit = Path::new("..").join(p);
                    if dieper {
                        uit.push(DELEN[doel[0]]);
                    }
                    uit.to_string_lossy().into_owned()
                }
                _ => doel.iter().map(|i| DELEN[*i]).collect::<Vec<_>>().join("/"),
            };

            let mut args = vec!["build"];
            if deel {
                args.push("2025-I");
            }
            args.extend(["--output", &uit]);
            let o = run(&project, &args);
            let err = stderr(&o);
            for m in &alleen_lezen {
                // Gone if a build deleted it: the check below says so.
                let _ = fs::set_permissions(m, fs::Permissions::from_mode(0o755));
            }
            let na = stand(&basis);
            let wat = format!("{} (exit {:?}): {err}", args.join(" "), o.status.code());

            prop_assert!(matches!(o.status.code(), Some(0..=2)), "{}", wat);
            prop_assert!(!err.contains("panicked"), "{}", wat);
            // Every file it did not write is still there, byte for byte; so is every
            // folder and link (a folder's mode aside: an empty folder may be replaced).
            for (p, d) in &voor {
                if van_het_gereedschap.iter().any(|v| basis.join(p) == *v) {
                    continue;
                }
                let geschreven_map = uitvoer_mappen.iter().any(|u| basis.join(p).starts_with(u));
                match (d, na.get(p)) {
                    (Ding::Map(_), Some(Ding::Map(_))) => {}
                    (Ding::Map(_), None) if geschreven_map => {}
                    (_, n) => prop_assert!(n == Some(d), "{}: {} changed", wat, p.display()),
                }
            }
            // Nothing left beside an output, and every output it wrote is listed.
            for p in na.keys() {
                let naam = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if !voor.contains_key(p) {
                    prop_assert!(
                        !naam.contains(".nieuw-") && !naam.contains(".oud-") && !naam.ends_with(".lock"),
                        "{}: left behind {}", wat, p.display()
                    );
                }
                if naam == MANIFEST && voor.get(p) != na.get(p) {
                    prop_assert!(o.status.success(), "{}: wrote a manifest and failed", wat);
                    assert_volledig(basis.join(p).parent().unwrap(), &["2025-I"]);
                }
            }
            let _ = fs::remove_dir_all(&basis);
        }
    }
}
