//! A recursive-descent parser for WebIDL (<https://webidl.spec.whatwg.org/#idl-grammar>).
//! It accepts the whole grammar, extended attributes in their five forms included, and
//! reports the first error with its line, column and the construct being read.

use crate::ParseError;
use crate::ast::*;
use crate::lexer::{Tok, Token, tokenize};

/// Parses one IDL file.
pub fn parse(file: &str, text: &str) -> Result<Vec<Definition>> {
    let tokens = tokenize(file, text)?;
    let mut p = Parser {
        file,
        tokens,
        pos: 0,
        within: Vec::new(),
    };
    let mut defs = Vec::new();
    while p.peek() != &Tok::Eof {
        defs.push(p.definition()?);
    }
    Ok(defs)
}

struct Parser<'a> {
    file: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// What is being read, innermost last ("interface `Node`", "operation `append`").
    within: Vec<String>,
}

type Result<T> = std::result::Result<T, ParseError>;

/// The keywords that start a type, besides identifiers.
const STRING_TYPES: [&str; 3] = ["DOMString", "ByteString", "USVString"];

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        let i = (self.pos + n).min(self.tokens.len() - 1);
        &self.tokens[i].tok
    }

    fn span(&self) -> Span {
        self.tokens[self.pos].span
    }

    fn bump(&mut self) -> Tok {
        let t = self.tokens[self.pos].tok.clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_ident(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == word)
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek() == &Tok::Punct(c)
    }

    fn eat_ident(&mut self, word: &str) -> bool {
        let yes = self.is_ident(word);
        if yes {
            self.bump();
        }
        yes
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let yes = self.is_punct(c);
        if yes {
            self.bump();
        }
        yes
    }

    fn error(&self, expected: &str) -> ParseError {
        let mut message = format!("expected {expected}, found {}", self.peek().describe());
        if let Some(within) = self.within.last() {
            message.push_str(&format!(" (in {within})"));
        }
        ParseError::new(self.file, self.span(), message)
    }

    fn expect_punct(&mut self, c: char) -> Result<()> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            Err(self.error(&format!("`{c}`")))
        }
    }

    fn expect_keyword(&mut self, word: &str) -> Result<()> {
        if self.eat_ident(word) {
            Ok(())
        } else {
            Err(self.error(&format!("`{word}`")))
        }
    }

    /// An identifier, its `_` escape removed.
    fn identifier(&mut self, what: &str) -> Result<String> {
        match self.peek() {
            Tok::Ident(s) => {
                let s = s.strip_prefix('_').unwrap_or(s).to_string();
                self.bump();
                Ok(s)
            }
            _ => Err(self.error(what)),
        }
    }

    fn definition(&mut self) -> Result<Definition> {
        let ext_attrs = self.ext_attrs()?;
        let span = self.span();
        let def = if self.eat_ident("callback") {
            if self.eat_ident("interface") {
                self.interface(InterfaceKind::CallbackInterface, false, ext_attrs, span)?
            } else {
                self.callback(ext_attrs, span)?
            }
        } else if self.eat_ident("interface") {
            let kind = if self.eat_ident("mixin") {
                InterfaceKind::Mixin
            } else {
                InterfaceKind::Interface
            };
            self.interface(kind, false, ext_attrs, span)?
        } else if self.eat_ident("namespace") {
            self.interface(InterfaceKind::Namespace, false, ext_attrs, span)?
        } else if self.eat_ident("partial") {
            if self.eat_ident("interface") {
                let kind = if self.eat_ident("mixin") {
                    InterfaceKind::Mixin
                } else {
                    InterfaceKind::Interface
                };
                self.interface(kind, true, ext_attrs, span)?
            } else if self.eat_ident("namespace") {
                self.interface(InterfaceKind::Namespace, true, ext_attrs, span)?
            } else if self.eat_ident("dictionary") {
                self.dictionary(true, ext_attrs, span)?
            } else {
                return Err(self.error("`interface`, `namespace` or `dictionary` after `partial`"));
            }
        } else if self.eat_ident("dictionary") {
            self.dictionary(false, ext_attrs, span)?
        } else if self.eat_ident("enum") {
            self.enumeration(ext_attrs, span)?
        } else if self.eat_ident("typedef") {
            self.within.push("a typedef".to_string());
            let ty = self.type_with_ext_attrs()?;
            let name = self.identifier("the typedef's name")?;
            self.expect_punct(';')?;
            self.within.pop();
            Definition::Typedef(Typedef {
                name,
                ty,
                ext_attrs,
                span,
            })
        } else if matches!(self.peek(), Tok::Ident(_))
            && matches!(self.peek_at(1), Tok::Ident(s) if s == "includes")
        {
            let target = self.identifier("an interface name")?;
            self.bump();
            let mixin = self.identifier("the name of a mixin after `includes`")?;
            self.expect_punct(';')?;
            Definition::Includes {
                target,
                mixin,
                ext_attrs,
                span,
            }
        } else {
            return Err(self.error("a definition (`interface`, `dictionary`, `enum`, `typedef`, `callback`, `namespace`, `partial` or `A includes B;`)"));
        };
        Ok(def)
    }

    fn interface(
        &mut self,
        kind: InterfaceKind,
        partial: bool,
        ext_attrs: Vec<ExtAttr>,
        span: Span,
    ) -> Result<Definition> {
        let name = self.identifier(&format!("the name of the {}", kind.keyword()))?;
        self.within.push(format!("{} `{name}`", kind.keyword()));
        let inherits = if kind == InterfaceKind::Interface && !partial && self.eat_punct(':') {
            Some(self.identifier("the name of the inherited interface")?)
        } else {
            None
        };
        self.expect_punct('{')?;
        let mut members = Vec::new();
        while !self.eat_punct('}') {
            members.push(self.member()?);
        }
        self.expect_punct(';')?;
        self.within.pop();
        Ok(Definition::Interface(Interface {
            kind,
            partial,
            name,
            inherits,
            ext_attrs,
            members,
            span,
        }))
    }

    fn member(&mut self) -> Result<Member> {
        let ext_attrs = self.ext_attrs()?;
        let span = self.span();
        let kind = self.member_kind()?;
        Ok(Member {
            kind,
            ext_attrs,
            span,
        })
    }

    fn member_kind(&mut self) -> Result<MemberKind> {
        if self.eat_ident("const") {
            let ty = self.ty()?;
            let name = self.identifier("the constant's name")?;
            self.expect_punct('=')?;
            let value = self.const_value()?;
            self.expect_punct(';')?;
            return Ok(MemberKind::Const { name, ty, value });
        }
        if self.eat_ident("constructor") {
            self.within.push("a constructor".to_string());
            let args = self.arguments()?;
            self.expect_punct(';')?;
            self.within.pop();
            return Ok(MemberKind::Constructor { args });
        }
        if self.eat_ident("static") {
            if self.eat_ident("readonly") {
                return self.attribute(true, true, false, false);
            }
            if self.is_ident("attribute") {
                return self.attribute(false, true, false, false);
            }
            return self.operation(true, None);
        }
        if self.eat_ident("stringifier") {
            if self.eat_punct(';') {
                return Ok(MemberKind::Stringifier);
            }
            if self.eat_ident("readonly") {
                return self.attribute(true, false, false, true);
            }
            if self.is_ident("attribute") {
                return self.attribute(false, false, false, true);
            }
            return self.operation(false, Some(Special::Stringifier));
        }
        if self.eat_ident("inherit") {
            let readonly = self.eat_ident("readonly");
            return self.attribute(readonly, false, true, false);
        }
        if self.eat_ident("readonly") {
            if self.eat_ident("maplike") {
                return self.maplike(true);
            }
            if self.eat_ident("setlike") {
                return self.setlike(true);
            }
            return self.attribute(true, false, false, false);
        }
        if self.is_ident("attribute") {
            return self.attribute(false, false, false, false);
        }
        for (word, special) in [
            ("getter", Special::Getter),
            ("setter", Special::Setter),
            ("deleter", Special::Deleter),
        ] {
            if self.eat_ident(word) {
                return self.operation(false, Some(special));
            }
        }
        if self.eat_ident("maplike") {
            return self.maplike(false);
        }
        if self.eat_ident("setlike") {
            return self.setlike(false);
        }
        // `async iterable` and its newer spelling, one keyword `async_iterable`.
        let spaced =
            self.is_ident("async") && matches!(self.peek_at(1), Tok::Ident(s) if s == "iterable");
        if spaced {
            self.bump();
        }
        let is_async = spaced || self.is_ident("async_iterable");
        if self.eat_ident("iterable") || self.eat_ident("async_iterable") {
            self.within.push("an iterable declaration".to_string());
            self.expect_punct('<')?;
            let first = self.type_with_ext_attrs()?;
            let second = if self.eat_punct(',') {
                Some(self.type_with_ext_attrs()?)
            } else {
                None
            };
            self.expect_punct('>')?;
            let args = if is_async && self.is_punct('(') {
                self.arguments()?
            } else {
                Vec::new()
            };
            self.expect_punct(';')?;
            self.within.pop();
            let (key, value) = match second {
                Some(v) => (Some(first), v),
                None => (None, first),
            };
            return Ok(MemberKind::Iterable {
                key,
                value,
                is_async,
                args,
            });
        }
        self.operation(false, None)
    }

    fn attribute(
        &mut self,
        readonly: bool,
        is_static: bool,
        inherit: bool,
        stringifier: bool,
    ) -> Result<MemberKind> {
        self.expect_keyword("attribute")?;
        self.within.push("an attribute".to_string());
        let ty = self.type_with_ext_attrs()?;
        let name = self.identifier("the attribute's name")?;
        self.expect_punct(';')?;
        self.within.pop();
        Ok(MemberKind::Attribute {
            name,
            ty,
            readonly,
            is_static,
            inherit,
            stringifier,
        })
    }

    fn operation(&mut self, is_static: bool, special: Option<Special>) -> Result<MemberKind> {
        let ret = self.ty()?;
        let name = match self.peek() {
            Tok::Ident(_) => Some(self.identifier("the operation's name")?),
            _ => None,
        };
        if name.is_none() && special.is_none() {
            return Err(self.error("the operation's name"));
        }
        let label = name
            .as_deref()
            .map_or("a special operation".to_string(), |n| {
                format!("operation `{n}`")
            });
        self.within.push(label);
        let args = self.arguments()?;
        self.expect_punct(';')?;
        self.within.pop();
        Ok(MemberKind::Operation {
            name,
            ret,
            args,
            is_static,
            special,
        })
    }

    fn maplike(&mut self, readonly: bool) -> Result<MemberKind> {
        self.expect_punct('<')?;
        let key = self.type_with_ext_attrs()?;
        self.expect_punct(',')?;
        let value = self.type_with_ext_attrs()?;
        self.expect_punct('>')?;
        self.expect_punct(';')?;
        Ok(MemberKind::Maplike {
            key,
            value,
            readonly,
        })
    }

    fn setlike(&mut self, readonly: bool) -> Result<MemberKind> {
        self.expect_punct('<')?;
        let value = self.type_with_ext_attrs()?;
        self.expect_punct('>')?;
        self.expect_punct(';')?;
        Ok(MemberKind::Setlike { value, readonly })
    }

    fn callback(&mut self, ext_attrs: Vec<ExtAttr>, span: Span) -> Result<Definition> {
        let name = self.identifier("the callback's name")?;
        self.within.push(format!("callback `{name}`"));
        self.expect_punct('=')?;
        let ret = self.ty()?;
        let args = self.arguments()?;
        self.expect_punct(';')?;
        self.within.pop();
        Ok(Definition::Callback(Callback {
            name,
            ret,
            args,
            ext_attrs,
            span,
        }))
    }

    fn dictionary(
        &mut self,
        partial: bool,
        ext_attrs: Vec<ExtAttr>,
        span: Span,
    ) -> Result<Definition> {
        let name = self.identifier("the dictionary's name")?;
        self.within.push(format!("dictionary `{name}`"));
        let inherits = if !partial && self.eat_punct(':') {
            Some(self.identifier("the name of the inherited dictionary")?)
        } else {
            None
        };
        self.expect_punct('{')?;
        let mut members = Vec::new();
        while !self.eat_punct('}') {
            let ext_attrs = self.ext_attrs()?;
            let span = self.span();
            let required = self.eat_ident("required");
            let ty = self.type_with_ext_attrs()?;
            let name = self.identifier("the member's name")?;
            let default = if self.eat_punct('=') {
                Some(self.default_value()?)
            } else {
                None
            };
            self.expect_punct(';')?;
            members.push(DictionaryMember {
                name,
                ty,
                required,
                default,
                ext_attrs,
                span,
            });
        }
        self.expect_punct(';')?;
        self.within.pop();
        Ok(Definition::Dictionary(Dictionary {
            partial,
            name,
            inherits,
            ext_attrs,
            members,
            span,
        }))
    }

    fn enumeration(&mut self, ext_attrs: Vec<ExtAttr>, span: Span) -> Result<Definition> {
        let name = self.identifier("the enum's name")?;
        self.within.push(format!("enum `{name}`"));
        self.expect_punct('{')?;
        let mut values = Vec::new();
        loop {
            match self.bump() {
                Tok::Str(s) => values.push(s),
                Tok::Punct('}') if !values.is_empty() => break,
                _ => {
                    self.pos -= 1;
                    return Err(self.error("a string (an enum value)"));
                }
            }
            if self.eat_punct('}') {
                break;
            }
            self.expect_punct(',')?;
        }
        self.expect_punct(';')?;
        self.within.pop();
        Ok(Definition::Enum(Enum {
            name,
            values,
            ext_attrs,
            span,
        }))
    }

    /// `(args)`.
    fn arguments(&mut self) -> Result<Vec<Argument>> {
        self.expect_punct('(')?;
        let mut args = Vec::new();
        if self.eat_punct(')') {
            return Ok(args);
        }
        loop {
            args.push(self.argument()?);
            if self.eat_punct(')') {
                return Ok(args);
            }
            self.expect_punct(',')?;
        }
    }

    fn argument(&mut self) -> Result<Argument> {
        let ext_attrs = self.ext_attrs()?;
        let optional = self.eat_ident("optional");
        let ty = self.type_with_ext_attrs()?;
        let variadic = !optional && self.peek() == &Tok::Ellipsis;
        if variadic {
            self.bump();
        }
        let name = self.identifier("the argument's name")?;
        let default = if optional && self.eat_punct('=') {
            Some(self.default_value()?)
        } else {
            None
        };
        Ok(Argument {
            name,
            ty,
            optional,
            variadic,
            default,
            ext_attrs,
        })
    }

    fn const_value(&mut self) -> Result<Value> {
        let v = match self.peek().clone() {
            Tok::Ident(s) if s == "true" || s == "false" => Value::Bool(s == "true"),
            Tok::Ident(s) if s == "Infinity" || s == "-Infinity" || s == "NaN" => Value::Float(s),
            Tok::Number(n) => Value::Number(n),
            _ => return Err(self.error("a constant value")),
        };
        self.bump();
        Ok(v)
    }

    fn default_value(&mut self) -> Result<Value> {
        if let Tok::Str(s) = self.peek().clone() {
            self.bump();
            return Ok(Value::String(s));
        }
        if self.eat_ident("null") {
            return Ok(Value::Null);
        }
        if self.eat_ident("undefined") {
            return Ok(Value::Undefined);
        }
        if self.eat_punct('[') {
            self.expect_punct(']')?;
            return Ok(Value::EmptySequence);
        }
        if self.eat_punct('{') {
            self.expect_punct('}')?;
            return Ok(Value::EmptyDictionary);
        }
        self.const_value()
    }

    fn type_with_ext_attrs(&mut self) -> Result<Type> {
        let ext_attrs = self.ext_attrs()?;
        let mut ty = self.ty()?;
        ty.ext_attrs = ext_attrs;
        Ok(ty)
    }

    fn ty(&mut self) -> Result<Type> {
        let kind = if self.eat_punct('(') {
            let mut members = vec![self.type_with_ext_attrs()?];
            while self.eat_ident("or") {
                members.push(self.type_with_ext_attrs()?);
            }
            self.expect_punct(')')?;
            if members.len() < 2 {
                return Err(self.error("`or` (a union has two types or more)"));
            }
            TypeKind::Union(members)
        } else {
            self.non_union_type()?
        };
        let nullable = self.eat_punct('?');
        Ok(Type {
            kind,
            nullable,
            ext_attrs: Vec::new(),
        })
    }

    fn non_union_type(&mut self) -> Result<TypeKind> {
        let Tok::Ident(word) = self.peek().clone() else {
            return Err(self.error("a type"));
        };
        self.bump();
        let simple = match word.as_str() {
            "any" => Some(TypeKind::Any),
            "object" => Some(TypeKind::Object),
            "symbol" => Some(TypeKind::Symbol),
            "undefined" => Some(TypeKind::Undefined),
            "boolean" => Some(TypeKind::Boolean),
            "byte" => Some(TypeKind::Byte),
            "octet" => Some(TypeKind::Octet),
            "bigint" => Some(TypeKind::BigInt),
            "DOMString" => Some(TypeKind::DomString),
            "ByteString" => Some(TypeKind::ByteString),
            "USVString" => Some(TypeKind::UsvString),
            "float" => Some(TypeKind::Float {
                unrestricted: false,
            }),
            "double" => Some(TypeKind::Double {
                unrestricted: false,
            }),
            _ => None,
        };
        if let Some(kind) = simple {
            return Ok(kind);
        }
        match word.as_str() {
            "unrestricted" => {
                if self.eat_ident("float") {
                    Ok(TypeKind::Float { unrestricted: true })
                } else if self.eat_ident("double") {
                    Ok(TypeKind::Double { unrestricted: true })
                } else {
                    Err(self.error("`float` or `double` after `unrestricted`"))
                }
            }
            "unsigned" | "short" | "long" => {
                let unsigned = word == "unsigned";
                let first = if unsigned {
                    self.identifier("`short` or `long` after `unsigned`")?
                } else {
                    word.clone()
                };
                match (first.as_str(), unsigned) {
                    ("short", false) => Ok(TypeKind::Short),
                    ("short", true) => Ok(TypeKind::UnsignedShort),
                    ("long", _) => {
                        let long_long = self.eat_ident("long");
                        Ok(match (long_long, unsigned) {
                            (false, false) => TypeKind::Long,
                            (false, true) => TypeKind::UnsignedLong,
                            (true, false) => TypeKind::LongLong,
                            (true, true) => TypeKind::UnsignedLongLong,
                        })
                    }
                    _ => {
                        self.pos -= 1;
                        Err(self.error("`short` or `long` after `unsigned`"))
                    }
                }
            }
            "sequence" | "async_sequence" | "FrozenArray" | "ObservableArray" | "Promise" => {
                self.expect_punct('<')?;
                let inner = Box::new(if word == "Promise" {
                    self.ty()?
                } else {
                    self.type_with_ext_attrs()?
                });
                self.expect_punct('>')?;
                Ok(match word.as_str() {
                    "sequence" => TypeKind::Sequence(inner),
                    "async_sequence" => TypeKind::AsyncSequence(inner),
                    "FrozenArray" => TypeKind::FrozenArray(inner),
                    "ObservableArray" => TypeKind::ObservableArray(inner),
                    _ => TypeKind::Promise(inner),
                })
            }
            "record" => {
                self.expect_punct('<')?;
                let key = self.ty()?;
                if !matches!(
                    &key.kind,
                    TypeKind::DomString | TypeKind::ByteString | TypeKind::UsvString
                ) {
                    return Err(self.error(&format!(
                        "a string type ({}) as the key of a record",
                        STRING_TYPES.join(", ")
                    )));
                }
                self.expect_punct(',')?;
                let value = self.type_with_ext_attrs()?;
                self.expect_punct('>')?;
                Ok(TypeKind::Record(Box::new(key), Box::new(value)))
            }
            _ => Ok(TypeKind::Named(
                word.strip_prefix('_').unwrap_or(&word).to_string(),
            )),
        }
    }

    /// `[...]` before a definition, member, argument or type; none is an empty list.
    fn ext_attrs(&mut self) -> Result<Vec<ExtAttr>> {
        let mut attrs = Vec::new();
        if !self.eat_punct('[') {
            return Ok(attrs);
        }
        self.within.push("an extended attribute".to_string());
        loop {
            attrs.push(self.ext_attr()?);
            if self.eat_punct(']') {
                break;
            }
            self.expect_punct(',')?;
        }
        self.within.pop();
        Ok(attrs)
    }

    fn ext_attr(&mut self) -> Result<ExtAttr> {
        let name = self.identifier("the name of an extended attribute")?;
        let mut attr = ExtAttr {
            name,
            value: None,
            list: Vec::new(),
            rhs: None,
            args: None,
        };
        if self.eat_punct('=') {
            if self.eat_punct('(') {
                // `=(A, B)`: identifiers, strings or numbers, all of one kind.
                loop {
                    let Some((kind, item)) = self.ext_attr_value() else {
                        return Err(self.error("an identifier, string or number in the list"));
                    };
                    if attr.rhs.is_some_and(|k| k != kind) {
                        return Err(self.error("an item of the same kind as the list's first"));
                    }
                    self.bump();
                    attr.rhs = Some(kind);
                    attr.list.push(item);
                    if self.eat_punct(')') {
                        break;
                    }
                    self.expect_punct(',')?;
                }
            } else if self.eat_punct('*') {
                attr.rhs = Some(RhsKind::Asterisk);
                attr.value = Some("*".to_string());
            } else if let Some((kind, value)) = self.ext_attr_value() {
                self.bump();
                attr.rhs = Some(kind);
                attr.value = Some(value);
            } else {
                return Err(self.error("a value after `=`"));
            }
        }
        if self.is_punct('(') {
            attr.args = Some(self.arguments()?);
        }
        Ok(attr)
    }

    /// The identifier (its `_` escape removed), string or number an extended attribute's
    /// `=` gives, without consuming it.
    fn ext_attr_value(&self) -> Option<(RhsKind, String)> {
        match self.peek() {
            Tok::Ident(s) => Some((
                RhsKind::Identifier,
                s.strip_prefix('_').unwrap_or(s).to_string(),
            )),
            Tok::Str(s) => Some((RhsKind::String, s.clone())),
            Tok::Number(s) => Some((RhsKind::Number, s.clone())),
            _ => None,
        }
    }
}
