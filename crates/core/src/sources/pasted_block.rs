//! A pasted block of links (one per line): each line's track looked up in the catalog at
//! once, the rest sent to ReccoBeats in batches of 40 (with consent), every line ending
//! with an outcome the person can read, and the placed ones forming the plane's temporary
//! "pasted" layer.

use std::collections::HashMap;

use crate::catalog::Catalog;
use crate::mood::Mood;
use crate::query::{group_thousands, Query};
use crate::spotify_link::{parse_link_block, LinkError};
use crate::track_id::TrackId;

use super::reccobeats::{batches, FeaturesOutcome};
use super::MoodSource;

/// What became of one line.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome {
    /// Placed: in the catalog (with its index) or by a source.
    Placed {
        mood: Mood,
        source: MoodSource,
        catalog_index: Option<usize>,
    },
    /// Waiting for a source (or for consent).
    Pending,
    /// The source has no mood for it.
    NoMood { why: String },
    /// The request for it failed.
    Failed { message: String },
    /// Not a track link.
    NotALink(LinkError),
    /// The same track as an earlier line.
    Repeat,
}

/// One line of the block.
#[derive(Debug, Clone, PartialEq)]
pub struct PastedTrack {
    pub line: usize,
    pub id: Option<TrackId>,
    /// The catalog's title and artist, or the source's, when known.
    pub title: Option<String>,
    pub outcome: LineOutcome,
}

impl PastedTrack {
    /// The query this line gives, if it was placed.
    pub fn query(&self) -> Option<Query> {
        match &self.outcome {
            LineOutcome::Placed {
                catalog_index: Some(index),
                mood,
                ..
            } => Some(Query {
                mood: *mood,
                track: Some(*index),
            }),
            LineOutcome::Placed { mood, .. } => Some(Query::at(*mood)),
            _ => None,
        }
    }

    /// The outcome in words.
    pub fn describe(&self) -> String {
        match &self.outcome {
            LineOutcome::Placed { mood, source, .. } => format!(
                "valence {:.3}, energy {:.3} ({source})",
                mood.valence, mood.energy
            ),
            LineOutcome::Pending => "waiting".to_owned(),
            LineOutcome::NoMood { why } => why.clone(),
            LineOutcome::Failed { message } => message.clone(),
            LineOutcome::NotALink(error) => error.to_string(),
            LineOutcome::Repeat => "the same track as an earlier line".to_owned(),
        }
    }
}

/// The whole block and its progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PastedBlock {
    pub tracks: Vec<PastedTrack>,
    /// Lines beyond the readable maximum, not read.
    pub lines_not_read: usize,
}

impl PastedBlock {
    /// Reads the block and places every line whose track the catalog holds.
    pub fn read(text: &str, catalog: &Catalog) -> PastedBlock {
        let (lines, lines_not_read) = parse_link_block(text);
        let tracks = lines
            .into_iter()
            .map(|line| match line.outcome {
                Err(error) => PastedTrack {
                    line: line.line,
                    id: None,
                    title: None,
                    outcome: LineOutcome::NotALink(error),
                },
                Ok(id) if line.repeat => PastedTrack {
                    line: line.line,
                    id: Some(id),
                    title: None,
                    outcome: LineOutcome::Repeat,
                },
                Ok(id) => match catalog.index_of(&id) {
                    Some(index) => {
                        let track = catalog.track(index);
                        PastedTrack {
                            line: line.line,
                            title: Some(format!("{} — {}", track.name, track.artist)),
                            id: Some(id),
                            outcome: LineOutcome::Placed {
                                mood: track.mood,
                                source: MoodSource::Catalog,
                                catalog_index: Some(index),
                            },
                        }
                    }
                    None => PastedTrack {
                        line: line.line,
                        id: Some(id),
                        title: None,
                        outcome: LineOutcome::Pending,
                    },
                },
            })
            .collect();
        PastedBlock {
            tracks,
            lines_not_read,
        }
    }

    /// The ids still waiting for a source, each once, in line order.
    pub fn pending_ids(&self) -> Vec<TrackId> {
        self.tracks
            .iter()
            .filter(|t| t.outcome == LineOutcome::Pending)
            .filter_map(|t| t.id.clone())
            .collect()
    }

    /// Records what the catalog said of waiting ids after the block was read (a tiled
    /// catalog's id shards): found as track `index` at `mood` (placed, its title unknown
    /// until the track becomes the query), not there (still waiting, for another source),
    /// or not readable (failed, with the message; a retry asks the catalog again).
    pub fn apply_catalog_lookup(
        &mut self,
        answers: impl IntoIterator<Item = (TrackId, Result<Option<(usize, Mood)>, String>)>,
    ) {
        for (id, answer) in answers {
            match answer {
                Ok(Some((index, mood))) => self.place_from_catalog(&id, index, mood),
                Ok(None) => {}
                Err(message) => self.apply_failure(std::slice::from_ref(&id), &message),
            }
        }
    }

    fn place_from_catalog(&mut self, id: &TrackId, index: usize, mood: Mood) {
        for track in &mut self.tracks {
            if track.outcome == LineOutcome::Pending && track.id.as_ref() == Some(id) {
                track.outcome = LineOutcome::Placed {
                    mood,
                    source: MoodSource::Catalog,
                    catalog_index: Some(index),
                };
            }
        }
    }

    /// The ids still waiting for a source, in request-sized batches.
    pub fn pending_batches(&self) -> Vec<Vec<TrackId>> {
        batches(&self.pending_ids())
    }

    pub fn pending_count(&self) -> usize {
        self.tracks
            .iter()
            .filter(|t| t.outcome == LineOutcome::Pending)
            .count()
    }

    /// Records ReccoBeats' answer for one batch; `titles` maps ids to "title — artists".
    pub fn apply_features(
        &mut self,
        outcomes: Vec<(TrackId, FeaturesOutcome)>,
        titles: &HashMap<TrackId, String>,
    ) {
        let by_id: HashMap<TrackId, FeaturesOutcome> = outcomes.into_iter().collect();
        for track in &mut self.tracks {
            let Some(id) = &track.id else { continue };
            if track.outcome != LineOutcome::Pending {
                continue;
            }
            let Some(outcome) = by_id.get(id) else {
                continue;
            };
            if let Some(title) = titles.get(id) {
                track.title = Some(title.clone());
            }
            track.outcome = match outcome {
                FeaturesOutcome::Found(features) => LineOutcome::Placed {
                    mood: features.mood.rounded(),
                    source: MoodSource::ReccoBeats,
                    catalog_index: None,
                },
                other => LineOutcome::NoMood {
                    why: other.why_no_mood().unwrap_or_default(),
                },
            };
        }
    }

    /// Marks the pending lines among `ids` as failed.
    pub fn apply_failure(&mut self, ids: &[TrackId], message: &str) {
        for track in &mut self.tracks {
            if track.outcome == LineOutcome::Pending
                && track.id.as_ref().is_some_and(|id| ids.contains(id))
            {
                track.outcome = LineOutcome::Failed {
                    message: message.to_owned(),
                };
            }
        }
    }

    /// Whether some lines' requests failed (and can be retried).
    pub fn has_failed(&self) -> bool {
        self.tracks
            .iter()
            .any(|t| matches!(t.outcome, LineOutcome::Failed { .. }))
    }

    /// Puts the failed lines back to waiting, to be asked again.
    pub fn retry_failed(&mut self) {
        for track in &mut self.tracks {
            if matches!(track.outcome, LineOutcome::Failed { .. }) {
                track.outcome = LineOutcome::Pending;
            }
        }
    }

    /// Every pending line stays unplaced because the person did not consent.
    pub fn decline_pending(&mut self) {
        for track in &mut self.tracks {
            if track.outcome == LineOutcome::Pending {
                track.outcome = LineOutcome::NoMood {
                    why: "not sent anywhere: place it by hand, or allow ReccoBeats".to_owned(),
                };
            }
        }
    }

    /// The moods of the placed lines: the plane's "pasted" layer.
    pub fn placed_moods(&self) -> Vec<Mood> {
        self.tracks
            .iter()
            .filter_map(|t| match t.outcome {
                LineOutcome::Placed { mood, .. } => Some(mood),
                _ => None,
            })
            .collect()
    }

    /// One line for the person: how many were placed, from where, and what is left.
    pub fn summary(&self) -> String {
        let count =
            |f: &dyn Fn(&LineOutcome) -> bool| self.tracks.iter().filter(|t| f(&t.outcome)).count();
        let from = |source: MoodSource| {
            count(&|o| matches!(o, LineOutcome::Placed { source: s, .. } if *s == source))
        };
        let placed = count(&|o| matches!(o, LineOutcome::Placed { .. }));
        let mut parts = vec![format!(
            "{} of {} placed ({} from the catalog, {} from ReccoBeats)",
            group_thousands(placed),
            group_thousands(self.tracks.len()),
            group_thousands(from(MoodSource::Catalog)),
            group_thousands(from(MoodSource::ReccoBeats)),
        )];
        let pending = self.pending_count();
        if pending > 0 {
            parts.push(format!("{} waiting", group_thousands(pending)));
        }
        let unplaced =
            count(&|o| matches!(o, LineOutcome::NoMood { .. } | LineOutcome::Failed { .. }));
        if unplaced > 0 {
            parts.push(format!("{} without a mood", group_thousands(unplaced)));
        }
        let not_links = count(&|o| matches!(o, LineOutcome::NotALink(_)));
        if not_links > 0 {
            parts.push(format!(
                "{} lines not a track link",
                group_thousands(not_links)
            ));
        }
        if self.lines_not_read > 0 {
            parts.push(format!(
                "{} more lines not read",
                group_thousands(self.lines_not_read)
            ));
        }
        parts.join("; ") + "."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, TrackRecord};
    use crate::sources::reccobeats::RbFeatures;

    const IN_CATALOG: &str = "0KpfYajJVVGgQ32Dby7e9i";
    const SHAPE: &str = "7qiZfU4dY1lWllzX7mPBI3";
    const UNKNOWN: &str = "2222222222222222222222";

    fn id(text: &str) -> TrackId {
        TrackId::parse(text).unwrap()
    }

    fn catalog() -> Catalog {
        let record = TrackRecord {
            id: id(IN_CATALOG),
            name: "Hey, Soul Sister".into(),
            artist: "Train".into(),
            genre: "pop".into(),
            mood: Mood::new(0.795, 0.886).unwrap(),
            extras: Default::default(),
        };
        Catalog::from_records("test", vec![record]).0
    }

    fn block() -> PastedBlock {
        let text = format!(
            "https://open.spotify.com/track/{IN_CATALOG}\nspotify:track:{SHAPE}\nhello\nhttps://open.spotify.com/track/{UNKNOWN}\nhttps://open.spotify.com/track/{SHAPE}\n"
        );
        PastedBlock::read(&text, &catalog())
    }

    #[test]
    fn catalog_lines_are_placed_at_once_and_the_rest_waits() {
        let block = block();
        assert_eq!(block.tracks.len(), 5);
        assert!(matches!(
            block.tracks[0].outcome,
            LineOutcome::Placed {
                source: MoodSource::Catalog,
                catalog_index: Some(0),
                ..
            }
        ));
        assert_eq!(
            block.tracks[0].title.as_deref(),
            Some("Hey, Soul Sister — Train")
        );
        assert_eq!(block.tracks[1].outcome, LineOutcome::Pending);
        assert!(matches!(block.tracks[2].outcome, LineOutcome::NotALink(_)));
        assert_eq!(block.tracks[4].outcome, LineOutcome::Repeat);
        assert_eq!(block.pending_batches(), vec![vec![id(SHAPE), id(UNKNOWN)]]);
        assert_eq!(
            block.summary(),
            "1 of 5 placed (1 from the catalog, 0 from ReccoBeats); 2 waiting; 1 lines not a track link."
        );
        assert_eq!(
            block.tracks[0].query().unwrap().track,
            Some(0),
            "a catalog line's query excludes the track itself"
        );
    }

    #[test]
    fn answers_place_lines_and_failures_are_kept_per_line() {
        let mut block = block();
        let found = FeaturesOutcome::Found(RbFeatures {
            mood: Mood::new(0.931, 0.652).unwrap(),
            danceability: None,
            acousticness: None,
            tempo: None,
        });
        let titles = HashMap::from([(id(SHAPE), "Shape of You — Ed Sheeran".to_owned())]);
        block.apply_features(
            vec![(id(SHAPE), found), (id(UNKNOWN), FeaturesOutcome::Unknown)],
            &titles,
        );
        assert!(matches!(
            block.tracks[1].outcome,
            LineOutcome::Placed {
                source: MoodSource::ReccoBeats,
                ..
            }
        ));
        assert_eq!(
            block.tracks[1].title.as_deref(),
            Some("Shape of You — Ed Sheeran")
        );
        assert!(block.tracks[3]
            .describe()
            .contains("ReccoBeats has no features"));
        assert_eq!(block.placed_moods().len(), 2);
        assert_eq!(block.pending_count(), 0);
        assert!(block.summary().starts_with(
            "2 of 5 placed (1 from the catalog, 1 from ReccoBeats); 1 without a mood"
        ));
        let mut failed = PastedBlock::read(&format!("{SHAPE}\n{UNKNOWN}\n"), &catalog());
        failed.apply_failure(&[id(SHAPE)], "offline");
        assert_eq!(failed.tracks[0].describe(), "offline");
        assert!(failed.has_failed());
        failed.retry_failed();
        assert_eq!(failed.tracks[0].outcome, LineOutcome::Pending);
        assert!(!failed.has_failed());
        failed.apply_failure(&[id(SHAPE)], "offline");
        assert_eq!(failed.tracks[1].outcome, LineOutcome::Pending);
        failed.decline_pending();
        assert!(failed.tracks[1].describe().contains("not sent anywhere"));
    }

    #[test]
    fn lines_found_later_in_a_tiled_catalog_are_placed_from_the_catalog() {
        // A tiled catalog holds no tracks when the block is read: every link waits.
        let empty = Catalog::from_records("test", vec![]).0;
        let text = format!("{IN_CATALOG}\n{SHAPE}\n{UNKNOWN}\n");
        let mut block = PastedBlock::read(&text, &empty);
        assert_eq!(
            block.pending_ids(),
            vec![id(IN_CATALOG), id(SHAPE), id(UNKNOWN)]
        );
        let mood = Mood::new(0.795, 0.886).unwrap();
        block.apply_catalog_lookup([
            (id(IN_CATALOG), Ok(Some((1234, mood)))),
            (id(UNKNOWN), Ok(None)),
        ]);
        assert_eq!(
            block.tracks[0].query(),
            Some(Query {
                mood,
                track: Some(1234)
            }),
            "a catalog line's query is the track, so its list leaves it out"
        );
        assert_eq!(block.pending_ids(), vec![id(SHAPE), id(UNKNOWN)]);
        assert_eq!(block.pending_batches(), vec![vec![id(SHAPE), id(UNKNOWN)]]);
        assert_eq!(
            block.summary(),
            "1 of 3 placed (1 from the catalog, 0 from ReccoBeats); 2 waiting."
        );
        // An id that no longer waits is left as it is; an unreadable shard fails its line.
        block.apply_catalog_lookup([
            (id(IN_CATALOG), Ok(Some((99, Mood::CENTRE)))),
            (
                id(SHAPE),
                Err("The catalog's id index could not be downloaded.".to_owned()),
            ),
        ]);
        assert_eq!(block.tracks[0].query().unwrap().track, Some(1234));
        assert_eq!(
            block.tracks[1].describe(),
            "The catalog's id index could not be downloaded."
        );
        assert_eq!(block.pending_ids(), vec![id(UNKNOWN)]);
        block.retry_failed();
        assert_eq!(block.pending_ids(), vec![id(SHAPE), id(UNKNOWN)]);
    }

    #[test]
    fn big_blocks_are_batched_by_forty() {
        let text: String = (0..95).map(|i| format!("{i:0>22}\n")).collect();
        let block = PastedBlock::read(&text, &catalog());
        assert_eq!(
            block
                .pending_batches()
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>(),
            vec![40, 40, 15]
        );
    }
}
