//! The "find" switch above the list: the n nearest, every track within a radius, a
//! journey, or a region drawn on the plane; with the radius field, the region's controls
//! and the journey panel for the mode chosen.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::journey_path::MAX_VERTICES;
use moodplane_core::region::{parse_radius, MAX_RADIUS, MIN_RADIUS};
use moodplane_core::Catalog;

use crate::find_state::{FindControls, FindMode};
use crate::journey_panel::{JourneyPanel, TrackEnds};
use crate::tiled::store::TileStore;

/// (mode, element id, label)
const MODES: [(FindMode, &str, &str); 4] = [
    (FindMode::Nearest, "mode-nearest", "The nearest tracks"),
    (
        FindMode::Radius,
        "mode-radius",
        "Every track within a radius",
    ),
    (FindMode::Journey, "mode-journey", "A journey along a path"),
    (FindMode::Lasso, "mode-lasso", "Every track in a region"),
];

#[component]
fn RadiusField(find: FindControls) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let on_input = move |ev| match parse_radius(&event_target_value(&ev)) {
        Ok(r) => {
            find.radius.set(r);
            find.page.set(0);
            message.set(None);
        }
        Err(error) => message.set(Some(error.to_string())),
    };
    // A radius set elsewhere (one that fits a tiled catalog) shows in the field; one typed
    // is left as typed.
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let radius = find.radius.get();
        if let Some(input) = field.get() {
            if parse_radius(&input.value()).ok() != Some(radius) {
                input.set_value(&radius.to_string());
            }
        }
    });
    view! {
        <div class="radius-field">
            <label for="radius">{format!("Radius ({MIN_RADIUS}–{MAX_RADIUS}, in the distance shown in the list)")}</label>
            <input id="radius" type="number" min=MIN_RADIUS.to_string() max=MAX_RADIUS.to_string() step="0.005"
                aria-describedby="radius-message" value=find.radius.get_untracked() on:input=on_input node_ref=field />
            <p id="radius-message" class="field-message" role="alert">{move || message.get()}</p>
        </div>
    }
}

#[component]
fn LassoControls(find: FindControls) -> impl IntoView {
    let lasso = find.lasso;
    let status = move || match lasso.with(Vec::len) {
        0 => "No region yet: draw round it on the plane.".to_owned(),
        n @ (1 | 2) => format!("{n} of at least 3 points."),
        n => format!("Region of {n} points (at most {MAX_VERTICES})."),
    };
    view! {
        <section class="journey-panel" id="lasso-panel" aria-label="Region">
            <p class="hint">
                "Draw round the tracks you want: press and drag a closed line (it is smoothed, and the last point joins the first), or click the corners one by one. Enter adds the cursor's point, Backspace removes the last."
            </p>
            <p id="lasso-status" class="journey-status" aria-live="polite">{status}</p>
            <div class="journey-actions">
                <button type="button" id="lasso-clear" disabled=move || lasso.with(Vec::is_empty)
                    on:click=move |_| lasso.set(Vec::new())>"Clear region"</button>
            </div>
        </section>
    }
}

/// `tiles`: over a catalog read tile by tile, a journey's two tracks are found through
/// its id shards.
#[component]
pub fn FindPanel(
    catalog: Arc<Catalog>,
    find: FindControls,
    #[prop(optional)] tiles: Option<TileStore>,
) -> impl IntoView {
    let mode = find.mode;
    let ends = match tiles {
        Some(store) => TrackEnds::Tiles(store),
        None => TrackEnds::Catalog(catalog),
    };
    view! {
        <fieldset class="mode-switch" id="mode-switch">
            <legend>"Find"</legend>
            {MODES
                .into_iter()
                .map(|(m, id, label)| view! {
                    <label>
                        <input type="radio" name="mode" id=id prop:checked=move || mode.get() == m
                            on:change=move |_| { mode.set(m); find.page.set(0); } />
                        " " {label}
                    </label>
                })
                .collect_view()}
        </fieldset>
        {move || match mode.get() {
            FindMode::Nearest => None,
            FindMode::Radius => Some(view! { <RadiusField find /> }.into_any()),
            FindMode::Journey => Some(view! { <JourneyPanel find ends=ends.clone() /> }.into_any()),
            FindMode::Lasso => Some(view! { <LassoControls find /> }.into_any()),
        }}
    }
}
