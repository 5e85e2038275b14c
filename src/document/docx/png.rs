//! The PNG fallback of a chart, for Word versions that cannot show SVG.
//!
//! Rendered in-process with `resvg`. Text needs a font, and a system font
//! would make the picture differ between machines, so only the embedded
//! Liberation Sans (metrically compatible with Arial, which the charts ask
//! for) is loaded, and every generic family maps to it.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

/// Pixels per SVG pixel. One, as Word renders its own fallbacks (96 dpi):
/// the fallback only shows in Word versions from before 2016, and a chart
/// costs about a quarter of the time it would at twice the size.
const SCALE: f32 = 1.0;
const FAMILY: &str = "Liberation Sans";

/// A rendered chart.
#[derive(Debug)]
pub(crate) struct Png {
    pub bytes: Vec<u8>,
}

fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(include_bytes!("../fonts/LiberationSans-Regular.ttf").to_vec());
            db.load_font_data(include_bytes!("../fonts/LiberationSans-Bold.ttf").to_vec());
            db.set_sans_serif_family(FAMILY);
            db.set_serif_family(FAMILY);
            db.set_monospace_family(FAMILY);
            db.set_cursive_family(FAMILY);
            db.set_fantasy_family(FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Renders an SVG to PNG on white; the same SVG always gives the same bytes.
pub(crate) fn render_png(svg: &str) -> Result<Png, String> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts(),
        languages: vec!["nl".to_string()],
        // A chart never loads a file or a data URL.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size();
    let width = (size.width() * SCALE).ceil() as u32;
    let height = (size.height() * SCALE).ceil() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot render a chart of {width}×{height} pixels"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    // Opaque: RGB without the alpha channel; fast compression (the charts are
    // flat colours, so it costs little size).
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for pixel in pixmap.data().chunks_exact(4) {
        rgb.extend_from_slice(&pixel[..3]);
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&rgb))
        .map_err(|e| e.to_string())?;
    Ok(Png { bytes })
}
