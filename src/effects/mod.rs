//! Direct, indirect, total and conditional effects, indices of moderated mediation and contrasts,
//! each a function of the coefficient vectors and probe values (one algebra for every model:
//! derivatives of equations are polynomials in the moderators; paths multiply them), and the
//! counterfactually defined natural and controlled effects of a mediation with an X×M
//! interaction (`counterfactual.rs`).

mod compiled;
mod counterfactual;
mod curve;
mod plan;
mod poly;
pub mod probe;
mod quadratic_curve;
mod turning;

pub use compiled::{CompiledCurves, CompiledPlan};
pub use counterfactual::{counterfactual_effects, CounterfactualModel};
pub use curve::{significance_regions, CurveDef};
pub use plan::{EffectDef, EffectKind, EffectPlan, EqShape, Moderator, PlanError, ProbePoint};
pub use poly::Poly;
pub use quadratic_curve::{quadratic_curve, QuadraticCurve};
pub use turning::{
    fieller, quadratic_tests, quadratic_variables, slope_at, turning_point, u_test, EndSlope,
    Fieller, Position, Quadratic, QuadraticTests, Reference, Shape, TurningBoot, TurningPoint,
    UTest,
};
