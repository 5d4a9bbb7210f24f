//! The layout's promises, checked on the source tree: the core crate's
//! dependency tree (from `Cargo.lock`) holds no CLI, terminal, server or
//! database crate, and no crate has a module cycle (sibling modules that
//! reach each other through `crate::` or `super::` paths, test modules
//! excepted).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Crates the core must never depend on, directly or not.
const NOT_IN_CORE: &[&str] = &[
    "clap",
    "anyhow",
    "indicatif",
    "comfy-table",
    "tokio",
    "hyper",
];

#[test]
fn the_core_crate_has_no_cli_terminal_or_server_dependency() {
    let lock: toml::Value = toml::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("Cargo.lock")).expect("Cargo.lock"),
    )
    .expect("Cargo.lock parses");
    let packages = lock["package"].as_array().expect("packages");
    let deps: BTreeMap<&str, Vec<&str>> = packages
        .iter()
        .map(|p| {
            let name = p["name"].as_str().expect("name");
            let list = p.get("dependencies").and_then(|d| d.as_array());
            // An entry is `name` or `name version` when versions differ.
            let list = list.into_iter().flatten();
            let list = list.filter_map(|d| d.as_str()?.split(' ').next());
            (name, list.collect())
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut todo = vec!["logs-core"];
    while let Some(name) = todo.pop() {
        if seen.insert(name) {
            todo.extend(deps.get(name).into_iter().flatten().copied());
        }
    }
    assert!(seen.len() > 10, "walked the core's tree: {seen:?}");
    for banned in NOT_IN_CORE {
        assert!(!seen.contains(banned), "logs-core depends on {banned}");
    }
}

/// A module's path (`["check", "report"]`) for each `.rs` file under `src`.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(src)
                    .expect("under src")
                    .with_extension("");
                let mut parts: Vec<String> = rel
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                out.insert(parts, path);
            }
        }
    }
    out
}

/// The longest known module that `path` starts with.
fn owner(mods: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| mods.contains_key(p))
}

/// Edges between sibling modules: `a` uses `b`, both children of one parent.
fn sibling_edges(src: &Path) -> BTreeSet<(Vec<String>, Vec<String>)> {
    let mods = modules(src);
    let path = regex::Regex::new(r"\b(crate|super)((?:::[a-z_][a-z0-9_]*)+)").expect("regex");
    let mut edges = BTreeSet::new();
    for (module, file) in &mods {
        let text = std::fs::read_to_string(file).expect("source");
        // Tests may use anything: cut at the test module.
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for c in path.captures_iter(text) {
            let mut tail = c[2].split("::").skip(1).peekable();
            let mut target = if &c[1] == "crate" {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            while tail.next_if_eq(&"super").is_some() {
                target.pop();
            }
            target.extend(tail.map(str::to_string));
            let Some(to) = owner(&mods, &target) else {
                continue;
            };
            let common = module.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common < module.len() && common < to.len() {
                edges.insert((module[..=common].to_vec(), to[..=common].to_vec()));
            }
        }
    }
    edges
}

/// Cycles among sibling modules, as `a -> b -> a` strings.
fn cycles(edges: &BTreeSet<(Vec<String>, Vec<String>)>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (a, _) in edges {
        // Depth-first from `a`: can it reach itself?
        let mut stack = vec![(a.clone(), vec![a.join("::")])];
        let mut visited = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for (_, next) in edges.iter().filter(|(from, _)| *from == node) {
                if next == a {
                    out.insert(format!("{} -> {}", trail.join(" -> "), a.join("::")));
                } else if visited.insert(next.clone()) {
                    let mut t = trail.clone();
                    t.push(next.join("::"));
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    out
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut all = Vec::new();
    let srcs = [
        "src",
        "crates/core/src",
        "crates/report/src",
        "crates/generate/src",
    ];
    for src in srcs
        .iter()
        .chain(["crates/serve/src", "crates/sql/src"].iter())
    {
        let dir = Path::new(ROOT).join(src);
        if dir.is_dir() {
            all.extend(
                cycles(&sibling_edges(&dir))
                    .into_iter()
                    .map(|c| format!("{src}: {c}")),
            );
        }
    }
    assert!(all.is_empty(), "module cycles:\n{}", all.join("\n"));
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").expect("write");
    std::fs::write(
        src.join("a/mod.rs"),
        "mod x;\nmod y;\nuse crate::b::Thing;\n",
    )
    .expect("write");
    std::fs::write(src.join("a/x.rs"), "use super::y::Y;\n").expect("write");
    std::fs::write(src.join("a/y.rs"), "use super::super::a::x::X;\n").expect("write");
    std::fs::write(src.join("b.rs"), "pub struct Thing;\n").expect("write");
    let found = cycles(&sibling_edges(src));
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["a::x -> a::y -> a::x", "a::y -> a::x -> a::y"]);
}
