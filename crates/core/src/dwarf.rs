//! A core module without its DWARF: the `.debug_*` custom sections Rust's wasm targets
//! leave in (17 of ripgrep's 20 MB). `weft run` caches its core modules this way, so
//! every run reads and compiles only the code; `weft transpile` keeps them (a user's
//! debugger may want them). The `name` section stays, for stack traces.

use std::borrow::Cow;

/// `module` with its `.debug_*` custom sections left out; `module` itself when it has
/// none, or when its sections cannot be walked (the caller's validation reports that).
pub fn without_dwarf(module: &[u8]) -> Cow<'_, [u8]> {
    match sections(module) {
        Some(sections) if sections.iter().any(|s| s.dwarf) => {
            let mut out = Vec::with_capacity(module.len());
            out.extend_from_slice(&module[..8]);
            for s in sections.iter().filter(|s| !s.dwarf) {
                out.extend_from_slice(&module[s.start..s.end]);
            }
            Cow::Owned(out)
        }
        _ => Cow::Borrowed(module),
    }
}

/// One section of a module: its bytes (id, size and contents) and whether it is DWARF.
struct Section {
    start: usize,
    end: usize,
    dwarf: bool,
}

/// The sections of a core module (version 1), or none if `module` is not one.
fn sections(module: &[u8]) -> Option<Vec<Section>> {
    if module.get(..8)? != b"\0asm\x01\0\0\0" {
        return None;
    }
    let mut out = Vec::new();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        let id = module[at];
        let (size, n) = leb_u32(module.get(at + 1..)?)?;
        let body = at + 1 + n;
        let end = body.checked_add(size as usize)?;
        let contents = module.get(body..end)?;
        let dwarf = id == 0 && {
            let (len, n) = leb_u32(contents)?;
            let name = contents.get(n..n.checked_add(len as usize)?)?;
            name.starts_with(b".debug_")
        };
        out.push(Section { start, end, dwarf });
        at = end;
    }
    Some(out)
}

/// An unsigned LEB128 `u32` at the start of `bytes` and its length in bytes.
fn leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        let low = u32::from(b & 0x7f);
        if i == 4 && low > 0x0f {
            return None;
        }
        value |= low << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::without_dwarf;

    /// A module with a function, a `.debug_info` and a `.debug_line` section, and a
    /// `name` section.
    fn module() -> Vec<u8> {
        let mut m = wasm_encoder::Module::new();
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function([], [wasm_encoder::ValType::I32]);
        m.section(&types);
        let mut funcs = wasm_encoder::FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        m.section(&wasm_encoder::CustomSection {
            name: ".debug_info".into(),
            data: vec![7; 300].into(),
        });
        let mut code = wasm_encoder::CodeSection::new();
        let mut f = wasm_encoder::Function::new([]);
        f.instructions().i32_const(42).end();
        code.function(&f);
        m.section(&code);
        m.section(&wasm_encoder::CustomSection {
            name: ".debug_line".into(),
            data: vec![1, 2, 3].into(),
        });
        let mut names = wasm_encoder::NameSection::new();
        let mut fns = wasm_encoder::NameMap::new();
        fns.append(0, "answer");
        names.functions(&fns);
        m.section(&names);
        m.finish()
    }

    fn custom_names(module: &[u8]) -> Vec<String> {
        wasmparser::Parser::new(0)
            .parse_all(module)
            .filter_map(|p| match p.unwrap() {
                wasmparser::Payload::CustomSection(c) => Some(c.name().to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn leaves_out_dwarf_and_keeps_the_rest() {
        let m = module();
        assert_eq!(custom_names(&m), [".debug_info", ".debug_line", "name"]);
        let stripped = without_dwarf(&m);
        assert_eq!(custom_names(&stripped), ["name"]);
        assert!(stripped.len() < m.len() - 300);
        wasmparser::Validator::new()
            .validate_all(&stripped)
            .unwrap();
    }

    #[test]
    fn returns_other_input_as_it_is() {
        let m = module();
        let plain = without_dwarf(&m).into_owned();
        assert!(matches!(
            without_dwarf(&plain),
            std::borrow::Cow::Borrowed(_)
        ));
        for bad in [&b"\0asm\x01\0\0"[..], b"not wasm at all", &m[..m.len() - 1]] {
            assert!(matches!(without_dwarf(bad), std::borrow::Cow::Borrowed(_)));
        }
    }
}
