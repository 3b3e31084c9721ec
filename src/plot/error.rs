use thiserror::Error;

/// Why a figure could not be made.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlotError {
    /// A `--labels` list that cannot be read; `item` is the offending entry.
    #[error("--labels: cannot read '{item}': {message} (write name=Label pairs separated by commas, e.g. collab=Collaboration,export_intensity=Export intensity)")]
    Labels { item: String, message: String },
    /// The model or analysis has nothing this figure can show.
    #[error("cannot draw the {figure}: {message}")]
    NotApplicable { figure: String, message: String },
    /// Input to a plot is inconsistent (for example series of different lengths).
    #[error("cannot draw the {figure}: {message}")]
    Input { figure: String, message: String },
    /// The drawing backend or the PNG encoder failed.
    #[error("drawing the {figure} failed: {message}")]
    Render { figure: String, message: String },
}
