//! PNG encoding with the resolution recorded (pHYs), so a 300 dpi figure is placed at its size
//! by word processors and LaTeX; plotters' own encoder does not write it.

use super::PlotError;

/// Pixels per metre at `dpi`.
pub fn pixels_per_metre(dpi: f64) -> u32 {
    (dpi / 0.0254).round() as u32
}

/// Encodes an RGB8 buffer (`w × h × 3` bytes) as PNG at `dpi`.
pub fn encode_rgb(
    rgb: &[u8],
    w: u32,
    h: u32,
    dpi: f64,
    figure: &str,
) -> Result<Vec<u8>, PlotError> {
    let fail = |e: png::EncodingError| PlotError::Render {
        figure: figure.to_string(),
        message: format!("PNG encoding: {e}"),
    };
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Smaller files for the same pixels (anti-aliased plots compress poorly otherwise).
        enc.set_compression(png::Compression::Best);
        enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let ppm = pixels_per_metre(dpi);
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        // Marks the file as cipa's, so a later run may replace it (cli::output::written_by_cipa).
        enc.add_text_chunk("Software".into(), format!("cipa {}", crate::VERSION))
            .map_err(fail)?;
        let mut writer = enc.write_header().map_err(fail)?;
        writer.write_image_data(rgb).map_err(fail)?;
        writer.finish().map_err(fail)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_300_dpi_and_decodes() {
        let rgb = vec![200u8; 4 * 3 * 3];
        let bytes = encode_rgb(&rgb, 4, 3, 300.0, "test").unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = dec.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (4, 3));
        let dims = info.pixel_dims.unwrap();
        assert_eq!(dims.xppu, 11811);
        assert_eq!(dims.unit, png::Unit::Meter);
    }
}
