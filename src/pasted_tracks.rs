//! A pasted block of links: the catalog's tracks placed at once, the rest sent to
//! ReccoBeats in batches of 40 after one consent for the whole block, with progress and an
//! outcome per line; a rate limit is waited out with a visible, cancellable countdown
//! (bounded like a single lookup's), failed lines can be retried, and every placed line
//! is a point of the plane's "pasted" layer and can become the query. Over a tiled
//! catalog the lines are first looked up in its id shards (each shard read once, all side
//! by side), and only what the catalog lacks is offered to ReccoBeats. The decisions are
//! the core's (`moodplane_core::sources::pasted_block`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use moodplane_core::sources::lookup::{Consent, MAX_AUTOMATIC_RETRIES};
use moodplane_core::sources::pasted_block::{LineOutcome, PastedBlock};
use moodplane_core::sources::reccobeats::RbFailure;
use moodplane_core::spotify::api::wait_is_automatic;
use moodplane_core::{Catalog, Query};

use crate::reccobeats::{self, set_consent};
use crate::tiled::store::TileStore;

#[derive(Clone, Copy)]
pub struct PastedTracks {
    pub block: RwSignal<Option<PastedBlock>>,
    /// The block waits for the person's consent before anything is sent.
    asking: RwSignal<bool>,
    /// Batches done and batches in all, while sending.
    progress: RwSignal<Option<(usize, usize)>>,
    /// Seconds left before a rate-limited batch is asked again.
    waiting: RwSignal<Option<u64>>,
    consent: RwSignal<Consent>,
    /// A tiled catalog's store: its id shards are asked first.
    tiles: Option<TileStore>,
    /// How many ids are being looked up in the tiled catalog's id shards.
    finding: RwSignal<Option<usize>>,
    /// Bumped by every new block or clear; answers for older blocks are dropped.
    generation: StoredValue<u64>,
}

impl PastedTracks {
    pub fn new(consent: RwSignal<Consent>) -> PastedTracks {
        PastedTracks {
            block: RwSignal::new(None),
            asking: RwSignal::new(false),
            progress: RwSignal::new(None),
            waiting: RwSignal::new(None),
            consent,
            tiles: None,
            finding: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// A block pasted over a tiled catalog, whose tracks are found through `tiles`.
    pub fn over_tiles(consent: RwSignal<Consent>, tiles: TileStore) -> PastedTracks {
        PastedTracks {
            tiles: Some(tiles),
            ..PastedTracks::new(consent)
        }
    }

    /// The queries of the placed lines: the plane's "pasted" layer.
    pub fn placed_queries(self) -> Vec<Query> {
        self.block.with(|b| {
            b.as_ref()
                .map(|b| b.tracks.iter().filter_map(|t| t.query()).collect())
                .unwrap_or_default()
        })
    }

    /// Reads a pasted block and looks up what the catalog lacks, as the person chose.
    pub fn start(self, text: &str, catalog: &Catalog) {
        self.generation.update_value(|g| *g += 1);
        let block = PastedBlock::read(text, catalog);
        let pending = block.pending_count();
        self.block.set(Some(block));
        self.progress.set(None);
        self.asking.set(false);
        if pending > 0 {
            self.look_up_pending();
        }
    }

    /// Looks up the waiting lines: in the tiled catalog's id shards first, if any, then on
    /// ReccoBeats as the person chose.
    fn look_up_pending(self) {
        let Some(tiles) = self.tiles else {
            self.ask_reccobeats();
            return;
        };
        let ids = self
            .block
            .with_untracked(|b| b.as_ref().map(PastedBlock::pending_ids).unwrap_or_default());
        let generation = self.generation.get_value();
        self.finding.set(Some(ids.len()));
        spawn_local(async move {
            let answers = tiles.locate_many(&ids).await;
            if self.generation.get_value() != generation {
                return;
            }
            self.finding.set(None);
            self.block.update(|b| {
                if let Some(b) = b {
                    b.apply_catalog_lookup(ids.into_iter().zip(answers).map(|(id, answer)| {
                        let found = answer.map(|a| a.map(|found| (found.index, found.mood)));
                        (id, found.map_err(|error| error.to_string()))
                    }));
                }
            });
            let pending = self
                .block
                .with_untracked(|b| b.as_ref().map_or(0, PastedBlock::pending_count));
            if pending > 0 {
                self.ask_reccobeats();
            }
        });
    }

    /// Sends the waiting lines to ReccoBeats, asks first, or declines, as the person chose.
    fn ask_reccobeats(self) {
        match self.consent.get_untracked() {
            Consent::Always => self.send_pending(),
            Consent::Never => self.decline(),
            Consent::Ask => self.asking.set(true),
        }
    }

    fn decline(self) {
        self.asking.set(false);
        self.block.update(|b| {
            if let Some(b) = b {
                b.decline_pending();
            }
        });
    }

    fn consent_given(self, always: bool) {
        if always {
            set_consent(Consent::Always);
            self.consent.set(Consent::Always);
        }
        self.asking.set(false);
        self.send_pending();
    }

    /// Sends the waiting ids, one batch after the other, updating the lines as answers
    /// come; a rate limit is waited out (at most [`MAX_AUTOMATIC_RETRIES`] times a batch).
    fn send_pending(self) {
        let batches = self
            .block
            .with_untracked(|b| b.as_ref().map(|b| b.pending_batches()).unwrap_or_default());
        let generation = self.generation.get_value();
        let current = move || self.generation.get_value() == generation;
        let total = batches.len();
        spawn_local(async move {
            for (done, batch) in batches.into_iter().enumerate() {
                let mut retries = 0;
                let answer = loop {
                    if !current() {
                        return;
                    }
                    self.progress.set(Some((done, total)));
                    let answer = reccobeats::features_batch(&batch).await;
                    match answer {
                        Err(RbFailure::RateLimited { retry_after_secs })
                            if wait_is_automatic(retry_after_secs)
                                && retries < MAX_AUTOMATIC_RETRIES =>
                        {
                            retries += 1;
                            for left in (1..=retry_after_secs.max(1)).rev() {
                                if !current() {
                                    return;
                                }
                                self.waiting.set(Some(left));
                                crate::timers::sleep(1000).await;
                            }
                            self.waiting.set(None);
                        }
                        other => break other,
                    }
                };
                if !current() {
                    return;
                }
                self.block.update(|b| {
                    let Some(b) = b else { return };
                    match answer {
                        Ok((outcomes, titles)) => b.apply_features(outcomes, &titles),
                        Err(failure) => b.apply_failure(&batch, &failure.to_string()),
                    }
                });
            }
            self.progress.set(None);
        });
    }

    /// Stops a countdown: the lines still waiting are marked as not looked up.
    fn cancel_wait(self) {
        self.generation.update_value(|g| *g += 1);
        self.waiting.set(None);
        self.progress.set(None);
        self.block.update(|b| {
            if let Some(b) = b {
                let waiting: Vec<_> = b.pending_batches().concat();
                b.apply_failure(
                    &waiting,
                    "Waiting for ReccoBeats was cancelled; retry when you like.",
                );
            }
        });
    }

    /// Asks again for the lines whose request failed (the catalog's id shards first).
    fn retry_failed(self) {
        self.generation.update_value(|g| *g += 1);
        self.block.update(|b| {
            if let Some(b) = b {
                b.retry_failed();
            }
        });
        match self.tiles {
            Some(_) => self.look_up_pending(),
            None => self.send_pending(),
        }
    }

    pub fn clear(self) {
        self.generation.update_value(|g| *g += 1);
        self.block.set(None);
        self.asking.set(false);
        self.progress.set(None);
        self.waiting.set(None);
        self.finding.set(None);
    }
}

#[component]
pub fn PastedList(pasted: PastedTracks, query: RwSignal<Query>) -> impl IntoView {
    move || {
        let block = pasted.block.get()?;
        let pending = block.pending_count();
        let rows = block
            .tracks
            .iter()
            .map(|track| {
                let target = track.query();
                let label = track
                    .title
                    .clone()
                    .or_else(|| track.id.as_ref().map(ToString::to_string))
                    .unwrap_or_else(|| "—".to_owned());
                let class = match track.outcome {
                    LineOutcome::Placed { .. } => "placed",
                    LineOutcome::Pending => "pending",
                    _ => "unplaced",
                };
                view! {
                    <li class=class data-track-id=track.id.as_ref().map(ToString::to_string) data-line=track.line>
                        <span class="line-number">{format!("Line {}: ", track.line)}</span>
                        <span class="title">{label}</span>
                        " · "
                        <span class="outcome">{track.describe()}</span>
                        {target.map(|q| view! {
                            <button type="button" class="use-as-query" on:click=move |_| query.set(q)>"Use as query"</button>
                        })}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="pasted-tracks" id="pasted" aria-labelledby="pasted-heading">
                <h3 id="pasted-heading">"Pasted tracks"</h3>
                <p id="pasted-summary" role="status">{block.summary()}</p>
                <LookupStatus lookup=pasted consent_id="block-consent" prefix="pasted" pending />
                <ol id="pasted-tracks">{rows}</ol>
                <button type="button" id="pasted-clear" on:click=move |_| pasted.clear()>"Clear pasted tracks"</button>
            </section>
        })
    }
}

/// A lookup's consent question, progress, rate-limit countdown and retry, for a block of
/// ids (pasted lines, or a library's tracks without a mood). `consent_id` and `prefix`
/// start the ids of its parts; `pending` is how many ids wait.
#[component]
pub fn LookupStatus(
    lookup: PastedTracks,
    consent_id: &'static str,
    prefix: &'static str,
    pending: usize,
) -> impl IntoView {
    let pasted = lookup;
    view! {
        {move || pasted.finding.get().map(|count| view! {
            <p id=format!("{prefix}-finding") role="status">{format!("Looking for {count} tracks in the catalog…")}</p>
        })}
        {move || pasted.asking.get().then(|| view! {
            <div id=consent_id role="group" aria-labelledby=format!("{consent_id}-question")>
                <p id=format!("{consent_id}-question")>{format!("{pending} of these tracks are not in this catalog. ReccoBeats, a free third-party service, can give their moods: it will receive these {pending} track ids (and, like any website, your IP address).")}</p>
                <button type="button" id=format!("{consent_id}-once") on:click=move |_| pasted.consent_given(false)>"Ask ReccoBeats once"</button>
                <button type="button" id=format!("{consent_id}-always") on:click=move |_| pasted.consent_given(true)>"Always ask ReccoBeats"</button>
                <button type="button" id=format!("{consent_id}-decline") on:click=move |_| pasted.decline()>"Not now"</button>
            </div>
        })}
        {move || pasted.progress.get().map(|(done, total)| view! {
            <p id=format!("{prefix}-progress")>{format!("Asking ReccoBeats: batch {} of {total} (40 tracks each)…", done + 1)}</p>
            <progress max=total value=done></progress>
        })}
        {move || pasted.waiting.get().map(|left| view! {
            <p id=format!("{prefix}-waiting") role="status">"ReccoBeats asks this page to slow down. Trying again in "
                <strong id=format!("{prefix}-countdown")>{left}</strong>" s."</p>
            <button type="button" id=format!("{prefix}-cancel-wait") on:click=move |_| pasted.cancel_wait()>"Cancel"</button>
        })}
        {move || pasted.block.with(|b| b.as_ref().is_some_and(|b| b.has_failed())).then(|| view! {
            <button type="button" id=format!("{prefix}-retry") on:click=move |_| pasted.retry_failed()>"Retry the failed lines"</button>
        })}
    }
}
