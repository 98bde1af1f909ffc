//! The import rule of docs/architecture.md: every module of `src/` imports only from
//! layers below its own (and, inside a layer, only from modules listed before it).
//! The layer table is read from docs/architecture.md, so the docs and the rule are one.
//! Test code (`#[cfg(test)]` items and the files they name) may reach anywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A top-level module's place: (layer number, position in its layer's row), and the
/// layer's name.
type Places = BTreeMap<String, (usize, usize, String)>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads the rows between `<!-- layers -->` and `<!-- /layers -->` of the architecture
/// page: `| n name | `mod`, `mod` | … |`.
fn layer_table() -> Places {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let start = doc
        .find("<!-- layers -->")
        .expect("docs/architecture.md has <!-- layers -->");
    let end = doc
        .find("<!-- /layers -->")
        .expect("… and <!-- /layers -->");
    let mut places = Places::new();
    for row in doc[start..end].lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(n) = cells[1]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
        else {
            continue; // the header and its rule
        };
        for (pos, module) in cells[2].split(',').enumerate() {
            let module = module.trim().trim_matches('`').to_string();
            let old = places.insert(module.clone(), (n, pos, cells[1].to_string()));
            assert!(
                old.is_none(),
                "`{module}` is in two rows of the layer table"
            );
        }
    }
    assert!(!places.is_empty(), "the layer table has no rows");
    places
}

/// The top-level module a file under `src/` belongs to (`None` for lib.rs, main.rs).
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file a `mod name;` line of `file` refers to.
fn module_file(file: &Path, name: &str) -> PathBuf {
    let dir = file.parent().unwrap();
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let dir = if matches!(stem, "mod" | "lib" | "main") {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        flat
    } else {
        dir.join(name).join("mod.rs")
    }
}

/// The lines of `text` that are not test code, with their numbers, and the files that
/// `#[cfg(test)] mod name;` lines declare (test code as a whole).
fn code_lines(file: &Path, text: &str) -> (Vec<(usize, String)>, Vec<PathBuf>) {
    let mut lines = Vec::new();
    let mut test_files = Vec::new();
    let mut iter = text.lines().enumerate().peekable();
    while let Some((n, line)) = iter.next() {
        let t = line.trim();
        if t.starts_with("#[cfg(test)]") || t.starts_with("#[cfg(all(test") {
            // Skip the item the attribute applies to: one line ending in `;`, or up to
            // the brace that closes the one it opens.
            let mut depth = 0i64;
            let mut opened = false;
            for (_, item) in iter.by_ref() {
                let it = item.trim();
                if !opened && it.starts_with("mod ") && it.ends_with(';') {
                    let name = it.trim_start_matches("mod ").trim_end_matches(';').trim();
                    test_files.push(module_file(file, name));
                    break;
                }
                depth += item.matches('{').count() as i64 - item.matches('}').count() as i64;
                opened |= item.contains('{');
                if (opened && depth <= 0) || (!opened && it.ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let code = match t.find("//") {
            Some(0) => continue,
            Some(i) => &t[..i],
            None => t,
        };
        lines.push((n + 1, code.to_string()));
    }
    (lines, test_files)
}

/// The top-level modules a line of code names: `crate::name` and `crate::{a, b::c}`.
fn named_modules(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn imports_go_down_the_layers() {
    let places = layer_table();
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();

    let mut test_files = Vec::new();
    let mut parsed = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let (lines, tests) = code_lines(file, &text);
        test_files.extend(tests);
        parsed.push((file, lines));
    }

    let mut problems = Vec::new();
    for (file, lines) in parsed {
        let Some(module) = top_module(&src, file) else {
            continue;
        };
        let shown = file.strip_prefix(root()).unwrap().display().to_string();
        let Some((layer, pos, name)) = places.get(&module) else {
            problems.push(format!(
                "{shown}: module `{module}` is in no layer of docs/architecture.md's table"
            ));
            continue;
        };
        if test_files.contains(file) {
            continue;
        }
        for (n, line) in lines {
            for used in named_modules(&line) {
                if used == module || used.is_empty() {
                    continue;
                }
                let Some((ulayer, upos, uname)) = places.get(&used) else {
                    problems.push(format!("{shown}:{n}: `crate::{used}` is in no layer"));
                    continue;
                };
                let below = ulayer < layer || (ulayer == layer && upos < pos);
                if !below {
                    problems.push(format!(
                        "{shown}:{n}: `{module}` ({name}) imports `crate::{used}` ({uname}), which is not below it: {line}"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports that go up the layers (docs/architecture.md, \"Layers\"):\n{}",
        problems.join("\n")
    );
}

/// The check itself catches what it is for: an upward import, in a line of code and
/// in a group, but not in a comment or in test code.
#[test]
fn the_import_check_sees_upward_imports() {
    let text = "use crate::{base, scene::Scene};\n// crate::cli in a comment\n#[cfg(test)]\nmod tests {\n    use crate::cli;\n}\nfn f() { crate::render::run(); }\n";
    let (lines, _) = code_lines(Path::new("src/x.rs"), text);
    let named: Vec<String> = lines.iter().flat_map(|(_, l)| named_modules(l)).collect();
    assert_eq!(named, ["base", "scene", "render"]);
}
