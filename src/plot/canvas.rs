//! One figure, two outputs: the same drawing code renders to SVG (sized in CSS pixels, so it
//! shows at its physical size) and to PNG (at the requested dpi, with the dpi recorded).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{font, png, PlotError};

/// A figure that can draw itself on any plotters backend. Sizes are in points (1/72 inch);
/// `scale` converts points to the backend's pixels.
pub trait Figure {
    /// What the figure is, for error messages.
    fn title(&self) -> String;
    /// Width and height in points.
    fn size_pt(&self) -> (f64, f64);
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        scale: f64,
    ) -> Result<(), String>
    where
        DB::ErrorType: 'static;
}

/// Any backend error as text.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn pixels(fig: &impl Figure, scale: f64) -> (u32, u32) {
    let (w, h) = fig.size_pt();
    ((w * scale).round() as u32, (h * scale).round() as u32)
}

fn render_error(fig: &impl Figure, message: String) -> PlotError {
    PlotError::Render {
        figure: fig.title(),
        message,
    }
}

/// The figure as an SVG document (96 px per inch).
pub fn to_svg(fig: &impl Figure) -> Result<String, PlotError> {
    font::ensure();
    let scale = 96.0 / 72.0;
    let size = pixels(fig, scale);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| render_error(fig, err(e)))?;
        fig.draw(&root, scale).map_err(|e| render_error(fig, e))?;
        root.present().map_err(|e| render_error(fig, err(e)))?;
    }
    Ok(out)
}

/// The figure as a PNG at `dpi` (pixel size = inches × dpi), with the resolution recorded.
pub fn to_png(fig: &impl Figure, dpi: f64) -> Result<Vec<u8>, PlotError> {
    font::ensure();
    let scale = dpi / 72.0;
    let (w, h) = pixels(fig, scale);
    let mut buf = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| render_error(fig, err(e)))?;
        fig.draw(&root, scale).map_err(|e| render_error(fig, e))?;
        root.present().map_err(|e| render_error(fig, err(e)))?;
    }
    png::encode_rgb(&buf, w, h, dpi, &fig.title())
}
