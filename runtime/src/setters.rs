//! Builder-style setters for the configuration types, written once: a `#[non_exhaustive]`
//! type is configured only through them, and each is the same three lines.

/// `setters! { /// docs \n fn name(field: Type); … }` writes, for each line,
/// `pub fn name(mut self, field: Type) -> Self`, which sets `self.field` and returns `self`.
/// `setters! { in settings; … }` sets `self.settings.field` instead.
macro_rules! setters {
    (in $inner:ident; $($(#[$attribute:meta])* fn $name:ident($field:ident: $type:ty);)*) => {
        $(
            $(#[$attribute])*
            pub fn $name(mut self, $field: $type) -> Self {
                self.$inner.$field = $field;
                self
            }
        )*
    };
    ($($(#[$attribute:meta])* fn $name:ident($field:ident: $type:ty);)*) => {
        $(
            $(#[$attribute])*
            pub fn $name(mut self, $field: $type) -> Self {
                self.$field = $field;
                self
            }
        )*
    };
}
