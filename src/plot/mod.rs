//! The mood plane: a base canvas with every track (drawn once per catalog), a guides
//! canvas (regression line and genre centroids, redrawn only when toggled) and an overlay
//! canvas with the query point and its matches (redrawn only when those change). Pointer,
//! touch and keyboard input move the point; with guides shown, a press on a centroid
//! snaps to it. In journey and region modes the same input draws: a press-and-drag is a
//! freehand stroke, a click (or Enter) adds a point, Backspace removes the last.

mod base_layer;
mod guides_layer;
mod library_layer;
mod overlay_layer;

use std::sync::Arc;

use leptos::html::Canvas;
use leptos::prelude::*;
use moodplane_core::analysis::MoodAnalysis;
use moodplane_core::journey_path::MoodPath;
use moodplane_core::stats::{centroid_at, GenreCentroid, Regression};
use moodplane_core::{arrow_key_step, Catalog, Match, Mood, PlotArea, Query};
use web_sys::{KeyboardEvent, PointerEvent};

use crate::find_state::{FindControls, FindMode};
use crate::libraries::Listed;
pub use overlay_layer::ShapeLayer;

/// Canvas size in device pixels; CSS scales it to the page.
pub const CANVAS_SIZE: u32 = 640;

/// Where the unit square sits on the canvas; the base layer's axes use the same margins.
pub const PLOT_AREA: PlotArea = PlotArea {
    left: 64.0,
    top: 16.0,
    width: 560.0,
    height: 560.0,
};

/// Centroid markers within this many canvas pixels of a click catch it.
const CENTROID_REACH: f64 = 8.0;
/// Pasted-track markers within this many canvas pixels of a click catch it.
const PASTED_REACH: f64 = 7.0;
/// A journey-mode press that travels less than this many canvas pixels is a click (adds
/// one point), not a freehand stroke.
const CLICK_TRAVEL: f64 = 6.0;

/// What the base layer draws under everything: a loaded catalog's tracks (dots, or their
/// density when there are many), or a tiled catalog's precomputed density grid.
#[derive(Clone)]
pub enum PlotBase {
    Tracks(Arc<Catalog>),
    /// Tracks per cell of a `size × size` grid, row 0 at energy 1.
    Density {
        size: usize,
        counts: Arc<Vec<u32>>,
    },
}

/// What the optional guides layer shows: the regression line and genre centroids.
pub struct Guides {
    pub centroids: Vec<GenreCentroid>,
    pub regression: Regression,
}

impl Guides {
    pub fn of(analysis: &MoodAnalysis) -> Guides {
        Guides {
            centroids: analysis.genre_centroids(),
            regression: analysis.regression(),
        }
    }
}

/// Where the canvas lies on the screen and how CSS scales it: measured once per press
/// (measuring reads layout, which the list's last change has made stale, so the browser
/// would lay the page out again inside every move of a drag).
#[derive(Clone, Copy)]
struct CanvasFrame {
    left: f64,
    top: f64,
    scale_x: f64,
    scale_y: f64,
}

impl CanvasFrame {
    fn of(canvas: &web_sys::HtmlCanvasElement) -> CanvasFrame {
        let rect = canvas.get_bounding_client_rect();
        CanvasFrame {
            left: rect.left(),
            top: rect.top(),
            scale_x: canvas.width() as f64 / rect.width().max(1.0),
            scale_y: canvas.height() as f64 / rect.height().max(1.0),
        }
    }

    /// The canvas pixel under a pointer event.
    fn pixel(self, ev: &PointerEvent) -> (f64, f64) {
        (
            (ev.client_x() as f64 - self.left) * self.scale_x,
            (ev.client_y() as f64 - self.top) * self.scale_y,
        )
    }
}

#[component]
pub fn PlotView(
    base: PlotBase,
    query: RwSignal<Query>,
    matches: Memo<Vec<Match>>,
    guides: Arc<Guides>,
    show_guides: RwSignal<bool>,
    /// The placed lines of a pasted block: their own layer, each a click target.
    pasted: Memo<Vec<Query>>,
    /// The crate's tracks: their own layer.
    crate_points: Memo<Vec<Mood>>,
    /// The find modes' state (journey and region modes draw), and what the overlay shows
    /// of the shape.
    find: FindControls,
    shape_layer: Memo<Option<ShapeLayer>>,
    /// The catalog the matches come from (the loaded one, or the person's libraries).
    listed: Memo<Listed>,
    /// The person's libraries' tracks, when their layer is shown.
    library_points: Memo<Vec<Mood>>,
) -> impl IntoView {
    let base_ref = NodeRef::<Canvas>::new();
    let guides_ref = NodeRef::<Canvas>::new();
    let overlay_ref = NodeRef::<Canvas>::new();
    let library_ref = NodeRef::<Canvas>::new();
    let base_error = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        if let Some(canvas) = base_ref.get() {
            if let Err(error) = base_layer::draw(&canvas, &base, PLOT_AREA) {
                base_error.set(Some(error));
            }
        }
    });

    let drawn_guides = guides.clone();
    Effect::new(move |_| {
        let shown = show_guides.get();
        if let Some(canvas) = guides_ref.get() {
            guides_layer::draw(&canvas, PLOT_AREA, shown.then_some(&*drawn_guides));
        }
    });

    Effect::new(move |_| {
        let points = library_points.get();
        if let Some(canvas) = library_ref.get() {
            library_layer::draw(&canvas, PLOT_AREA, &points);
        }
    });

    Effect::new(move |_| {
        let overlay_catalog = listed.get().catalog;
        let q = query.get();
        let shown = matches.get();
        let pasted_points = pasted.get();
        let collected = crate_points.get();
        let drawn_shape = shape_layer.get();
        let stroke = find.stroke.get();
        if let Some(canvas) = overlay_ref.get() {
            overlay_layer::draw(
                &canvas,
                &overlay_catalog,
                PLOT_AREA,
                overlay_layer::Layers {
                    query: q,
                    matches: &shown,
                    pasted: &pasted_points,
                    collected: &collected,
                    shape: drawn_shape.as_ref(),
                    stroke: &stroke,
                },
            );
        }
    });

    let dragging = StoredValue::new(false);
    // The canvas's place for the press under way; a scroll or resize measures it again.
    let press_frame = StoredValue::new(None::<CanvasFrame>);
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| press_frame.set_value(None));
    let on_resize = window_event_listener(leptos::ev::resize, move |_| press_frame.set_value(None));
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    let canvas_pixel = move |canvas: &web_sys::HtmlCanvasElement, ev: &PointerEvent| {
        let frame = press_frame
            .get_value()
            .unwrap_or_else(|| CanvasFrame::of(canvas));
        frame.pixel(ev)
    };
    let move_to_pointer = move |ev: &PointerEvent| {
        if let Some(canvas) = overlay_ref.get_untracked() {
            let next = Query::at(PLOT_AREA.to_mood_at(canvas_pixel(&canvas, ev)));
            if next != query.get_untracked() {
                query.set(next);
            }
        }
    };
    // With the guides shown, a press on a genre centroid snaps the point onto it.
    let snap_to_centroid = move |ev: &PointerEvent| -> bool {
        if !show_guides.get_untracked() {
            return false;
        }
        let Some(canvas) = overlay_ref.get_untracked() else {
            return false;
        };
        match centroid_at(
            &guides.centroids,
            &PLOT_AREA,
            canvas_pixel(&canvas, ev),
            CENTROID_REACH,
        ) {
            Some(centroid) => {
                query.set(Query::at(centroid.mood));
                true
            }
            None => false,
        }
    };
    // A press on a pasted track's marker makes that track the query.
    let snap_to_pasted = move |ev: &PointerEvent| -> bool {
        let Some(canvas) = overlay_ref.get_untracked() else {
            return false;
        };
        let targets = pasted.get_untracked();
        match PLOT_AREA.nearest_within(
            targets.iter().map(|q| q.mood),
            canvas_pixel(&canvas, ev),
            PASTED_REACH,
        ) {
            Some(i) => {
                query.set(targets[i]);
                true
            }
            None => false,
        }
    };
    // Journey mode: the stroke's first pixel, to tell a click from a drawn line.
    let stroke_origin = StoredValue::new(None::<(f64, f64)>);
    let stroke_travel = StoredValue::new(0.0_f64);
    let pointer_mood = move |ev: &PointerEvent| {
        overlay_ref.get_untracked().map(|canvas| {
            let pixel = canvas_pixel(&canvas, ev);
            (pixel, PLOT_AREA.to_mood_at(pixel))
        })
    };
    let on_pointer_down = move |ev: PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        if let Some(canvas) = overlay_ref.get_untracked() {
            let _ = canvas.set_pointer_capture(ev.pointer_id());
            let _ = canvas.focus();
            press_frame.set_value(Some(CanvasFrame::of(&canvas)));
        }
        if find.draws() {
            if let Some((pixel, mood)) = pointer_mood(&ev) {
                stroke_origin.set_value(Some(pixel));
                stroke_travel.set_value(0.0);
                find.stroke.set(vec![mood]);
                query.set(Query::at(mood));
            }
            return;
        }
        if !snap_to_pasted(&ev) && !snap_to_centroid(&ev) {
            dragging.set_value(true);
            move_to_pointer(&ev);
        }
    };
    let on_pointer_move = move |ev: PointerEvent| {
        if let Some(origin) = stroke_origin.get_value() {
            if let Some((pixel, mood)) = pointer_mood(&ev) {
                let travel = ((pixel.0 - origin.0).powi(2) + (pixel.1 - origin.1).powi(2)).sqrt();
                stroke_travel.update_value(|t| *t = t.max(travel));
                find.stroke.update(|s| s.push(mood));
                query.set(Query::at(mood));
            }
        } else if dragging.get_value() {
            move_to_pointer(&ev);
        }
    };
    let on_pointer_end = move |_ev: PointerEvent| {
        dragging.set_value(false);
        press_frame.set_value(None);
        if stroke_origin.get_value().is_none() {
            return;
        }
        stroke_origin.set_value(None);
        let stroke = find.stroke.get_untracked();
        find.stroke.set(Vec::new());
        if stroke_travel.get_value() < CLICK_TRAVEL {
            if let Some(first) = stroke.first() {
                find.add_vertex(*first);
            }
        } else if let Ok(path) = MoodPath::from_stroke(&stroke) {
            // A region uses the same smoothing; its last point joins the first.
            find.drawn().set(path.vertices().to_vec());
        }
    };
    let on_key_down = move |ev: KeyboardEvent| {
        if let Some((dv, de)) = arrow_key_step(&ev.key(), ev.shift_key()) {
            ev.prevent_default();
            query.update(|q| *q = q.nudged(dv, de));
        } else if find.draws() {
            match ev.key().as_str() {
                "Enter" => {
                    ev.prevent_default();
                    find.add_vertex(query.get_untracked().mood);
                }
                "Backspace" | "Delete" => {
                    ev.prevent_default();
                    find.drawn().update(|v| {
                        v.pop();
                    });
                }
                _ => {}
            }
        }
    };

    view! {
        <div class="plane">
            <canvas
                class="plane-base"
                node_ref=base_ref
                width=CANVAS_SIZE
                height=CANVAS_SIZE
                aria-hidden="true"
            ></canvas>
            <canvas
                class="plane-guides"
                node_ref=guides_ref
                width=CANVAS_SIZE
                height=CANVAS_SIZE
                aria-hidden="true"
            ></canvas>
            <canvas
                class="plane-library"
                id="plane-library"
                node_ref=library_ref
                width=CANVAS_SIZE
                height=CANVAS_SIZE
                aria-hidden="true"
            ></canvas>
            <canvas
                id="plane"
                class="plane-overlay"
                node_ref=overlay_ref
                width=CANVAS_SIZE
                height=CANVAS_SIZE
                tabindex="0"
                role="application"
                aria-roledescription="mood plane"
                aria-label=move || if matches!(find.mode.get(), FindMode::Journey | FindMode::Lasso) {
                    "Mood plane, drawing mode. Across: valence, from sad to happy. Up: energy, from calm to excited. Press and drag to draw, or click to add points; arrow keys move the cursor, Enter adds a point, Backspace removes the last."
                } else {
                    "Mood plane. Across: valence, from sad to happy. Up: energy, from calm to excited. Drag or click to place the point, or use the arrow keys (Shift for bigger steps)."
                }
                aria-describedby="query-text"
                on:pointerdown=on_pointer_down
                on:pointermove=on_pointer_move
                on:pointerup=on_pointer_end
                on:pointercancel=on_pointer_end
                on:keydown=on_key_down
            >
                "Every track plotted by valence and energy, with the query point and its nearest matches."
            </canvas>
        </div>
        {move || base_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
    }
}
