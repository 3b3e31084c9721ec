//! Colours, fonts and sizes shared by every figure.

use plotters::style::RGBColor;

/// Okabe and Ito's palette, distinguishable with the common forms of colour blindness (black
/// first for the primary series).
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
];

/// Series colours in the order used: black, blue, vermillion, bluish green, reddish purple,
/// orange, sky blue (yellow is left out: too light on white).
const SERIES: [usize; 7] = [0, 5, 6, 3, 7, 1, 2];

/// Greys for the greyscale option, dark to light, distinct when printed.
const GREYS: [u8; 4] = [0, 90, 140, 180];

/// The look of a figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub greyscale: bool,
    /// Base font size in points; titles and ticks scale from it.
    pub font_pt: f64,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            greyscale: false,
            font_pt: 10.0,
        }
    }
}

impl Theme {
    /// The colour of series `i`.
    pub fn series(&self, i: usize) -> RGBColor {
        if self.greyscale {
            let g = GREYS[i % GREYS.len()];
            RGBColor(g, g, g)
        } else {
            OKABE_ITO[SERIES[i % SERIES.len()]]
        }
    }

    /// Fill for shaded regions (significance, observed range).
    pub fn shade(&self) -> RGBColor {
        if self.greyscale {
            RGBColor(225, 225, 225)
        } else {
            RGBColor(0xDD, 0xEE, 0xF8)
        }
    }

    /// The accent colour for marks (CI limits, Johnson-Neyman points).
    pub fn accent(&self) -> RGBColor {
        if self.greyscale {
            RGBColor(60, 60, 60)
        } else {
            OKABE_ITO[6]
        }
    }

    /// Box fill of diagram nodes.
    pub fn node_fill(&self, emphasised: bool) -> RGBColor {
        match (self.greyscale, emphasised) {
            (_, false) => RGBColor(255, 255, 255),
            (true, true) => RGBColor(235, 235, 235),
            (false, true) => RGBColor(0xE8, 0xF3, 0xFA),
        }
    }
}
