//! Every IDL file of `@webref/idl` (the curated IDL of the web platform, which
//! `scripts/setup` installs under `$WEFT_CACHE/webref`) parses.

use std::path::PathBuf;

fn webref_dir() -> PathBuf {
    let cache = std::env::var_os("WEFT_CACHE").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/weft"),
        PathBuf::from,
    );
    cache.join("webref/node_modules/@webref/idl")
}

#[test]
fn every_webref_file_parses() {
    let dir = webref_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/setup installs @webref/idl there)",
            dir.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "idl"))
        .collect();
    files.sort();
    assert!(
        files.len() > 300,
        "{} IDL files in {}",
        files.len(),
        dir.display()
    );
    let mut failures = Vec::new();
    let mut definitions = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        match weft_webidl::parse(&f.file_name().unwrap().to_string_lossy(), &text) {
            Ok(defs) => definitions += defs.len(),
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(definitions > 2000, "{definitions} definitions");
}

/// The model of every webref file, and the interfaces the given specs define.
fn platform(specs: &[&str]) -> (weft_webidl::model::Model, Vec<String>) {
    let dir = webref_dir();
    let mut files = Vec::new();
    let mut keep = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("webref installed")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "idl"))
        .collect();
    names.sort();
    for f in names {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let defs = weft_webidl::parse(
            &format!("{name}.idl"),
            &std::fs::read_to_string(&f).unwrap(),
        )
        .unwrap();
        if specs.contains(&name.as_str()) {
            for d in &defs {
                if let weft_webidl::ast::Definition::Interface(i) = d
                    && !i.partial
                    && i.kind != weft_webidl::ast::InterfaceKind::Mixin
                    && i.kind != weft_webidl::ast::InterfaceKind::CallbackInterface
                {
                    keep.push(i.name.clone());
                }
            }
        }
        files.push((format!("{name}.idl"), defs));
    }
    (weft_webidl::model::Model::build(&files), keep)
}

#[test]
fn the_dom_specs_give_valid_wit() {
    let specs = [
        "dom", "html", "cssom", "uievents", "url", "fetch", "streams", "console",
    ];
    let (model, keep) = platform(&specs);
    let options = weft_webidl::wit::Options {
        package: "webidl:web".into(),
        interface: "web".into(),
        keep,
    };
    let out = weft_webidl::wit::generate(&model, &options).expect("generates");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("webidl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("web.wit"), &out.wit).unwrap();
    let warnings: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
    std::fs::write(dir.join("warnings.txt"), warnings.join("\n")).unwrap();
    let mut resolve = wit_parser::Resolve::default();
    if let Err(e) = resolve.push_str(dir.join("web.wit"), &out.wit) {
        panic!("{}: invalid WIT: {e:?}", dir.join("web.wit").display());
    }
}
