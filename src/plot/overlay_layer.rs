//! Draws the moving layer: the crate's tracks (purple diamonds), a pasted block's tracks
//! (teal squares), lines to the matches,
//! the matches highlighted and the query point, straight onto a transparent canvas with
//! the 2D context (a handful of shapes, redrawn per change).

use std::f64::consts::TAU;

use moodplane_core::{Catalog, Match, Mood, PlotArea, Query};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The pasted layer's colour (also in the legend, static/style.css `.pasted-swatch`).
pub const PASTED_FILL: &str = "rgb(0, 150, 136)";

fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
}

fn disc(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), radius: f64) {
    ctx.begin_path();
    let _ = ctx.arc(x, y, radius, 0.0, TAU);
}

/// What the overlay shows, bottom to top.
pub struct Layers<'a> {
    pub query: Query,
    pub matches: &'a [Match],
    /// A pasted block's placed tracks (teal squares).
    pub pasted: &'a [Query],
    /// The crate's tracks (purple diamonds).
    pub collected: &'a [Mood],
}

/// The crate layer's colour (also in the legend, static/style.css `.crate`).
pub const CRATE_FILL: &str = "rgb(123, 31, 162)";

/// Clears the overlay and draws the layers, the query point on top.
pub fn draw(canvas: &HtmlCanvasElement, catalog: &Catalog, area: PlotArea, layers: Layers) {
    let Layers {
        query,
        matches,
        pasted,
        collected,
    } = layers;
    let Some(ctx) = context(canvas) else { return };
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);

    ctx.set_fill_style_str(CRATE_FILL);
    ctx.set_stroke_style_str("#ffffff");
    ctx.set_line_width(1.0);
    for mood in collected {
        let (x, y) = area.to_pixel(*mood);
        ctx.begin_path();
        ctx.move_to(x, y - 6.0);
        ctx.line_to(x + 6.0, y);
        ctx.line_to(x, y + 6.0);
        ctx.line_to(x - 6.0, y);
        ctx.close_path();
        ctx.fill();
        ctx.stroke();
    }

    ctx.set_fill_style_str(PASTED_FILL);
    ctx.set_stroke_style_str("#004d40");
    ctx.set_line_width(1.0);
    for q in pasted {
        let (x, y) = area.to_pixel(q.mood);
        ctx.fill_rect(x - 5.0, y - 5.0, 10.0, 10.0);
        ctx.stroke_rect(x - 5.0, y - 5.0, 10.0, 10.0);
    }

    let centre = area.to_pixel(query.mood);
    // Lines from the query to each match make the distances visible.
    ctx.set_stroke_style_str("rgba(90, 42, 0, 0.45)");
    ctx.set_line_width(1.0);
    ctx.begin_path();
    for m in matches {
        let (x, y) = area.to_pixel(catalog.moods()[m.index]);
        ctx.move_to(centre.0, centre.1);
        ctx.line_to(x, y);
    }
    ctx.stroke();

    ctx.set_fill_style_str("rgba(240, 120, 20, 0.9)");
    ctx.set_stroke_style_str("#5a2a00");
    ctx.set_line_width(1.0);
    // Farthest first, so the nearest match is drawn on top.
    for m in matches.iter().rev() {
        disc(&ctx, area.to_pixel(catalog.moods()[m.index]), 5.0);
        ctx.fill();
        ctx.stroke();
    }

    ctx.set_line_width(3.0);
    ctx.set_stroke_style_str("#ffffff");
    disc(&ctx, centre, 10.0);
    ctx.stroke();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str("#111111");
    disc(&ctx, centre, 10.0);
    ctx.stroke();
    ctx.set_fill_style_str("#111111");
    disc(&ctx, centre, 3.0);
    ctx.fill();
}
