//! Where the host's value for each component import comes from: the ES module
//! specifier an `import` declaration names, the keys `instantiate`'s `imports` object
//! is read by, and the member of either that holds the value.
//!
//! `--map FROM=TO` rules are tried in jco 1.35's order, so a jco user's map means the
//! same here (docs/js-api.md, "How imports are found"):
//!
//! 1. `FROM` equal to the import name (`wasi:io/error@0.2.0`);
//! 2. `FROM` equal to the name without its version (`wasi:io/error`);
//! 3. a `FROM` with a version and a `*`, against the full name;
//! 4. a `FROM` without a version, with a `*`, against the name without its version;
//! 5. a `FROM` whose version is semver-compatible with the import's (same major, or
//!    same `0.minor`; no pre-releases), its base equal to or matching (`*`) the name
//!    without version; the highest such version wins.
//!
//! Within a step the rules apply in the order given. The `*` of `FROM` matches any text,
//! which replaces the `*`s of `TO`. A `TO` of `spec#Name` names the member `Name` of the
//! module `spec` (a `#` in first position is part of the specifier, as in `#imports`).

use crate::binding::Binding;
use crate::options::wildcard;

/// A `--map` target: a specifier and, for `spec#Name`, the member holding the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub spec: String,
    pub member: Option<String>,
}

impl Target {
    fn parse(to: &str) -> Target {
        match to.get(1..).and_then(|rest| rest.find('#')) {
            Some(i) => Target {
                spec: to[..i + 1].to_string(),
                member: Some(to[i + 2..].to_string()),
            },
            None => Target {
                spec: to.to_string(),
                member: None,
            },
        }
    }
}

/// The target of the first `--map` rule matching `name`, in the order of the module doc.
pub fn map_rule(name: &str, map: &[(String, String)]) -> Option<Target> {
    let bare = name.split('@').next().unwrap_or(name);
    let substitute = |from: &str, to: &str, subject: &str| {
        let mid = wildcard(from, subject)?;
        Some(to.replace('*', mid))
    };
    let found = map
        .iter()
        .find(|(from, _)| from == name)
        .or_else(|| map.iter().find(|(from, _)| from == bare))
        .map(|(_, to)| to.clone())
        .or_else(|| {
            map.iter()
                .filter(|(from, _)| from.contains('@') && from.contains('*'))
                .find_map(|(from, to)| substitute(from, to, name))
        })
        .or_else(|| {
            map.iter()
                .filter(|(from, _)| !from.contains('@') && from.contains('*'))
                .find_map(|(from, to)| substitute(from, to, bare))
        })
        .or_else(|| semver_compatible(name, map));
    found.map(|to| Target::parse(&to))
}

/// Step 5: the rule with the highest version compatible with the import's.
fn semver_compatible(name: &str, map: &[(String, String)]) -> Option<String> {
    let (bare, version) = name.split_once('@')?;
    let want = Version::parse(version)?.compat()?;
    let mut best: Option<(Version, String)> = None;
    for (from, to) in map {
        let Some((base, v)) = from.split_once('@') else {
            continue;
        };
        let Some(v) = Version::parse(v) else { continue };
        if v.compat() != Some(want) {
            continue;
        }
        let resolved = if base.contains('*') {
            wildcard(base, bare).map(|mid| to.replace('*', mid))
        } else {
            (base == bare).then(|| to.clone())
        };
        if let Some(r) = resolved
            && best.as_ref().is_none_or(|(b, _)| v > *b)
        {
            best = Some((v, r));
        }
    }
    best.map(|(_, to)| to)
}

/// A semver version, as far as compatibility needs: `MAJOR.MINOR.PATCH[-pre][+build]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: bool,
}

impl Version {
    fn parse(text: &str) -> Option<Version> {
        let text = text.split_once('+').map_or(text, |(v, _)| v);
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) if !pre.is_empty() => (core, true),
            Some(_) => return None,
            None => (text, false),
        };
        let mut parts = core.split('.').map(|p| {
            let ok = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
            let canonical = p == "0" || !p.starts_with('0');
            (ok && canonical).then(|| p.parse::<u64>().ok()).flatten()
        });
        let v = Version {
            major: parts.next()??,
            minor: parts.next()??,
            patch: parts.next()??,
            pre,
        };
        parts.next().is_none().then_some(v)
    }

    /// The versions that are compatible with this one share this key: the major, or
    /// `0.minor`; none for a pre-release or `0.0.x`.
    fn compat(&self) -> Option<(u64, u64)> {
        match (self.pre, self.major, self.minor) {
            (true, ..) | (false, 0, 0) => None,
            (false, 0, minor) => Some((0, minor)),
            (false, major, _) => Some((major, 0)),
        }
    }
}

/// Where the value of one component import comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The ES module specifier (self-instantiating output).
    pub spec: String,
    /// The member of the module holding the value (`spec#Name`); without one, the
    /// module itself (an instance) or its default export (a function or a type).
    pub member: Option<String>,
    /// The keys of `instantiate`'s `imports` tried in order (instantiation output).
    pub keys: Vec<String>,
    /// The member of the `imports` entry holding the value, as [`Source::member`].
    pub key_member: Option<String>,
}

/// The source of the component import `name` under `binding` and the user's `map`;
/// `shim` gives the `@weft/wasi` module for a WASI interface it implements.
pub fn source(
    binding: &dyn Binding,
    name: &str,
    is_instance: bool,
    map: &[(String, String)],
    shim: impl Fn(&str) -> Option<String>,
) -> Source {
    let key = binding.import_key(name);
    let rule = map_rule(key, map);
    let member = rule.as_ref().and_then(|t| t.member.as_deref()).map(|m| {
        if is_instance {
            binding.interface_member(m)
        } else {
            m.to_string()
        }
    });
    let unmapped = binding.unmapped_specifier(key);
    let spec = match &rule {
        Some(t) => t.spec.clone(),
        None => shim(key).unwrap_or_else(|| unmapped.clone()),
    };
    let (keys, key_member) = if binding.imports_keyed_by_specifier() {
        // jco's key; for an unmapped import also the full WIT name, as weft's own
        // mode reads it (not for a root-level resource function, whose value has
        // another shape there).
        let keys = match rule {
            Some(t) => vec![t.spec],
            None if unmapped != name && key == name => vec![unmapped, name.to_string()],
            None => vec![unmapped],
        };
        (keys, member.clone())
    } else {
        (vec![name.to_string()], None)
    };
    Source {
        spec,
        member,
        keys,
        key_member,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn mapped(name: &str, map: &[(&str, &str)]) -> Option<(String, Option<String>)> {
        map_rule(name, &rules(map)).map(|t| (t.spec, t.member))
    }

    fn to(spec: &str, member: Option<&str>) -> Option<(String, Option<String>)> {
        Some((spec.to_string(), member.map(str::to_string)))
    }

    #[test]
    fn exact_names_first_with_then_without_version() {
        let map = [
            ("a:b/c", "./bare.js"),
            ("a:b/c@1.2.3", "./exact.js"),
            ("a:b/*", "./star/*.js"),
        ];
        assert_eq!(mapped("a:b/c@1.2.3", &map), to("./exact.js", None));
        assert_eq!(mapped("a:b/c@1.2.4", &map), to("./bare.js", None));
        assert_eq!(mapped("a:b/c", &map), to("./bare.js", None));
    }

    #[test]
    fn versioned_wildcards_before_unversioned_ones() {
        let map = [
            ("wasi:cli/*", "./p2/cli#*"),
            ("wasi:cli/*@0.3.0-rc-2025-09-16", "./p3/cli#*"),
        ];
        assert_eq!(
            mapped("wasi:cli/stdout@0.3.0-rc-2025-09-16", &map),
            to("./p3/cli", Some("stdout"))
        );
        // The unversioned wildcard sees the name without its version.
        assert_eq!(
            mapped("wasi:cli/stdout@0.2.6", &map),
            to("./p2/cli", Some("stdout"))
        );
    }

    #[test]
    fn semver_compatible_versions_highest_wins() {
        let map = [
            ("ex:pkg/api@0.1.0", "./old.js"),
            ("ex:pkg/api@0.1.5", "./new.js"),
            ("ex:pkg/api@0.2.0", "./other.js"),
            ("ex:*/x@2.0.0", "./x-*.js"),
        ];
        assert_eq!(mapped("ex:pkg/api@0.1.3", &map), to("./new.js", None));
        assert_eq!(mapped("ex:pkg/api@0.3.0", &map), None);
        assert_eq!(mapped("ex:q/x@2.9.1", &map), to("./x-q.js", None));
        // Pre-releases and 0.0.x are compatible with nothing else.
        assert_eq!(mapped("ex:pkg/api@0.1.3-rc.1", &map), None);
        assert_eq!(
            mapped("ex:pkg/api@0.0.1", &[("ex:pkg/api@0.0.2", "./a.js")]),
            None
        );
    }

    #[test]
    fn hash_names_a_member_except_in_first_position() {
        assert_eq!(
            mapped("x", &[("x", "./m.js#Thing")]),
            to("./m.js", Some("Thing"))
        );
        assert_eq!(mapped("x", &[("x", "#imports")]), to("#imports", None));
        assert_eq!(mapped("x", &[("x", "#a#b")]), to("#a", Some("b")));
    }

    #[test]
    fn versions() {
        assert!(Version::parse("1.2.3").is_some());
        assert!(Version::parse("1.2.3-rc.1+b").is_some_and(|v| v.pre));
        for bad in ["1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-", ""] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }
}
