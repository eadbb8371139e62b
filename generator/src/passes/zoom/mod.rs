//! The Zoom profile: what Zoom's documents say differs from what its API sends.

pub mod byte_sizes;
pub mod date_windows;
pub mod lenient_scalars;
pub mod rate_limit_labels;
pub mod string_bool_params;
pub mod stringly_enums;
pub mod token_pagination;
pub mod uuid_path_encoding;
pub mod vendor;
