//! The top-level component: loads the catalog, then shows the explorer or a clear error.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::Catalog;

use crate::catalog_loader::{fetch_catalog, LoadError};
use crate::explorer::Explorer;
use crate::spotify::login_status::SpotifyContext;

/// Where the catalog is in its journey from the network.
#[derive(Clone)]
enum CatalogState {
    Loading,
    Ready(Arc<Catalog>),
    Failed(LoadError),
}

#[component]
pub fn App() -> impl IntoView {
    // First, so a login callback leaves the URL before anything reads the view state.
    provide_context(SpotifyContext::start());
    let state = RwSignal::new(CatalogState::Loading);
    let load = move || {
        state.set(CatalogState::Loading);
        spawn_local(async move {
            state.set(match fetch_catalog().await {
                Ok(catalog) => CatalogState::Ready(Arc::new(catalog)),
                Err(error) => CatalogState::Failed(error),
            });
        });
    };
    load();

    view! {
        <header class="masthead">
            <h1>"Moodplane"</h1>
            <p class="tagline">
                "Find music by mood: drag the point across the valence–energy plane, or paste a Spotify track link."
            </p>
        </header>
        <main>
            {move || match state.get() {
                CatalogState::Loading => view! {
                    <p class="status" id="catalog-status" role="status">"Loading the catalog…"</p>
                }.into_any(),
                CatalogState::Failed(error) => view! {
                    <div class="load-error" id="load-error" role="alert">
                        <p>{error.to_string()}</p>
                        <button type="button" on:click=move |_| load()>"Try again"</button>
                    </div>
                }.into_any(),
                CatalogState::Ready(catalog) => view! { <Explorer catalog /> }.into_any(),
            }}
        </main>
    }
}
