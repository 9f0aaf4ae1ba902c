//! The ordered list of matches: rank, track, artist, genre, distance and a Spotify link.

use std::sync::Arc;

use leptos::prelude::*;
use moodplane_core::{Catalog, Match};

#[component]
pub fn ResultsList(catalog: Arc<Catalog>, matches: Memo<Vec<Match>>) -> impl IntoView {
    view! {
        <ol id="results" class="results" aria-labelledby="results-heading">
            <For
                each=move || matches.get().into_iter().enumerate()
                // A row is rebuilt only when its rank, track or distance changed.
                key=|(rank, m)| (*rank, m.index, m.distance.to_bits())
                children=move |(rank, m)| {
                    let t = catalog.track(m.index);
                    let name = if t.name.is_empty() { "(untitled)".to_owned() } else { t.name.to_owned() };
                    view! {
                        <li data-track-id=t.id.to_string() data-distance=m.distance.to_string()>
                            <span class="rank">{rank + 1}</span>
                            <span class="track">
                                <span class="name">{name}</span>
                                <span class="artist">{t.artist.to_owned()}</span>
                            </span>
                            <span class="genre">{t.genre.to_owned()}</span>
                            <span class="distance" title="Distance on the plane">{format!("{:.3}", m.distance)}</span>
                            <a class="open" href=t.id.open_url() target="_blank" rel="noopener noreferrer">
                                "Open"<span class="visually-hidden">" in Spotify"</span>
                            </a>
                        </li>
                    }
                }
            />
        </ol>
        {move || matches.with(Vec::is_empty).then(|| view! {
            <p class="empty" id="results-empty">"No tracks to show: the catalog is empty."</p>
        })}
    }
}
