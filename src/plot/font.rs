//! The bundled font (DejaVu Sans, licence in assets/fonts/LICENSE-DejaVu.txt): text renders the
//! same on every machine with no system fonts.

use std::sync::OnceLock;

use plotters::style::{FontStyle, IntoFont};

/// The family name figures ask for; registered with plotters once.
pub const FAMILY: &str = "sans-serif";

pub(super) static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(super) static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the bundled font with plotters (idempotent); false if it could not be read.
pub fn ensure() -> bool {
    *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD).is_ok()
    })
}

/// Width of `text` at `size` points in the bundled font (points).
pub fn text_width(text: &str, size: f64) -> f64 {
    if ensure() {
        // Measured at 10x for sub-point resolution: plotters returns whole units.
        if let Ok((w, _)) = (FAMILY, size * 10.0).into_font().box_size(text) {
            return w as f64 / 10.0;
        }
    }
    // DejaVu Sans averages about 0.6 em per character.
    0.6 * size * text.chars().count() as f64
}
