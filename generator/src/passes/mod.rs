//! Fixup passes: functions IR → IR, each in its own file with the quirk it fixes. Generic
//! passes run for every document; a vendor profile adds its own.

pub mod derive_support;
pub mod generic;
pub mod settings;
pub mod webex;
pub mod zoom;

use crate::ir::Api;

pub use crate::settings::Profile;

/// Runs every pass of `profile` in order.
pub fn run(mut api: Api, profile: Profile) -> Api {
    generic::field_names::run(&mut api);
    generic::secret_fields::run(&mut api);
    match profile {
        Profile::Zoom => zoom::vendor::run(&mut api),
        Profile::Webex => webex::vendor::run(&mut api),
        Profile::None => {}
    }
    if profile == Profile::Zoom {
        zoom::rate_limit_labels::run(&mut api);
        zoom::stringly_enums::run(&mut api);
        zoom::byte_sizes::run(&mut api);
        zoom::lenient_scalars::run(&mut api);
        zoom::string_bool_params::run(&mut api);
        zoom::uuid_path_encoding::run(&mut api);
    }
    generic::inline_aliases::run(&mut api);
    // Variant names say what values mean, so enums are named before de-duplication: two
    // enums of the same digits with different meanings (`weekly_days` and a meeting `type`)
    // stay apart.
    generic::open_enums::run(&mut api);
    generic::received_required::run(&mut api);
    generic::dedupe_types::run(&mut api);
    match profile {
        Profile::Zoom => {
            zoom::token_pagination::run(&mut api);
            zoom::date_windows::run(&mut api);
        }
        Profile::Webex => webex::link_pagination::run(&mut api),
        Profile::None => {}
    }
    generic::type_names::run(&mut api);
    generic::operation_names::run(&mut api);
    generic::break_cycles::run(&mut api);
    api
}
