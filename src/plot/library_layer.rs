//! Draws the person's libraries as their own layer (orange rings; filled squares past a
//! few thousand tracks), on a canvas of its own: redrawn only when a library opens or
//! closes or the layer is switched, never during a drag.

use moodplane_core::{Mood, PlotArea};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The library layer's colour (also the legend's swatch, static/style.css `.library-swatch`).
pub const LIBRARY_STROKE: &str = "rgb(230, 81, 0)";

/// Past this many tracks, rings would hide the plane: small squares instead.
const RINGS_UP_TO: usize = 3_000;

pub fn draw(canvas: &HtmlCanvasElement, area: PlotArea, points: &[Mood]) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    if points.len() <= RINGS_UP_TO {
        ctx.set_stroke_style_str(LIBRARY_STROKE);
        ctx.set_line_width(1.5);
        for mood in points {
            let (x, y) = area.to_pixel(*mood);
            ctx.begin_path();
            let _ = ctx.arc(x, y, 4.0, 0.0, std::f64::consts::TAU);
            ctx.stroke();
        }
    } else {
        ctx.set_fill_style_str("rgba(230, 81, 0, 0.5)");
        for mood in points {
            let (x, y) = area.to_pixel(*mood);
            ctx.fill_rect(x - 1.5, y - 1.5, 3.0, 3.0);
        }
    }
}
