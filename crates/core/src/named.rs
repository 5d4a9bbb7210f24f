//! Enums named on the command line and in `logs.toml` (output formats,
//! audit periods), as plain library types with no CLI dependency: each
//! variant has the name people type and a line of help. Each command has its
//! own format enum, so its `--help` lists only what works.

/// An enum chosen by name: its variants with their names and help.
pub trait Named: Copy + PartialEq + Send + Sync + 'static {
    /// Every variant with its name and a line of help, default first.
    const ALL: &'static [(Self, &'static str, &'static str)];

    /// The name people type.
    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(v, _, _)| *v == self)
            .map_or("?", |(_, n, _)| *n)
    }

    /// The variant of a name.
    fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(v, _, _)| *v)
    }

    /// The names, for error messages.
    fn names() -> String {
        Self::ALL
            .iter()
            .map(|(_, n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[macro_export]
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal : $help:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $(#[doc = $help] $variant),+
        }

        impl $crate::named::Named for $name {
            const ALL: &'static [(Self, &'static str, &'static str)] =
                &[$(($name::$variant, $text, $help)),+];
        }

        /// Read by name (as in `logs.toml`), so a wrong name is an error
        /// at its line that lists the names.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                <Self as $crate::named::Named>::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "{text:?} is not one of {}",
                        <Self as $crate::named::Named>::names()
                    ))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::named::Named::name(*self))
            }
        }
    };
}
