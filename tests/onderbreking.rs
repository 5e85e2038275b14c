//! Nothing is lost: a build killed halfway leaves the previous `output/` intact, and
//! the next build (even one that fails) leaves no temporary folder behind.
//!
//! The kill is made deterministic by the hidden test hook `TAAKSTELLING_TEST_KILL_AT`
//! (see `taakstelling::output`), which exists only in debug builds.

mod common;
use common::{files, names, repo};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_taakstelling");
const HOOK: &str = "TAAKSTELLING_TEST_KILL_AT";

fn project(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("taakstelling-kill-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(d.join("inputs")).unwrap();
    fs::copy(
        repo().join("inputs/2025-I.yaml"),
        d.join("inputs/2025-I.yaml"),
    )
    .unwrap();
    common::bevolking(&d.join("inputs"));
    d
}

fn build(dir: &Path, args: &[&str], hook: Option<&str>) -> Output {
    let mut c = Command::new(BIN);
    c.arg("build")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1");
    match hook {
        Some(h) => c.env(HOOK, h),
        None => c.env_remove(HOOK),
    };
    c.output().expect("binary runs")
}

/// Changes the input so that the next build writes different documents.
fn change_input(d: &Path) {
    let p = d.join("inputs/2025-I.yaml");
    let t = fs::read_to_string(&p).unwrap();
    let from = "De minister kiest voor de onderkant van de bandbreedte";
    assert!(t.contains(from));
    fs::write(
        &p,
        t.replacen(
            from,
            "De minister kiest bewust voor de onderkant van de bandbreedte",
            1,
        ),
    )
    .unwrap();
}

fn break_input(d: &Path) {
    let p = d.join("inputs/2025-I.yaml");
    let t = fs::read_to_string(&p).unwrap();
    fs::write(&p, t.replacen("taakstelling: 17700", "taakstelling: -1", 1)).unwrap();
}

#[test]
fn a_build_killed_while_writing_loses_nothing() {
    for args in [&[][..], &["2025-I"][..]] {
        let d = project(&format!("schrijven-{}", args.len()));
        assert!(build(&d, args, None).status.success());
        let before = files(&d.join("output"));
        change_input(&d);

        let o = build(&d, args, Some("schrijven"));
        assert!(
            o.status.code().is_none(),
            "the hook did not kill the build: {o:?}"
        );
        assert!(
            files(&d.join("output")) == before,
            "output changed by a killed build"
        );
        // The kill really happened halfway: its staging folder is still there.
        assert!(
            names(&d).iter().any(|n| n.contains(".nieuw-")),
            "{:?}",
            names(&d)
        );
        let inside = names(&d.join("output"));
        assert!(
            inside
                .iter()
                .all(|n| !n.starts_with('.') || n == ".taakstelling-manifest"),
            "a temporary folder inside output/: {inside:?}"
        );

        let o = build(&d, args, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            files(&d.join("output")) != before,
            "the next build did not write"
        );
        assert_eq!(names(&d), ["inputs", "output"]);
        assert_eq!(
            names(&d.join("output")),
            [
                ".taakstelling-manifest",
                "2025-I",
                "grafiek-historie.svg",
                "index.html",
                "index.md"
            ]
        );
    }
}

#[test]
fn a_build_killed_during_the_swap_is_repaired_by_the_next_even_failing_build() {
    let d = project("wisselen");
    assert!(build(&d, &[], None).status.success());
    let before = files(&d.join("output"));
    change_input(&d);

    let o = build(&d, &[], Some("wisselen"));
    assert!(
        o.status.code().is_none(),
        "the hook did not kill the build: {o:?}"
    );
    // Killed between the two renames: the old output is aside, complete.
    let aside: Vec<String> = names(&d)
        .into_iter()
        .filter(|n| n.contains(".oud-"))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", names(&d));
    assert!(files(&d.join(&aside[0])) == before);

    break_input(&d);
    let o = build(&d, &[], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        files(&d.join("output")) == before,
        "the previous output was not put back"
    );
    assert_eq!(names(&d), ["inputs", "output"]);
}

#[test]
fn a_build_killed_from_outside_loses_nothing() {
    let d = project("sigkill");
    assert!(build(&d, &[], None).status.success());
    let before = files(&d.join("output"));
    change_input(&d);

    let mut child = Command::new(BIN)
        .arg("build")
        .current_dir(&d)
        .env(HOOK, "schrijven:wacht")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the build is halfway through writing its staging folder.
    let start = Instant::now();
    loop {
        let staging = names(&d).into_iter().find(|n| n.contains(".nieuw-"));
        if let Some(s) = staging
            && !files(&d.join(s)).is_empty()
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(50),
            "the build never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(files(&d.join("output")) == before);

    assert!(build(&d, &[], None).status.success());
    assert!(files(&d.join("output")) != before);
    assert_eq!(names(&d), ["inputs", "output"]);
}
