//! Blend several seed tracks (a pasted block's placed tracks, or the crate): go to their
//! centre, or make a journey through them in order.

use leptos::prelude::*;
use moodplane_core::blend::{centre_of, path_through};
use moodplane_core::{Mood, Query};

use crate::find_state::{FindControls, FindMode};

#[component]
pub fn BlendBar(
    seeds: Memo<Vec<Mood>>,
    query: RwSignal<Query>,
    find: FindControls,
    /// Element ids start with this (`pasted`, `crate`).
    id_prefix: &'static str,
) -> impl IntoView {
    let to_centre = move |_| {
        if let Some(centre) = seeds.with_untracked(|s| centre_of(s)) {
            if matches!(
                find.mode.get_untracked(),
                FindMode::Journey | FindMode::Lasso
            ) {
                find.mode.set(FindMode::Nearest);
            }
            query.set(Query::at(centre));
        }
    };
    let through = move |_| {
        if let Ok(path) = seeds.with_untracked(|s| path_through(s)) {
            find.path.set(path.vertices().to_vec());
            find.mode.set(FindMode::Journey);
        }
    };
    move || {
        (seeds.with(Vec::len) >= 2).then(|| {
            view! {
                <div class="blend-bar" role="group" aria-label="Blend these tracks">
                    <button type="button" id=format!("{id_prefix}-blend-centre") on:click=to_centre>
                        {move || format!("Blend: the centre of these {}", seeds.with(Vec::len))}
                    </button>
                    <button type="button" id=format!("{id_prefix}-blend-journey") on:click=through>
                        "Journey through them in order"
                    </button>
                </div>
            }
        })
    }
}
