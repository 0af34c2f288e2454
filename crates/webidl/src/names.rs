//! The naming rule between WebIDL and WIT: exact in both directions, so the transpiler
//! recovers the platform's own name from the WIT name alone, without the IDL and
//! without guessing.
//!
//! WIT labels are fragments joined by `-`, each a lowercase word (`[a-z][a-z0-9]*`) or
//! an acronym (`[A-Z][A-Z0-9]*`). That is enough to keep an identifier's case:
//!
//! * **Identifiers** (interfaces, members, dictionary members, arguments) are split into
//!   words where the case changes (`innerHTML` → `inner` `HTML`, `HTMLElement` →
//!   `HTML` `Element`, `texImage2D` → `tex` `Image2` `D`) and at `_` and `-`. A word
//!   with a lowercase letter becomes a lowercase fragment, an all-capitals one stays an
//!   acronym: `inner-HTML`, `HTML-element`, `get-elements-by-tag-name-NS`,
//!   `ELEMENT-NODE`; a word after `_` that starts with a digit is spelled with an `N`
//!   before it (`TEXTURE_2D` ↔ `TEXTURE-N2D`). Back: a lowercase fragment after the first is capitalised, an
//!   acronym is kept, and two acronyms in a row are joined by `_` (case changes never
//!   put two acronyms side by side, constants' `_` always does). Member names keep the
//!   first fragment as it is (`innerHTML`, `URL`), interface, dictionary, enum and
//!   typedef names capitalise it (`HTMLElement`, `Node`). An identifier this does not
//!   give back exactly (`font-size`, `WEBGL_lose_context`, `mozFoo` as a type) has no
//!   WIT name: [`identifier_to_wit`] returns `None` and the generator says so.
//! * **Enum values** are strings (`"no-referrer"`, `"2d"`, `"flipY"`, `""`,
//!   `"text/html"`). A value made of lowercase words and `-` is its own WIT name;
//!   anything else is spelled with acronym fragments, which enum values otherwise never
//!   produce: `N<digits>` for digits that start a word, `U<LETTERS>` for capitals, `H` for
//!   a `-` that is not between two lowercase words, `X<hex>` for any other character,
//!   and `EMPTY` for the empty string. Two lowercase fragments, or a lowercase fragment
//!   then an `N` one, are separated by `-` in the value; other neighbours are not:
//!   `"2d"` ↔ `N2-d`, `"astc-4x4-unorm"` ↔ `astc-N4-x4-unorm`, `"flipY"` ↔ `flip-UY`,
//!   `"text/html"` ↔ `text-X2F-html`, `""` ↔ `EMPTY`.

/// Whether the platform spells the name as a member (`innerHTML`: first fragment as it
/// is) or as a type (`HTMLElement`: first fragment capitalised).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Member,
    Type,
}

/// The WIT label of a WebIDL identifier, or `None` when the rule cannot give the
/// identifier back exactly (see the module docs).
pub fn identifier_to_wit(ident: &str, case: Case) -> Option<String> {
    let label = split_words(ident)?.join("-");
    (wit_to_identifier(&label, case).as_deref() == Some(ident)).then_some(label)
}

/// The WebIDL identifier a WIT label names (the inverse of [`identifier_to_wit`]), or
/// `None` when the label is not a WIT label.
pub fn wit_to_identifier(label: &str, case: Case) -> Option<String> {
    let mut out = String::new();
    let mut prev_acronym = false;
    for (i, frag) in label.split('-').enumerate() {
        let acronym = fragment_kind(frag)? == Fragment::Acronym;
        let digits = frag.len() > 1 && frag.starts_with('N') && frag.as_bytes()[1].is_ascii_digit();
        if acronym && digits && i > 0 {
            // `N2D` after another word: `_2D`.
            out.push('_');
            out.push_str(&frag[1..]);
        } else if acronym {
            if prev_acronym {
                out.push('_');
            }
            out.push_str(frag);
        } else if i == 0 && case == Case::Member {
            out.push_str(frag);
        } else {
            let mut chars = frag.chars();
            out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(chars.as_str());
        }
        prev_acronym = acronym;
    }
    Some(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fragment {
    Lower,
    Acronym,
}

/// What kind of WIT fragment `frag` is, or `None` when it is neither.
fn fragment_kind(frag: &str) -> Option<Fragment> {
    let mut chars = frag.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if first.is_ascii_lowercase()
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        Some(Fragment::Lower)
    } else if first.is_ascii_uppercase()
        && rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        Some(Fragment::Acronym)
    } else {
        None
    }
}

/// The words of an identifier, each a WIT fragment, or `None` if one cannot be.
fn split_words(ident: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = ident.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c == '_' || c == '-' {
            words.push(std::mem::take(&mut cur));
            continue;
        }
        let starts_word = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        // (A word of digits only, `_2D`'s `2`, goes on.)
        if starts_word && cur.chars().any(|c| c.is_ascii_alphabetic()) {
            words.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    words.push(cur);
    words
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            let w = if w.chars().any(|c| c.is_ascii_lowercase()) {
                w.to_ascii_lowercase()
            } else if i > 0 && w.starts_with(|c: char| c.is_ascii_digit()) {
                // `TEXTURE_2D`: a word that starts with a digit is spelled `N2D`.
                format!("N{w}")
            } else {
                w
            };
            fragment_kind(&w).map(|_| w)
        })
        .collect()
}

/// One piece of an enum value, before spelling.
#[derive(Debug, PartialEq)]
enum Piece {
    /// `[a-z][a-z0-9]*`
    Lower(String),
    /// `[0-9]+` where no lowercase word goes on.
    Digits(String),
    /// `[A-Z]+`
    Upper(String),
    Dash,
    Other(char),
}

/// The WIT label of an enum value (always exists; see the module docs).
pub fn enum_value_to_wit(value: &str) -> String {
    if value.is_empty() {
        return "EMPTY".to_string();
    }
    let pieces = enum_pieces(value);
    let mut frags: Vec<String> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Lower(s) => frags.push(s.clone()),
            Piece::Digits(d) => frags.push(format!("N{d}")),
            Piece::Upper(u) => frags.push(format!("U{u}")),
            Piece::Other(c) => frags.push(format!("X{:X}", u32::from(*c))),
            Piece::Dash => {
                let implicit =
                    matches!(i.checked_sub(1).map(|j| &pieces[j]), Some(Piece::Lower(_)))
                        && matches!(pieces.get(i + 1), Some(Piece::Lower(_) | Piece::Digits(_)));
                if !implicit {
                    frags.push("H".to_string());
                }
            }
        }
    }
    frags.join("-")
}

fn enum_pieces(value: &str) -> Vec<Piece> {
    let chars: Vec<char> = value.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    let run =
        |i: usize, pred: &dyn Fn(char) -> bool| chars[i..].iter().take_while(|&&c| pred(c)).count();
    while i < chars.len() {
        let c = chars[i];
        let (piece, n) = if c.is_ascii_lowercase() {
            let n = run(i, &|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            (Piece::Lower(chars[i..i + n].iter().collect()), n)
        } else if c.is_ascii_digit() {
            let n = run(i, &|c| c.is_ascii_digit());
            (Piece::Digits(chars[i..i + n].iter().collect()), n)
        } else if c.is_ascii_uppercase() {
            let n = run(i, &|c| c.is_ascii_uppercase());
            (Piece::Upper(chars[i..i + n].iter().collect()), n)
        } else if c == '-' {
            (Piece::Dash, 1)
        } else {
            (Piece::Other(c), 1)
        };
        pieces.push(piece);
        i += n;
    }
    pieces
}

/// The enum value a WIT label names (the inverse of [`enum_value_to_wit`]), or `None`
/// when the label is not one [`enum_value_to_wit`] makes.
pub fn wit_to_enum_value(label: &str) -> Option<String> {
    if label == "EMPTY" {
        return Some(String::new());
    }
    let mut out = String::new();
    let mut prev_lower = false;
    for frag in label.split('-') {
        match fragment_kind(frag)? {
            Fragment::Lower => {
                if prev_lower {
                    out.push('-');
                }
                out.push_str(frag);
                prev_lower = true;
                continue;
            }
            Fragment::Acronym => {}
        }
        let (tag, rest) = frag.split_at(1);
        match tag {
            "N" if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) => {
                if prev_lower {
                    out.push('-');
                }
                out.push_str(rest);
            }
            "U" if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_uppercase()) => {
                out.push_str(rest);
            }
            "H" if rest.is_empty() => out.push('-'),
            "X" => out.push(char::from_u32(u32::from_str_radix(rest, 16).ok()?)?),
            _ => return None,
        }
        prev_lower = false;
    }
    // Only the spelling `enum_value_to_wit` makes is accepted, so each value has one.
    (enum_value_to_wit(&out) == label).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_their_case() {
        for (ident, case, label) in [
            ("innerHTML", Case::Member, "inner-HTML"),
            ("baseURI", Case::Member, "base-URI"),
            ("namespaceURI", Case::Member, "namespace-URI"),
            (
                "getElementsByTagNameNS",
                Case::Member,
                "get-elements-by-tag-name-NS",
            ),
            ("URL", Case::Member, "URL"),
            ("ELEMENT_NODE", Case::Member, "ELEMENT-NODE"),
            ("texImage2D", Case::Member, "tex-image2-D"),
            ("HTMLElement", Case::Type, "HTML-element"),
            ("XMLHttpRequest", Case::Type, "XML-http-request"),
            (
                "WebGL2RenderingContext",
                Case::Type,
                "web-GL2-rendering-context",
            ),
            ("Node", Case::Type, "node"),
            ("URLSearchParams", Case::Type, "URL-search-params"),
            ("appendChild", Case::Member, "append-child"),
            ("onclick", Case::Member, "onclick"),
            ("Float32Array", Case::Type, "float32-array"),
            ("DOMRectReadOnly", Case::Type, "DOM-rect-read-only"),
            ("TEXTURE_2D", Case::Member, "TEXTURE-N2D"),
            (
                "UNSIGNED_SHORT_4_4_4_4",
                Case::Member,
                "UNSIGNED-SHORT-N4-N4-N4-N4",
            ),
        ] {
            assert_eq!(
                identifier_to_wit(ident, case).as_deref(),
                Some(label),
                "{ident}"
            );
            assert_eq!(
                wit_to_identifier(label, case).as_deref(),
                Some(ident),
                "{label}"
            );
        }
    }

    #[test]
    fn identifiers_that_do_not_come_back_have_no_wit_name() {
        for (ident, case) in [
            ("font-size", Case::Member),
            ("WEBGL_lose_context", Case::Type),
            ("mozFoo", Case::Type),
            ("Foo", Case::Member),
            ("a__b", Case::Member),
            ("FOO_N2", Case::Member),
            ("Hz", Case::Member),
        ] {
            assert_eq!(identifier_to_wit(ident, case), None, "{ident}");
        }
    }

    #[test]
    fn enum_values_round_trip() {
        for (value, label) in [
            ("no-referrer", "no-referrer"),
            (
                "strict-origin-when-cross-origin",
                "strict-origin-when-cross-origin",
            ),
            ("", "EMPTY"),
            ("2d", "N2-d"),
            ("astc-4x4-unorm", "astc-N4-x4-unorm"),
            ("flipY", "flip-UY"),
            ("text/html", "text-X2F-html"),
            ("application/xhtml+xml", "application-X2F-xhtml-X2B-xml"),
            ("ISO-8859-1", "UISO-H-N8859-H-N1"),
            ("a--b", "a-H-H-b"),
            ("-x", "H-x"),
            ("webgl2", "webgl2"),
            ("é", "XE9"),
        ] {
            assert_eq!(enum_value_to_wit(value), label, "{value:?}");
            assert_eq!(wit_to_enum_value(label).as_deref(), Some(value), "{label}");
        }
    }

    #[test]
    fn every_short_enum_value_round_trips() {
        // Every string of up to four characters over an alphabet with each class.
        let alphabet = ['a', 'z', '0', '9', 'A', 'Z', '-', '/', ' '];
        let mut values = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = values
                .iter()
                .filter(|v| v.len() == values.last().map_or(0, String::len))
                .flat_map(|v| alphabet.iter().map(move |c| format!("{v}{c}")))
                .collect();
            values.extend(longer);
        }
        for v in &values {
            let label = enum_value_to_wit(v);
            assert!(
                label.split('-').all(|f| fragment_kind(f).is_some()),
                "{v:?} -> {label}"
            );
            assert_eq!(
                wit_to_enum_value(&label).as_deref(),
                Some(v.as_str()),
                "{v:?} -> {label}"
            );
        }
    }

    #[test]
    fn labels_that_no_value_makes_are_refused() {
        for label in ["N", "Ux", "X", "XZZ", "a-Hx", "Q1"] {
            assert_eq!(wit_to_enum_value(label), None, "{label}");
        }
    }
}
