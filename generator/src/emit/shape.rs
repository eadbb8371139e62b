//! What an operation's success responses decode to, which its `send` returns and its
//! pagination builds on.

use crate::ir::{BodyKind, Operation, TypeRef};

/// What a successful response decodes to.
pub(super) enum Shape {
    Unit,
    Json { ty: TypeRef, maybe_empty: bool },
    Bytes,
    Text,
    Raw,
    ByStatus(Vec<(String, Option<(BodyKind, TypeRef)>)>),
}

pub(super) fn shape(op: &Operation) -> Shape {
    let successes: Vec<_> = op.responses.iter().filter(|r| r.is_success()).collect();
    if successes.is_empty() {
        return Shape::Raw;
    }
    let mut bodies: Vec<(BodyKind, TypeRef)> = Vec::new();
    for body in successes.iter().filter_map(|r| r.body.as_ref()) {
        if !bodies.iter().any(|(k, t)| *k == body.kind && *t == body.ty) {
            bodies.push((body.kind, body.ty.clone()));
        }
    }
    match bodies.as_slice() {
        [] => Shape::Unit,
        [(BodyKind::Json, ty)] => Shape::Json {
            ty: ty.clone(),
            maybe_empty: successes.iter().any(|r| r.body.is_none()),
        },
        [(BodyKind::Text, _)] => Shape::Text,
        [_] => Shape::Bytes,
        _ => Shape::ByStatus(
            successes
                .iter()
                .map(|r| {
                    (
                        r.status.clone(),
                        r.body.as_ref().map(|b| (b.kind, b.ty.clone())),
                    )
                })
                .collect(),
        ),
    }
}
