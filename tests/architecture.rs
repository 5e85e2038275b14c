//! The modules of the library depend one way (README, "Architecture"):
//!
//! `nl` ← `kalender` ← `input` ← `engine` ← `charts`, `document` ← `render`, `output`
//! ← `site` (the workflow) ← the commands `nieuw`, `serve`, `cbs`, `sjablonen`.
//!
//! This test reads every module file, collects the `crate::…` paths it uses (in `use`
//! items and in code) and fails on a path to a module of the same or a higher layer,
//! naming the file and line, and on any cycle between modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["nl"],
    &["kalender"],
    &["input"],
    &["engine"],
    &["charts", "document"],
    &["render", "output"],
    &["site"],
    &["nieuw", "serve", "cbs", "sjablonen"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top module a file of `src/` belongs to (`src/input/yaml.rs` → `input`), or
/// `None` for the crate root and the binary (`main.rs`, `cmd/`), which use the
/// library from outside.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "cmd")).then(|| name.to_string())
}

/// The modules named by `crate::` paths in `text`, with their line numbers. Comments
/// are skipped; `crate::{a, b::c}` names `a` and `b`.
fn crate_paths(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let at = from + i;
        from = at + "crate::".len();
        // `taakstelling::crate::` cannot occur; `$crate::` belongs to macros.
        if at > 0 && code.as_bytes()[at - 1] == b'$' {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            let mut depth = 0;
            let mut start = 0;
            let inner = &group[..end];
            // The line of an item is that of its first character, not of the comma.
            let at_item = |start: usize, stop: usize| {
                let item = &inner[start..stop];
                from + 1 + start + (item.len() - item.trim_start().len())
            };
            for (j, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push((ident(&inner[start..j]), line_of(at_item(start, j))));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
            out.push((ident(&inner[start..]), line_of(at_item(start, inner.len()))));
        } else {
            out.push((ident(rest), line_of(at)));
        }
    }
    out.retain(|(m, _)| !m.is_empty() && m != "self");
    out
}

#[test]
fn modules_depend_one_way() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let rel = file.strip_prefix(src.parent().unwrap()).unwrap().display();
        let Some(own) = layer(&module) else {
            wrong.push(format!(
                "{rel}: module `{module}` is not in the layers of tests/architecture.rs; add it where it belongs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (used, line) in crate_paths(&text) {
            if used == module {
                continue;
            }
            graph
                .entry(module.clone())
                .or_default()
                .insert(used.clone());
            match layer(&used) {
                Some(l) if l < own => {}
                Some(_) => wrong.push(format!(
                    "{rel}:{line}: `{module}` uses `crate::{used}`, which is not below it ({})",
                    LAYERS
                        .iter()
                        .map(|l| l.join(", "))
                        .collect::<Vec<_>>()
                        .join(" ← ")
                )),
                None => wrong.push(format!(
                    "{rel}:{line}: `crate::{used}` is not a module in the layers of tests/architecture.rs"
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the one-way order:\n{}",
        wrong.join("\n")
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("a cycle between modules: {}", cycle.join(" → "));
    }
}

/// A cycle in the module graph, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_check_reads_paths_as_rust_writes_them() {
    let text = "use crate::kalender::{Datum, Periode};\nuse crate::{\n    input::Invoer,\n    nl,\n};\n// crate::serve in a comment\nlet x = crate::engine::bereken(&i);\n";
    let found: Vec<(String, usize)> = crate_paths(text);
    assert_eq!(
        found,
        [
            ("kalender".to_string(), 1),
            ("input".to_string(), 3),
            ("nl".to_string(), 4),
            ("engine".to_string(), 7),
        ]
    );
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "a"]);
}
