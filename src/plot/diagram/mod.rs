//! Path diagrams: built as an intermediate representation ([`Diagram`]: boxes, arrows, labels,
//! positions), laid out automatically, then written as SVG/PNG, Graphviz DOT or TikZ.

mod build;
mod dot;
mod draw;
pub mod ir;
mod layout;
mod tikz;

pub use build::{conceptual, stars, statistical, statistical_from_spec, CoefStyle};
pub use dot::to_dot;
pub use draw::DiagramFigure;
pub use ir::{Diagram, DiagramKind, Edge, Node, NodeKind, Rect, Target};
pub use tikz::to_tikz;

pub(crate) use layout::wrap;
