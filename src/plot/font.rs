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

/// plotters draws a font of size `s` with an em of `s / 1.24` (its SVG backend writes
/// `font-size = s / 1.24`, its bitmap backend scales glyphs to the same em), so a size handed to
/// plotters is the size in points times this.
pub const PLOTTERS_EM: f64 = 1.24;

/// The plotters font size that draws text `size_pt` points high at `scale` pixels per point.
pub fn px(size_pt: f64, scale: f64) -> f64 {
    size_pt * scale * PLOTTERS_EM
}

/// Width of `text` at `size` points in the bundled font (points).
pub fn text_width(text: &str, size: f64) -> f64 {
    if ensure() {
        // Measured at 10x for sub-point resolution: plotters returns whole units.
        if let Ok((w, _)) = (FAMILY, px(size, 10.0)).into_font().box_size(text) {
            return w as f64 / 10.0;
        }
    }
    // DejaVu Sans averages about 0.6 em per character.
    0.6 * size * text.chars().count() as f64
}

/// The characters of `text` the bundled font has no glyph for (they would print as empty
/// boxes): CJK, emoji and the like. Each listed once, in order of appearance.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    use ab_glyph::Font;
    static FONT: OnceLock<Option<ab_glyph::FontRef<'static>>> = OnceLock::new();
    let Some(font) = FONT.get_or_init(|| ab_glyph::FontRef::try_from_slice(REGULAR).ok()) else {
        return Vec::new();
    };
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !c.is_control() && !c.is_whitespace() && font.glyph_id(c).0 == 0 && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_characters_the_font_cannot_draw() {
        assert!(super::missing_glyphs("Export intensity × Größe (%) – ä").is_empty());
        assert_eq!(
            super::missing_glyphs("輸出 意図"),
            vec!['輸', '出', '意', '図']
        );
        assert_eq!(super::missing_glyphs("ties 🤝🤝"), vec!['🤝']);
    }
}
