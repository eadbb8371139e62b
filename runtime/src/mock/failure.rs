//! An error answer in the vendor's error body.

use serde_json::{Map, Value, json};
use wiremock::ResponseTemplate;

use crate::vendor::Vendor;

/// An error answer, written in the vendor's error body (its code and message fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    status: u16,
    code: Option<i64>,
    message: Option<String>,
    field_errors: Vec<(String, String)>,
}

impl Failure {
    /// An error answer with HTTP `status`.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            code: None,
            message: None,
            field_errors: Vec::new(),
        }
    }

    /// The vendor's numeric error code (Zoom's `3001`, "Meeting does not exist").
    pub fn code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// The error message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// A validation failure of one field.
    pub fn field_error(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.field_errors.push((field.into(), message.into()));
        self
    }

    /// The body `vendor` writes this error in.
    pub fn body(&self, vendor: &Vendor) -> Value {
        let shape = &vendor.error_body;
        let mut body = Map::new();
        if let (Some(field), Some(code)) = (shape.code, self.code) {
            body.insert(field.to_owned(), json!(code));
        }
        if let (Some(field), Some(message)) = (shape.message.first(), &self.message) {
            body.insert((*field).to_owned(), json!(message));
        }
        if !self.field_errors.is_empty() {
            let message_field = shape.error_message.first().copied().unwrap_or("message");
            let errors = self
                .field_errors
                .iter()
                .map(|(field, message)| json!({shape.error_field: field, message_field: message}))
                .collect();
            body.insert(shape.errors.to_owned(), Value::Array(errors));
        }
        Value::Object(body)
    }

    pub(super) fn answer(&self, vendor: &Vendor) -> ResponseTemplate {
        super::json_answer(self.status, &self.body(vendor))
    }
}
