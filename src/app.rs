//! The top-level component: loads the catalog, then shows the explorer or a clear error.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::Catalog;

use moodplane_core::catalog_file::tiles_manifest_name;
use moodplane_core::tiled_manifest::TiledManifest;

use crate::catalog_loader::{declared_in_page, fetch_whole, LoadError, LoadProgress};
use crate::explorer::Explorer;
use crate::spotify::login_status::SpotifyContext;
use crate::tiled::archive;
use crate::tiled::explorer::TiledExplorer;

/// Where the catalog is in its journey from the network.
#[derive(Clone)]
enum CatalogState {
    Loading,
    Ready(Arc<Catalog>),
    /// A tiled catalog's manifest: tracks come later, as they are needed.
    Tiled(Arc<TiledManifest>),
    Failed(LoadError),
}

#[component]
pub fn App() -> impl IntoView {
    // First, so a login callback leaves the URL before anything reads the view state.
    provide_context(SpotifyContext::start());
    let state = RwSignal::new(CatalogState::Loading);
    let progress = RwSignal::new(None::<LoadProgress>);
    let load = move || {
        state.set(CatalogState::Loading);
        progress.set(None);
        spawn_local(async move {
            state.set(match opened(progress).await {
                Ok(opened) => opened,
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
                CatalogState::Loading => view! { <LoadingStatus progress /> }.into_any(),
                CatalogState::Failed(error) => view! {
                    <div class="load-error" id="load-error" role="alert">
                        <p>{error.to_string()}</p>
                        <button type="button" on:click=move |_| load()>"Try again"</button>
                    </div>
                }.into_any(),
                CatalogState::Ready(catalog) => view! { <Explorer catalog /> }.into_any(),
                CatalogState::Tiled(manifest) => view! { <TiledExplorer manifest /> }.into_any(),
            }}
        </main>
    }
}

/// The catalog the build names in the page: read whole when its manifest offers that (a
/// small catalog: every find mode), else tile by tile as ranking needs them.
async fn opened(progress: RwSignal<Option<LoadProgress>>) -> Result<CatalogState, LoadError> {
    let declared = declared_in_page("moodplane-tiles");
    let path = tiles_manifest_name(declared.as_deref()).ok_or(LoadError::NotDeclared)?;
    let manifest = archive::manifest(path).await.map_err(LoadError::Tiled)?;
    if manifest.order.is_none() {
        return Ok(CatalogState::Tiled(Arc::new(manifest)));
    }
    let catalog = fetch_whole(&manifest, progress).await?;
    Ok(CatalogState::Ready(Arc::new(catalog)))
}

/// The catalog's download progress, then its preparation.
#[component]
fn LoadingStatus(progress: RwSignal<Option<LoadProgress>>) -> impl IntoView {
    let text = move || match progress.get() {
        None => "Loading the catalog…".to_owned(),
        Some(LoadProgress::Downloading {
            loaded,
            total: Some(total),
        }) => format!(
            "Downloading the catalog: {:.1} of {:.1} MB",
            loaded / 1e6,
            total / 1e6
        ),
        Some(LoadProgress::Downloading {
            loaded,
            total: None,
        }) => {
            format!("Downloading the catalog: {:.1} MB", loaded / 1e6)
        }
        Some(LoadProgress::Preparing) => "Preparing the catalog…".to_owned(),
    };
    let fraction = move || match progress.get() {
        Some(LoadProgress::Downloading {
            loaded,
            total: Some(total),
        }) if total > 0.0 => Some((loaded / total).min(1.0)),
        Some(LoadProgress::Preparing) => Some(1.0),
        _ => None,
    };
    view! {
        <div class="status" id="catalog-status" role="status">
            <p>{text}</p>
            <progress id="catalog-progress" max="1" prop:value=move || fraction().unwrap_or(0.0)></progress>
        </div>
    }
}
