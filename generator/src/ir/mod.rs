//! The intermediate representation: plain data describing one API document's operations and
//! types, independent of `openapiv3`. Built by [`build`], rewritten by the passes, read by the
//! emitter. Serializes to a stable form for snapshot tests.

pub mod build;

use serde::Serialize;
use serde_json::Value;

/// One API document, ready for the passes.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// The Rust module the API is emitted into (`meetings`, `videosdk`).
    pub module: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The document's file name, for headers and reports.
    pub source: String,
    pub servers: Vec<String>,
    /// The rate-limit classes the API defines (a profile knows them), in its order; the
    /// operations' own classes are added to these.
    pub rate_classes: Vec<String>,
    pub operations: Vec<Operation>,
    /// All named types; a [`TypeId`] indexes this list.
    pub types: Vec<TypeDef>,
    /// Webhook events (OpenAPI 3.1 `webhooks`): event name and payload type.
    pub webhooks: Vec<Webhook>,
    /// How an app of the API's vendor signs in, in a sentence for the docs (a profile knows).
    pub sign_in: Option<String>,
    /// The runtime's value for the API's vendor, as a path under `zoomgen_runtime::vendor`
    /// (a profile knows); without one, the runtime's generic vendor.
    pub runtime_vendor: Option<String>,
    /// Derives asked of every type that some types cannot take, one line each (the report).
    pub skipped_derives: Vec<String>,
    /// Component schemas emitted whether or not anything uses them (setting
    /// `all-components`), always compiled.
    pub components: Vec<TypeRef>,
    /// Every schema that became untyped JSON, and why.
    pub untyped: Vec<Untyped>,
}

/// A schema emitted as `serde_json::Value`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Untyped {
    pub pointer: String,
    /// True when the schema really allows anything (`{}`, or an object with no properties).
    pub free_form: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The operationId as the document gives it (may contain `/` or spaces).
    pub operation_id: String,
    /// The Rust method name (assigned by the naming pass; unique within the API).
    pub fn_name: String,
    pub method: Method,
    pub path: String,
    /// The first tag, or `default`.
    pub tag: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub scopes: Vec<String>,
    pub granular_scopes: Vec<String>,
    /// The rate-limit class the operation counts against, named as the API names it (Zoom's
    /// rate-limit labels: `Light`, `Heavy`, …).
    pub rate_class: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Parameter>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    pub pagination: Option<Pagination>,
    /// Set when each request may cover only a limited date range (Zoom `date_windows` pass).
    pub date_windows: Option<DateWindows>,
    /// JSON pointer of the operation in its document.
    pub pointer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PathEncoding {
    Standard,
    /// Zoom meeting/webinar UUIDs: encoded twice when they start with `/` or contain `//`.
    DoubleWhenSlashes,
}

#[derive(Debug, Clone, Serialize)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// The Rust argument or builder-method name.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    pub path_encoding: PathEncoding,
    pub limits: Limits,
    pub default: Option<Value>,
    /// Holds a credential (pass `secret_fields`): redacted in `Debug`.
    pub secret: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BodyKind {
    Json,
    Multipart,
    FormUrlEncoded,
    Binary,
    Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    pub content_type: String,
    pub kind: BodyKind,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// `200`, `2XX`, `default`.
    pub status: String,
    pub description: Option<String>,
    pub body: Option<ResponseBody>,
    /// Names of the documented response headers (e.g. `Link`).
    pub headers: Vec<String>,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseBody {
    pub content_type: String,
    pub kind: BodyKind,
    pub ty: TypeRef,
}

/// How an operation pages through results.
#[derive(Debug, Clone, Serialize)]
pub enum Pagination {
    /// A cursor: the response field `response_field` holds the token of the next page (empty
    /// or absent on the last), sent back in the query parameter `request_param` (wire names;
    /// Zoom's are both `next_page_token`).
    Token {
        page: TypeRef,
        items: Option<PageItems>,
        request_param: String,
        response_field: String,
        /// How the API answers a token that expired, when it says so in a way of its own.
        expiry: Option<TokenExpiry>,
    },
    /// Webex: `Link: <…>; rel="next"` response header.
    Link {
        page: TypeRef,
        items: Option<PageItems>,
    },
}

/// An API error that means a page token expired: its numeric code, when its message contains
/// `message_contains` (or has none); the code may also mean other failures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenExpiry {
    pub code: i64,
    pub message_contains: String,
}

/// A token-paginated listing whose `from`/`to` date parameters may span at most a month per
/// request; it gets a method that lists any range in month windows, yielding each item once.
#[derive(Debug, Clone, Serialize)]
pub struct DateWindows {
    /// The wire names of the `from` and `to` query parameters.
    pub from: String,
    pub to: String,
    /// The wire name of the item field that identifies an item across windows (`uuid`).
    pub key: String,
}

/// The array field of a page whose elements an item stream yields.
#[derive(Debug, Clone, Serialize)]
pub struct PageItems {
    pub field: String,
    pub item: TypeRef,
}

#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    pub event: String,
    pub variant: String,
    pub description: Option<String>,
    pub ty: TypeRef,
}

/// A reference to a type: named, scalar, or a container of another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum TypeRef {
    Named(TypeId),
    Scalar(Scalar),
    Array(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Free-form JSON: the schema really allows anything.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Scalar {
    String,
    Integer { bits: u8 },
    Number,
    Boolean,
    Date,
    DateTime,
    Binary,
}

/// Numeric and length limits that the client checks before sending.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Limits {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    /// A regular expression the whole string must match (checked only when it is one the
    /// runtime's engine reads; see `emit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub id: TypeId,
    /// The Rust name (final after the naming pass).
    pub name: String,
    /// Where the schema sits, from the outside in, e.g. `["RecordingsList", "Response",
    /// "Meetings", "RecordingFiles"]`; the naming pass builds names from its tail.
    pub context: Vec<String>,
    /// JSON pointer of the schema this type was made from.
    pub pointer: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// A component schema name, which the naming pass keeps as it is.
    pub component: bool,
    /// Pointers of the equal schemas the dedupe pass merged into this type.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_pointers: Vec<String>,
    /// Derives the settings add to the type's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
    /// Untagged union: the first variant that decodes wins.
    Union(Vec<UnionVariant>),
    Alias(TypeRef),
    /// A Rust type the settings put in place of the schema (a path such as `my::Meeting`).
    External(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructDef {
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The name on the wire.
    pub name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    /// The document's `required`.
    pub required: bool,
    pub nullable: bool,
    /// Set in types of what the server sends (pass `received_required`): a body may lack the
    /// field even when the document marks it required.
    pub received: bool,
    /// What the value may arrive as besides its type (a profile pass knows).
    pub leniency: Leniency,
    /// Heap-allocate to break a cycle (set by the cycle pass).
    pub boxed: bool,
    /// Holds a credential or passcode (pass `secret_fields`): redacted in `Debug`.
    pub secret: bool,
    pub limits: Limits,
}

/// What a field's value may arrive as besides what its type says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Leniency {
    /// Only its type.
    #[default]
    Strict,
    /// A number may arrive as a string holding one (`"7220"`) or as an integral float.
    NumberAsText,
    /// `""` stands for absent (so the field is an `Option`).
    EmptyAsAbsent,
    /// An integer may arrive where text is documented (an id); it is kept as its digits.
    IntegerAsText,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDef {
    pub repr: EnumRepr,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EnumRepr {
    String,
    Integer,
    /// Digit strings (`"1"`…`"9"`) that the live API also sends as integers.
    DigitString,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumValue {
    pub wire: Value,
    /// The variant name (set by the open-enums pass).
    pub variant: String,
    /// From `x-enum-descriptions` when the document has one for this value.
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Heap-allocate to break a cycle (set by the cycle pass).
    pub boxed: bool,
}

impl Field {
    /// Whether the field may be absent, so its Rust type is an `Option`: not required, in
    /// what the server sends, `null` allowed, or `""` read as absent.
    pub fn is_optional(&self) -> bool {
        !self.required || self.received || self.nullable || self.leniency == Leniency::EmptyAsAbsent
    }

    /// Whether `None` is sent as `null` rather than left out: a field a request must carry
    /// that may be `null`.
    pub fn sends_null(&self) -> bool {
        self.required && self.nullable && !self.received
    }
}

impl Api {
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

impl TypeRef {
    /// Calls `f` on every type id this reference mentions.
    pub fn visit_ids(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) => f(*id),
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.visit_ids(f),
            TypeRef::Scalar(_) | TypeRef::Any => {}
        }
    }

    /// Rewrites every type id this reference mentions.
    pub fn map_ids(&mut self, f: &mut impl FnMut(TypeId) -> TypeId) {
        match self {
            TypeRef::Named(id) => *id = f(*id),
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.map_ids(f),
            TypeRef::Scalar(_) | TypeRef::Any => {}
        }
    }
}

impl TypeKind {
    /// Every type reference inside this kind, mutably.
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::Union(variants) => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
        }
    }

    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum(_) | TypeKind::External(_) => Vec::new(),
        }
    }
}

impl Operation {
    /// The types of the operation's parameters, body and response bodies.
    pub fn refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.params
            .iter()
            .map(|p| &p.ty)
            .chain(self.body.iter().map(|b| &b.ty))
            .chain(
                self.responses
                    .iter()
                    .filter_map(|r| r.body.as_ref().map(|b| &b.ty)),
            )
    }

    /// Every type reference of the operation, mutably (parameters, body, responses, pages).
    pub fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        let mut refs: Vec<&mut TypeRef> = self.params.iter_mut().map(|p| &mut p.ty).collect();
        refs.extend(self.body.iter_mut().map(|b| &mut b.ty));
        refs.extend(
            self.responses
                .iter_mut()
                .filter_map(|r| r.body.as_mut().map(|b| &mut b.ty)),
        );
        if let Some(Pagination::Token { page, items, .. } | Pagination::Link { page, items }) =
            &mut self.pagination
        {
            refs.push(page);
            refs.extend(items.iter_mut().map(|i| &mut i.item));
        }
        refs
    }
}
