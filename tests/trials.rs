//! The driver of the data-driven test binaries (`harness = false`, libtest-mimic): each
//! binary collects one named trial per case into a [`Harness`] and runs them with
//! libtest's command line (`--list`, a name filter, `--exact`, `--test-threads`, …),
//! in parallel.
//!
//! Expected failures: when `tests/<harness>-expected-failures.txt` exists, each of its
//! lines (besides blank lines and `#` comments) is `<trial name> <reason>`. A listed
//! trial must fail (if it passes, it fails with "listed in … but passes: remove it"),
//! an unlisted one must pass. A listed name that is no trial, a line without a reason
//! or a name listed twice fails the extra trial named after the file.
//!
//! A run of all trials (no filter) first empties `target/test-out/<harness>`, so that
//! no output of a removed case is left there; each trial writes into its own directory
//! below it.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use libtest_mimic::{Arguments, Failed, Trial};

use crate::{root, sorted_entries};

type Body = Box<dyn FnOnce() -> Result<()> + Send>;

/// The trials of one test binary.
pub struct Harness {
    name: &'static str,
    trials: Vec<(String, Body)>,
}

impl Harness {
    /// An empty harness; `name` is the binary's name (`cases`, `smoke`, …).
    pub fn new(name: &'static str) -> Self {
        Harness {
            name,
            trials: Vec::new(),
        }
    }

    /// Adds a trial.
    pub fn add(
        &mut self,
        name: impl Into<String>,
        body: impl FnOnce() -> Result<()> + Send + 'static,
    ) {
        self.trials.push((name.into(), Box::new(body)));
    }

    /// One trial per `*.<ext>` file of `dir`, named after the file's stem; `body` gets
    /// that name and the file's path. Panics if there is no such file.
    pub fn add_files<F>(&mut self, dir: &Path, ext: &str, body: F)
    where
        F: Fn(&str, &Path) -> Result<()> + Send + Sync + 'static,
    {
        let body = Arc::new(body);
        let files: Vec<_> = sorted_entries(dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        assert!(!files.is_empty(), "no *.{ext} files in {}", dir.display());
        for file in files {
            let name = file_stem(&file);
            let body = Arc::clone(&body);
            self.add(name.clone(), move || body(&name, &file));
        }
    }

    /// Runs the trials with the process's arguments and exits.
    pub fn run(self) -> ! {
        let args = Arguments::from_args();
        let full_run = args.filter.is_none() && args.skip.is_empty() && !args.list && !args.ignored;
        if full_run {
            let _ = std::fs::remove_dir_all(root().join("target/test-out").join(self.name));
        }
        libtest_mimic::run(&args, self.into_trials()).exit()
    }

    fn into_trials(self) -> Vec<Trial> {
        let list_name = format!("{}-expected-failures.txt", self.name);
        let list_path = root().join("tests").join(&list_name);
        // Problems with the list itself fail the trial named after the file.
        let mut problems = Vec::new();
        let mut expected = match std::fs::read_to_string(&list_path) {
            Ok(text) => parse_expected_failures(&text, &mut problems),
            Err(_) => BTreeMap::new(),
        };
        let mut seen = BTreeSet::new();
        let mut trials = Vec::new();
        for (name, body) in self.trials {
            assert!(seen.insert(name.clone()), "two trials are named `{name}`");
            let listed = expected.remove(&name).is_some();
            let list_name = list_name.clone();
            trials.push(Trial::test(name, move || match (run_body(body), listed) {
                (Ok(()), false) | (Err(_), true) => Ok(()),
                (Err(e), false) => Err(Failed::from(format!("{e:#}"))),
                (Ok(()), true) => Err(Failed::from(format!(
                    "listed in tests/{list_name} but passes: remove it"
                ))),
            }));
        }
        problems.extend(
            expected
                .into_iter()
                .map(|(name, line)| format!("line {line}: `{name}` is no trial of this harness")),
        );
        if !problems.is_empty() {
            let message = format!("tests/{list_name}:\n{}", problems.join("\n"));
            trials.push(Trial::test(list_name, move || Err(Failed::from(message))));
        }
        trials
    }
}

/// Runs a trial's body; a panic becomes an error with the panic's message.
fn run_body(body: Body) -> Result<()> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string());
        Err(anyhow!("panicked: {message}"))
    })
}

/// The names of an expected-failures file, each with its line number; a line without a
/// reason or a name listed twice goes to `problems`.
fn parse_expected_failures(text: &str, problems: &mut Vec<String>) -> BTreeMap<String, usize> {
    let mut names = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        if reason.trim().is_empty() {
            problems.push(format!("line {}: `{name}` has no reason", i + 1));
        } else if names.insert(name.to_string(), i + 1).is_some() {
            problems.push(format!("line {}: `{name}` is listed twice", i + 1));
        }
    }
    names
}

/// A file's name without its (last) extension.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_else(|| panic!("{}: not a UTF-8 file name", path.display()))
        .to_string()
}
