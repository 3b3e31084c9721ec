//! Path diagrams: built as an intermediate representation ([`Diagram`]: boxes, arrows, labels,
//! positions), laid out automatically, then written as SVG/PNG, Graphviz DOT or TikZ.

mod build;
mod coef_labels;
mod conceptual;
mod dot;
mod draw;
pub mod ir;
mod key;
mod latent;
mod latent_curves;
mod latent_key;
mod latent_layout;
mod latent_portrait;
mod layered;
mod layout;
mod moderators;
mod statistical;
mod symbols;
mod tikz;

pub use coef_labels::{group_name_rect, HEAD};
pub use conceptual::conceptual;
pub use dot::to_dot;
pub use draw::DiagramFigure;
pub use ir::{
    bezier, polyline, Curve, Diagram, DiagramKind, Edge, Group, Key, Node, NodeKind, Rect, Route,
    Side, Target,
};
pub use latent::{latent, latent_in_group, LatentOptions, LatentValues};
pub use statistical::{stars, statistical, statistical_from_spec, CoefStyle};
pub use tikz::to_tikz;

pub use layout::remove_caption;
pub(crate) use layout::wrap_with;
