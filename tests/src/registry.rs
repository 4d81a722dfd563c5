//! Every public generated type, listed by the build script from `generated.rs`.

include!(concat!(env!("OUT_DIR"), "/generated_types.rs"));
