//! The syntax tree of a WebIDL file, as the WebIDL standard's grammar
//! (<https://webidl.spec.whatwg.org/#idl-grammar>) describes it. Every definition and
//! member keeps where it was written ([`Span`]), so later stages can name it.

/// A position in an IDL file (1-based line and column, in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

/// One top-level definition.
#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    /// `interface`, `interface mixin`, `callback interface` and `namespace`, partial or not.
    Interface(Interface),
    Dictionary(Dictionary),
    Enum(Enum),
    Typedef(Typedef),
    /// `A includes B;`
    Includes {
        target: String,
        mixin: String,
        ext_attrs: Vec<ExtAttr>,
        span: Span,
    },
    /// `callback Name = ReturnType (args);`
    Callback(Callback),
}

impl Definition {
    /// The name the definition declares or extends.
    pub fn name(&self) -> &str {
        match self {
            Definition::Interface(i) => &i.name,
            Definition::Dictionary(d) => &d.name,
            Definition::Enum(e) => &e.name,
            Definition::Typedef(t) => &t.name,
            Definition::Includes { target, .. } => target,
            Definition::Callback(c) => &c.name,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Definition::Interface(i) => i.span,
            Definition::Dictionary(d) => d.span,
            Definition::Enum(e) => e.span,
            Definition::Typedef(t) => t.span,
            Definition::Includes { span, .. } => *span,
            Definition::Callback(c) => c.span,
        }
    }
}

/// What kind of interface-like definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterfaceKind {
    Interface,
    Mixin,
    CallbackInterface,
    Namespace,
}

impl InterfaceKind {
    /// The keywords that introduce it, for messages.
    pub fn keyword(self) -> &'static str {
        match self {
            InterfaceKind::Interface => "interface",
            InterfaceKind::Mixin => "interface mixin",
            InterfaceKind::CallbackInterface => "callback interface",
            InterfaceKind::Namespace => "namespace",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interface {
    pub kind: InterfaceKind,
    pub partial: bool,
    pub name: String,
    pub inherits: Option<String>,
    pub ext_attrs: Vec<ExtAttr>,
    pub members: Vec<Member>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary {
    pub partial: bool,
    pub name: String,
    pub inherits: Option<String>,
    pub ext_attrs: Vec<ExtAttr>,
    pub members: Vec<DictionaryMember>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DictionaryMember {
    pub name: String,
    pub ty: Type,
    pub required: bool,
    pub default: Option<Value>,
    pub ext_attrs: Vec<ExtAttr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub name: String,
    pub values: Vec<String>,
    pub ext_attrs: Vec<ExtAttr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Typedef {
    pub name: String,
    pub ty: Type,
    pub ext_attrs: Vec<ExtAttr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub name: String,
    pub ret: Type,
    pub args: Vec<Argument>,
    pub ext_attrs: Vec<ExtAttr>,
    pub span: Span,
}

/// A member of an interface, mixin, callback interface or namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub kind: MemberKind,
    pub ext_attrs: Vec<ExtAttr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MemberKind {
    Const {
        name: String,
        ty: Type,
        value: Value,
    },
    Attribute {
        name: String,
        ty: Type,
        readonly: bool,
        is_static: bool,
        inherit: bool,
        stringifier: bool,
    },
    /// A regular, static or special operation. `name` is `None` for an unnamed special
    /// operation (`getter any (unsigned long index);`).
    Operation {
        name: Option<String>,
        ret: Type,
        args: Vec<Argument>,
        is_static: bool,
        special: Option<Special>,
    },
    Constructor {
        args: Vec<Argument>,
    },
    /// A bare `stringifier;`.
    Stringifier,
    /// `iterable<V>`, `iterable<K, V>`, `async iterable<...>(args)`.
    Iterable {
        key: Option<Type>,
        value: Type,
        is_async: bool,
        args: Vec<Argument>,
    },
    Maplike {
        key: Type,
        value: Type,
        readonly: bool,
    },
    Setlike {
        value: Type,
        readonly: bool,
    },
}

/// `getter`, `setter`, `deleter` and (on an operation) `stringifier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Getter,
    Setter,
    Deleter,
    Stringifier,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: String,
    pub ty: Type,
    pub optional: bool,
    pub variadic: bool,
    pub default: Option<Value>,
    pub ext_attrs: Vec<ExtAttr>,
}

/// A WebIDL type, with its `?` and the extended attributes written on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Type {
    pub kind: TypeKind,
    pub nullable: bool,
    pub ext_attrs: Vec<ExtAttr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Any,
    Object,
    Symbol,
    Undefined,
    Boolean,
    Byte,
    Octet,
    Short,
    UnsignedShort,
    Long,
    UnsignedLong,
    LongLong,
    UnsignedLongLong,
    Float {
        unrestricted: bool,
    },
    Double {
        unrestricted: bool,
    },
    BigInt,
    DomString,
    ByteString,
    UsvString,
    Sequence(Box<Type>),
    /// `async_sequence<T>`: an async iterable the platform reads.
    AsyncSequence(Box<Type>),
    FrozenArray(Box<Type>),
    ObservableArray(Box<Type>),
    Promise(Box<Type>),
    Record(Box<Type>, Box<Type>),
    Union(Vec<Type>),
    /// An interface, dictionary, enum, typedef or callback name, or a buffer type
    /// (`ArrayBuffer`, `Uint8Array`, …).
    Named(String),
}

/// A constant or default value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Null,
    /// An integer or decimal literal, as written.
    Number(String),
    /// `Infinity`, `-Infinity`, `NaN`.
    Float(String),
    String(String),
    EmptySequence,
    EmptyDictionary,
    Undefined,
}

/// An extended attribute: `[Name]`, `[Name=Value]`, `[Name=(A, B)]`, `[Name(args)]`,
/// `[Name=Value(args)]`. The right-hand side is kept as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtAttr {
    pub name: String,
    /// The identifier (its `_` escape removed), string (its quotes removed), number or
    /// `*` after `=`.
    pub value: Option<String>,
    /// The identifiers (or strings, or numbers) of `=(A, B)`.
    pub list: Vec<String>,
    /// What `value` or the items of `list` were written as; `None` without `=`.
    pub rhs: Option<RhsKind>,
    pub args: Option<Vec<Argument>>,
}

/// The kind of token on the right-hand side of an extended attribute: `[Reflect=rel]`
/// names something, `[Reflect="rel"]` is a string (kept without its quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RhsKind {
    Identifier,
    String,
    Number,
    /// `[Exposed=*]`.
    Asterisk,
}

/// Whether `attrs` holds `[name]` (in any form).
pub fn has_ext_attr(attrs: &[ExtAttr], name: &str) -> bool {
    attrs.iter().any(|a| a.name == name)
}
