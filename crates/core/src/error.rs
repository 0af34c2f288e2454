//! Errors that are weft's fault, and the one printer of error chains.
//!
//! Bad input (an invalid or unsupported component, a bad option) is an ordinary
//! `anyhow::Error` whose chain says what, where and why; the CLI exits with 1 for it.
//! A [`Bug`] is different: weft broke one of its own invariants (a plan the JS backend
//! cannot have been given, a value the generator forgot to produce). Its message asks
//! for a report, and the CLI exits with [`BUG_EXIT_CODE`], so scripts and fuzzers can
//! tell it apart from bad input. Raise one with [`bug!`](crate::bug), or turn a missing
//! value into one with [`OrBug::or_bug`].

use std::fmt;

/// The exit code of a run that hit a [`Bug`] (`EX_SOFTWARE` of sysexits.h).
pub const BUG_EXIT_CODE: u8 = 70;

/// An internal error: weft broke one of its own invariants, whatever the input was.
#[derive(Debug)]
pub struct Bug {
    message: String,
    /// `file:line` of the check that failed.
    location: &'static std::panic::Location<'static>,
}

impl Bug {
    /// A bug raised at the caller's location.
    #[track_caller]
    pub fn new(message: impl Into<String>) -> Self {
        Bug {
            message: message.into(),
            location: std::panic::Location::caller(),
        }
    }
}

impl fmt::Display for Bug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "internal error at {}:{}: {}",
            self.location.file(),
            self.location.line(),
            self.message
        )
    }
}

impl std::error::Error for Bug {}

/// Returns early with a [`Bug`]: `bug!("format", args…)`, as `anyhow::bail!` does for
/// bad input.
#[macro_export]
macro_rules! bug {
    ($($arg:tt)*) => {
        return ::core::result::Result::Err($crate::error::Bug::new(format!($($arg)*)).into())
    };
}

/// Turns an absent value into a [`Bug`] naming what was missing.
pub trait OrBug<T> {
    /// The value, or a bug whose message is `what`.
    ///
    /// # Errors
    /// A [`Bug`] when the value is absent.
    #[track_caller]
    fn or_bug(self, what: &str) -> anyhow::Result<T>;
}

impl<T> OrBug<T> for Option<T> {
    #[track_caller]
    fn or_bug(self, what: &str) -> anyhow::Result<T> {
        match self {
            Some(v) => Ok(v),
            None => Err(Bug::new(what).into()),
        }
    }
}

/// Whether an error is (or was caused by) a [`Bug`].
pub fn is_bug(e: &anyhow::Error) -> bool {
    e.chain().any(<dyn std::error::Error>::is::<Bug>)
}

/// What every front end (the CLI, the wasm build, the npm CLI) prints after `error: `:
/// the message, then for a chain of causes a blank line, `Caused by:` and one indented
/// `N: cause` line each; for a [`Bug`], a last paragraph asking for a report. No
/// trailing newline.
pub fn report(e: &anyhow::Error) -> String {
    let causes: Vec<String> = e.chain().skip(1).map(ToString::to_string).collect();
    let mut s = format_chain(&e.to_string(), &causes);
    if is_bug(e) {
        s.push_str(
            "\n\nThis is a bug in weft, not a problem with the input. Please report it, with \
             the component and this message.",
        );
    }
    s
}

/// The layout of [`report`] for a message and its causes, outermost first.
pub fn format_chain(message: &str, causes: &[String]) -> String {
    use fmt::Write;
    let mut s = message.to_string();
    for (i, cause) in causes.iter().enumerate() {
        if i == 0 {
            s.push_str("\n\nCaused by:");
        }
        let _ = write!(s, "\n    {i}: {cause}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails() -> anyhow::Result<()> {
        bug!("no memory for `{}`", "f");
    }

    #[test]
    fn a_bug_names_where_and_asks_for_a_report() {
        let e = fails().unwrap_err().context("failed to transpile `x.wasm`");
        assert!(is_bug(&e));
        let text = report(&e);
        assert!(text.starts_with("failed to transpile `x.wasm`\n\nCaused by:\n    0: internal error at crates/core/src/error.rs:"), "{text}");
        assert!(
            text.contains(": no memory for `f`\n\nThis is a bug in weft"),
            "{text}"
        );
    }

    #[test]
    fn bad_input_is_not_a_bug() {
        let e = anyhow::anyhow!("inner").context("outer");
        assert!(!is_bug(&e));
        assert_eq!(report(&e), "outer\n\nCaused by:\n    0: inner");
    }

    #[test]
    fn or_bug_on_none() {
        let e = None::<u8>.or_bug("a result pointer").unwrap_err();
        assert!(is_bug(&e));
        assert!(e.to_string().ends_with(": a result pointer"));
    }
}
