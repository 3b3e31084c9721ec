//! The framework's canonical models (models/framework/), embedded so `--spec framework:NAME`
//! works from any directory: collaboration activity mediating network ties -> export intensity,
//! with firm size, ownership and cultural distance as moderators (see models/framework/README.md).

/// Names accepted by [`model`].
pub const NAMES: [&str; 6] = [
    "mediation",
    "size_first_stage",
    "ownership_second_stage",
    "distance_second_stage",
    "combined",
    "size_cooperation",
];

/// Names of the framework's latent-variable models (lavaan syntax, fitted by `cipa sem`; `fit`
/// reads observed variables only).
pub const SEM_NAMES: [&str; 1] = ["latent_mediation"];

/// The path-syntax text of a framework model.
pub fn model(name: &str) -> Option<&'static str> {
    Some(match name {
        "mediation" => include_str!("../../models/framework/mediation.cipa"),
        "size_first_stage" => include_str!("../../models/framework/size_first_stage.cipa"),
        "ownership_second_stage" => {
            include_str!("../../models/framework/ownership_second_stage.cipa")
        }
        "distance_second_stage" => {
            include_str!("../../models/framework/distance_second_stage.cipa")
        }
        "combined" => include_str!("../../models/framework/combined.cipa"),
        "size_cooperation" => include_str!("../../models/framework/size_cooperation.cipa"),
        "latent_mediation" => include_str!("../../models/framework/latent_mediation.lav"),
        _ => return None,
    })
}
