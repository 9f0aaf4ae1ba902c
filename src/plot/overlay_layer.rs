//! Draws the moving layer: the crate's tracks (purple diamonds), a pasted block's tracks
//! (teal squares), lines to the matches (or a shape: a journey's path, waypoints and
//! chosen tracks joined in order with arrows; a region; a radius's circle), the matches highlighted and the query point,
//! straight onto a transparent canvas with the 2D context (redrawn per change).

use std::f64::consts::TAU;

use moodplane_core::journey::{Journey, Stop};
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

/// What the overlay shows of a journey, a region or a radius.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShapeLayer {
    /// The path or region as used (a drawn stroke after smoothing), possibly one point.
    pub vertices: Vec<Mood>,
    /// A region: the last vertex joins the first, and the inside is tinted.
    pub closed: bool,
    /// A radius: the ellipse's semi-axes (valence, energy) around the query point.
    pub ellipse: Option<(f64, f64)>,
    /// The waypoints, when the path is complete.
    pub waypoints: Vec<Mood>,
    /// The chosen tracks' moods, in path order.
    pub chosen: Vec<Mood>,
}

impl ShapeLayer {
    /// A journey as the plane draws it: the path as drawn, and once its list is here the
    /// rule's waypoints and the moods of the tracks chosen (`mood_of` a stop's track).
    pub fn journey(
        vertices: Vec<Mood>,
        planned: Option<(&Journey, &[Stop])>,
        mood_of: impl Fn(usize) -> Mood,
    ) -> ShapeLayer {
        let (waypoints, chosen) = planned.map_or((Vec::new(), Vec::new()), |(journey, stops)| {
            (
                journey.path.waypoints(journey.rule.stops),
                stops.iter().map(|s| mood_of(s.chosen.index)).collect(),
            )
        });
        ShapeLayer {
            vertices,
            waypoints,
            chosen,
            ..ShapeLayer::default()
        }
    }
}

/// The journey path's colour (also in the legend, static/style.css `.journey-swatch`).
pub const PATH_STROKE: &str = "rgb(21, 101, 192)";

/// What the overlay shows, bottom to top.
pub struct Layers<'a> {
    pub query: Query,
    pub matches: &'a [Match],
    /// A pasted block's placed tracks (teal squares).
    pub pasted: &'a [Query],
    /// The crate's tracks (purple diamonds).
    pub collected: &'a [Mood],
    /// A journey, region or radius: drawn instead of the lines from the query to its
    /// matches.
    pub shape: Option<&'a ShapeLayer>,
    /// A freehand stroke being drawn.
    pub stroke: &'a [Mood],
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
        shape,
        stroke,
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
    match shape {
        Some(shape) => draw_shape(&ctx, area, shape, query.mood),
        None => {
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
        }
    }
    if !stroke.is_empty() {
        polyline(&ctx, area, stroke);
        ctx.set_stroke_style_str("rgba(21, 101, 192, 0.5)");
        ctx.set_line_width(2.0);
        ctx.stroke();
    }

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

fn polyline(ctx: &CanvasRenderingContext2d, area: PlotArea, points: &[Mood]) {
    ctx.begin_path();
    for (i, mood) in points.iter().enumerate() {
        let (x, y) = area.to_pixel(*mood);
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
}

/// An arrowhead at `to`, pointing away from `from`.
fn arrowhead(ctx: &CanvasRenderingContext2d, from: (f64, f64), to: (f64, f64)) {
    let angle = (to.1 - from.1).atan2(to.0 - from.0);
    let size = 7.0;
    ctx.begin_path();
    ctx.move_to(to.0, to.1);
    for side in [-0.45_f64, 0.45] {
        ctx.line_to(
            to.0 - size * (angle + side).cos(),
            to.1 - size * (angle + side).sin(),
        );
    }
    ctx.close_path();
    ctx.fill();
}

/// The path or region (solid blue; a region closed and tinted), its vertices, a radius's
/// ellipse, the waypoints (hollow rings) and the chosen tracks joined in order by arrows;
/// the tracks themselves are drawn as matches.
fn draw_shape(ctx: &CanvasRenderingContext2d, area: PlotArea, journey: &ShapeLayer, centre: Mood) {
    ctx.set_stroke_style_str(PATH_STROKE);
    ctx.set_fill_style_str(PATH_STROKE);
    ctx.set_line_width(3.0);
    if let Some((semi_v, semi_e)) = journey.ellipse {
        let (x, y) = area.to_pixel(centre);
        ctx.begin_path();
        let _ = ctx.ellipse(
            x,
            y,
            semi_v * area.width,
            semi_e * area.height,
            0.0,
            0.0,
            TAU,
        );
        ctx.stroke();
    }
    polyline(ctx, area, &journey.vertices);
    if journey.closed {
        ctx.close_path();
        ctx.set_fill_style_str("rgba(21, 101, 192, 0.08)");
        ctx.fill();
        ctx.set_fill_style_str(PATH_STROKE);
    }
    ctx.stroke();
    for mood in &journey.vertices {
        disc(ctx, area.to_pixel(*mood), 4.0);
        ctx.fill();
    }
    ctx.set_line_width(1.0);
    for mood in &journey.waypoints {
        disc(ctx, area.to_pixel(*mood), 3.0);
        ctx.stroke();
    }
    ctx.set_stroke_style_str("rgba(90, 42, 0, 0.8)");
    ctx.set_fill_style_str("rgba(90, 42, 0, 0.8)");
    ctx.set_line_width(1.5);
    for pair in journey.chosen.windows(2) {
        let (from, to) = (area.to_pixel(pair[0]), area.to_pixel(pair[1]));
        let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
        if length < 1.0 {
            continue;
        }
        // Stop short of the next track's disc so the arrowhead shows.
        let t = (length - 6.0).max(0.0) / length;
        let tip = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
        ctx.begin_path();
        ctx.move_to(from.0, from.1);
        ctx.line_to(tip.0, tip.1);
        ctx.stroke();
        arrowhead(ctx, from, tip);
    }
}
