//! Open enums: string enums that keep values this SDK version does not know.
//!
//! Gigs adds enum values over time (subscription `status` gained `initiated`) and promises that
//! doing so is not a breaking change. A closed Rust enum would turn such a value into a decode
//! error for the whole response, so every string enum of the API is declared with
//! [`open_enum!`], which adds an `Unknown(String)` variant that keeps the value verbatim.
//! `cargo xtask generate` writes one invocation per enum of `openapi.yaml`.

#[cfg(feature = "schemars")]
use schemars::schema::{InstanceType, Schema, SchemaObject, SubschemaValidation};

/// Declares an open string enum: the known variants with their wire values, plus
/// `Unknown(String)`, with `Display`, `FromStr` (infallible), serde and (with the `schemars`
/// feature) `JsonSchema` impls.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this version of the SDK does not know, kept exactly as received.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value this version of the SDK knows, in the order of the spec.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )+
                    $name::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one this version of the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => $name::$variant, )+
                    _ => $name::Unknown(value),
                }
            }
        }

        impl ::std::convert::From<&::std::string::String> for $name {
            fn from(value: &::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::stringify!($name).to_owned()
            }

            fn json_schema(_: &mut ::schemars::gen::SchemaGenerator) -> ::schemars::schema::Schema {
                $crate::open_enum::schema(&[$($value),+])
            }
        }
    };
}

pub(crate) use open_enum;

/// The JSON Schema of an open enum: any of the known values, or any other string.
#[cfg(feature = "schemars")]
pub(crate) fn schema(known: &[&str]) -> Schema {
    let known_values = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        enum_values: Some(known.iter().map(|value| (*value).into()).collect()),
        ..Default::default()
    };
    let any_other = SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        ..Default::default()
    };
    SchemaObject {
        subschemas: Some(Box::new(SubschemaValidation {
            any_of: Some(vec![known_values.into(), any_other.into()]),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}
