//! Pass `secret_fields`: string fields and parameters that hold credentials are secrets.
//!
//! Meeting and recording bodies carry passcodes and tokens (`password`, `h323_password`,
//! `recording_play_passcode`, `download_token`, `encrypted_password`); with a derived `Debug`
//! logging a decoded webhook would print them. Their Rust type becomes the runtime's `Secret`,
//! which prints as `[redacted]` and gives the value by an explicit `expose()`; on the wire
//! nothing changes. Page tokens are cursors, not credentials, and stay strings.

use crate::ir::{Api, Scalar, TypeKind, TypeRef};

/// Words that make a property or parameter name a credential.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passcode",
    "passwd",
    "secret",
    "private_key",
    "api_key",
];

/// Whether a wire name names a credential.
pub fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('-', "_");
    let token = name.ends_with("token") && !name.ends_with("page_token");
    token || SECRET_WORDS.iter().any(|word| name.contains(word))
}

pub fn run(api: &mut Api) {
    let string = TypeRef::Scalar(Scalar::String);
    for def in &mut api.types {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.secret = field.ty == string && is_secret_name(&field.name);
            }
        }
    }
    for op in &mut api.operations {
        for param in &mut op.params {
            param.secret = param.ty == string && is_secret_name(&param.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn credentials_are_told_from_cursors() {
        for secret in [
            "password",
            "h323_password",
            "encrypted_password",
            "recording_play_passcode",
            "download_token",
            "download_access_token",
            "access_token",
            "client_secret",
            "x-api-key",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for plain in ["next_page_token", "topic", "token_type", "page_size"] {
            assert!(!is_secret_name(plain), "{plain}");
        }
    }
}
