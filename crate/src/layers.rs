//! The layers of lib.rs's doc comment, held: every module of `crate/src` is read, and each of its imports of another
//! module (a `crate::` path, or a sibling's through `super::`) must point to its own layer or an earlier one, and no
//! modules may import each other in a circle. Test modules are left out: nothing imports them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers as lib.rs lists them: each top-level module's layer.
fn layers() -> BTreeMap<String, usize> {
    let lib = include_str!("lib.rs");
    let mut layers = BTreeMap::new();
    for line in lib.lines().filter_map(|line| line.strip_prefix("//! ")) {
        let Some((number, rest)) = line.split_once(". ") else { continue };
        let Ok(layer) = number.parse::<usize>() else { continue };
        let (_, modules) = rest.split_once(": ").unwrap_or(("", rest));
        for module in modules.split(", ") {
            layers.insert(module.trim().to_string(), layer);
        }
    }
    layers
}

/// Every module file under `dir`, by its path in the crate ("engines::gil"), with its source less its tests.
fn modules(dir: &Path, prefix: &[String], found: &mut BTreeMap<String, String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "bin" {
                modules(&path, &[prefix, &[name]].concat(), found);
            }
            continue;
        }
        // lib.rs holds the list, and this test module is imported by nothing.
        if path.extension().is_none_or(|ext| ext != "rs")
            || (prefix.is_empty() && ["lib", "layers"].contains(&name.as_str()))
        {
            continue;
        }
        let module = if name == "mod" { prefix.to_vec() } else { [prefix, &[name]].concat() };
        let source = std::fs::read_to_string(&path).unwrap();
        found.insert(module.join("::"), without_tests(&source));
    }
}

/// A source less its `#[cfg(test)] mod tests { … }` block, wherever the block stands.
fn without_tests(source: &str) -> String {
    let Some(start) = source.find("#[cfg(test)]\nmod tests {") else { return source.to_string() };
    let mut depth = 0;
    for (i, c) in source[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return [&source[..start], &source[start + i + 1..]].concat(),
            '}' => depth -= 1,
            _ => {}
        }
    }
    source[..start].to_string()
}

/// The paths a source names from `crate::` (and, in `module`, through `super::`), with `use` groups expanded.
fn paths(module: &str, source: &str) -> Vec<String> {
    let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
    let code: String =
        source.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut found = Vec::new();
    for (root, base) in [("crate::", String::new()), ("super::", parent.to_string())] {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(root) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + root.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            expand(&base, rest, &mut found);
        }
    }
    found
}

/// The paths of one `use` tree or path at the start of `text`, each after `base`.
fn expand(base: &str, text: &str, found: &mut Vec<String>) {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(text.len());
    let path = text[..end].trim_end_matches(':');
    let full = [base, path].iter().filter(|part| !part.is_empty()).copied().collect::<Vec<_>>().join("::");
    if !text[end..].starts_with('{') {
        found.push(full);
        return;
    }
    let (mut depth, mut start, inner) = (0, 0, &text[end + 1..]);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                expand(&full, inner[start..i].trim(), found);
                return;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&full, inner[start..i].trim(), found);
                start = i + 1;
            }
            _ => {}
        }
    }
}

/// The module a path names: the longest of `modules` it starts with.
fn module_of<'a>(path: &str, modules: &'a BTreeMap<String, String>) -> Option<&'a str> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find_map(|candidate| modules.get_key_value(&candidate).map(|(module, _)| module.as_str()))
}

/// Who imports whom: each module's imports of the others.
fn imports() -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &[], &mut found);
    found
        .iter()
        .map(|(module, source)| {
            let mut targets: Vec<String> = paths(module, source)
                .iter()
                .filter_map(|path| module_of(path, &found))
                .filter(|target| target != module && !module.starts_with(&format!("{target}::")))
                .map(String::from)
                .collect();
            targets.sort();
            targets.dedup();
            (module.clone(), targets)
        })
        .collect()
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap()
}

#[test]
fn every_module_has_a_layer_and_imports_only_its_own_or_earlier_ones() {
    let layers = layers();
    let imports = imports();
    assert!(imports.len() > 20, "the modules were found: {:?}", imports.keys());
    let mut wrong = Vec::new();
    for (module, targets) in &imports {
        let layer = layers.get(top(module)).unwrap_or_else(|| panic!("{module} is in no layer of lib.rs's list"));
        for target in targets {
            let theirs = layers[top(target)];
            if theirs > *layer {
                wrong.push(format!("{module} (layer {layer}) imports {target} (layer {theirs})"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports that point up:\n{}", wrong.join("\n"));
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let imports = imports();
    // A depth-first walk: a module met again while its own imports are being walked closes a circle.
    fn walk(module: &str, imports: &BTreeMap<String, Vec<String>>, trail: &mut Vec<String>, done: &mut Vec<String>) {
        if let Some(at) = trail.iter().position(|m| m == module) {
            let circle = [&trail[at..], &[module.to_string()]].concat();
            panic!("modules import each other in a circle: {}", circle.join(" → "));
        }
        if done.iter().any(|m| m == module) {
            return;
        }
        trail.push(module.to_string());
        for target in &imports[module] {
            walk(target, imports, trail, done);
        }
        trail.pop();
        done.push(module.to_string());
    }
    let mut done = Vec::new();
    for module in imports.keys() {
        walk(module, &imports, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_reader_finds_grouped_nested_and_inline_imports() {
    let source = "use crate::engines::{gil::Gil, io};\nuse super::design::{Asked, Design};\n\
                  // crate::share in a comment\nfn f() { crate::stats::ms(1.0); }";
    let found = paths("experiments::convoy", source);
    assert_eq!(
        found,
        ["engines::gil::Gil", "engines::io", "stats::ms", "experiments::design::Asked", "experiments::design::Design"]
    );
    let tested =
        "use crate::a;\n#[cfg(test)]\nmod tests {\n    fn f() { crate::b::g(); }\n}\nfn h() { crate::c::i(); }";
    assert_eq!(paths("x", &without_tests(tested)), ["a", "c::i"]);
}
