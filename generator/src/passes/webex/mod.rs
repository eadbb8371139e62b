//! The Webex profile.

pub mod link_pagination;
pub mod vendor;
