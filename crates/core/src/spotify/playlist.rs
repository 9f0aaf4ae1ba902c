//! Saving a list as a Spotify playlist, as the 2026 Web API allows it: the scope to ask
//! for (private unless the person chooses public), `POST /v1/me/playlists` to create it,
//! then `POST /v1/playlists/{id}/items` with at most 100 track URIs a request, in order.
//! A save remembers how far it got, so a retry after a partial failure adds only the
//! rest and never duplicates.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::track_id::TrackId;

/// Track URIs one add-items request may carry.
pub const MAX_ITEMS_PER_REQUEST: usize = 100;

/// The scope a save needs.
pub fn required_scope(public: bool) -> &'static str {
    if public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    }
}

/// Whether the space-separated `granted` scopes include `needed`.
pub fn has_scope(granted: &str, needed: &str) -> bool {
    granted.split_whitespace().any(|s| s == needed)
}

/// What the person asked to save (kept across a login round trip).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaylistDraft {
    pub name: String,
    pub description: String,
    pub public: bool,
    /// `spotify:track:…`, in order.
    pub uris: Vec<String>,
}

/// What the person typed in the save form.
#[derive(Debug, Clone, Copy)]
pub struct PlaylistForm<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub public: bool,
}

impl PlaylistDraft {
    /// The draft a form gives: an empty name takes `default_name` (the mood), an empty
    /// description says where it was made, with `view_link` back to the view.
    pub fn from_form<'a>(
        form: PlaylistForm,
        default_name: &str,
        view_link: &str,
        ids: impl IntoIterator<Item = &'a TrackId>,
    ) -> PlaylistDraft {
        let or = |typed: &str, fallback: String| {
            let typed = typed.trim();
            if typed.is_empty() {
                fallback
            } else {
                typed.to_owned()
            }
        };
        PlaylistDraft {
            name: or(form.name, default_name.to_owned()),
            description: or(
                form.description,
                format!("Made with Moodplane: {view_link}"),
            ),
            public: form.public,
            uris: ids
                .into_iter()
                .map(|id| format!("spotify:track:{id}"))
                .collect(),
        }
    }
}

/// A playlist Spotify created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedPlaylist {
    pub id: String,
    /// Its page on open.spotify.com, when Spotify gave it.
    pub url: Option<String>,
}

/// A save in progress: the draft, the playlist once created, how many tracks are in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaylistSave {
    pub draft: PlaylistDraft,
    pub playlist: Option<CreatedPlaylist>,
    pub added: usize,
}

/// The next request a save needs.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveRequest {
    /// `POST /v1/me/playlists` with this JSON body.
    Create {
        body: String,
    },
    /// `POST /v1/playlists/{playlist_id}/items` with this JSON body of `count` URIs.
    AddItems {
        path: String,
        body: String,
        count: usize,
    },
    Done,
}

#[derive(Deserialize)]
struct RawPlaylist {
    id: String,
    #[serde(default)]
    external_urls: Option<RawUrls>,
}

#[derive(Deserialize)]
struct RawUrls {
    #[serde(default)]
    spotify: Option<String>,
}

impl PlaylistSave {
    pub fn new(draft: PlaylistDraft) -> PlaylistSave {
        PlaylistSave {
            draft,
            playlist: None,
            added: 0,
        }
    }

    pub fn next_request(&self) -> SaveRequest {
        let Some(playlist) = &self.playlist else {
            return SaveRequest::Create {
                body: json!({
                    "name": self.draft.name,
                    "description": self.draft.description,
                    "public": self.draft.public,
                })
                .to_string(),
            };
        };
        let rest = &self.draft.uris[self.added.min(self.draft.uris.len())..];
        if rest.is_empty() {
            return SaveRequest::Done;
        }
        let batch = &rest[..rest.len().min(MAX_ITEMS_PER_REQUEST)];
        SaveRequest::AddItems {
            path: format!("/v1/playlists/{}/items", playlist.id),
            body: json!({ "uris": batch }).to_string(),
            count: batch.len(),
        }
    }

    /// Records the answer of the create request.
    pub fn created(&mut self, body: &str) -> Result<(), String> {
        let raw: RawPlaylist = serde_json::from_str(body)
            .map_err(|e| format!("Spotify's answer could not be read ({e})"))?;
        self.playlist = Some(CreatedPlaylist {
            id: raw.id,
            url: raw.external_urls.and_then(|u| u.spotify),
        });
        Ok(())
    }

    /// Records a successful add-items request of `count` tracks.
    pub fn added_batch(&mut self, count: usize) {
        self.added = (self.added + count).min(self.draft.uris.len());
    }

    pub fn is_done(&self) -> bool {
        self.next_request() == SaveRequest::Done
    }

    /// Where the save stands, in words (for progress and for a partial failure).
    pub fn progress(&self) -> String {
        let total = self.draft.uris.len();
        match &self.playlist {
            None => format!("Creating the playlist “{}”…", self.draft.name),
            Some(_) if self.added >= total => {
                format!("Saved “{}” with all {total} tracks.", self.draft.name)
            }
            Some(_) => format!(
                "Added {} of {total} tracks to “{}”; Retry adds the other {}.",
                self.added,
                self.draft.name,
                total - self.added
            ),
        }
    }

    /// The text kept across a login round trip.
    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_storage(text: &str) -> Option<PlaylistSave> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(tracks: usize) -> PlaylistDraft {
        PlaylistDraft {
            name: "Moodplane: valence 0.30, energy 0.06".into(),
            description: "Made with Moodplane".into(),
            public: false,
            uris: (0..tracks)
                .map(|i| format!("spotify:track:{i:0>22}"))
                .collect(),
        }
    }

    #[test]
    fn private_by_default_and_the_scope_it_needs() {
        assert_eq!(required_scope(false), "playlist-modify-private");
        assert_eq!(required_scope(true), "playlist-modify-public");
        assert!(has_scope(
            "user-read-private playlist-modify-private",
            "playlist-modify-private"
        ));
        assert!(!has_scope(
            "playlist-modify-private",
            "playlist-modify-public"
        ));
        assert!(!has_scope("", "playlist-modify-private"));
    }

    #[test]
    fn a_form_left_empty_takes_the_mood_and_a_link_back() {
        let id = TrackId::parse("0KpfYajJVVGgQ32Dby7e9i").unwrap();
        let empty = PlaylistForm {
            name: "  ",
            description: "",
            public: false,
        };
        let draft = PlaylistDraft::from_form(
            empty,
            "Moodplane: valence 0.30",
            "http://127.0.0.1:8080/?v=0.3",
            [&id],
        );
        assert_eq!(draft.name, "Moodplane: valence 0.30");
        assert_eq!(
            draft.description,
            "Made with Moodplane: http://127.0.0.1:8080/?v=0.3"
        );
        assert_eq!(draft.uris, vec!["spotify:track:0KpfYajJVVGgQ32Dby7e9i"]);
        let typed = PlaylistForm {
            name: " Evening calm ",
            description: "for later",
            public: true,
        };
        let draft = PlaylistDraft::from_form(typed, "unused", "unused", [&id]);
        assert_eq!(
            (
                draft.name.as_str(),
                draft.description.as_str(),
                draft.public
            ),
            ("Evening calm", "for later", true)
        );
    }

    #[test]
    fn creates_then_adds_in_batches_of_a_hundred_in_order() {
        let mut save = PlaylistSave::new(draft(230));
        let SaveRequest::Create { body } = save.next_request() else {
            panic!("create first");
        };
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["public"], false);
        save.created(
            r#"{"id":"pl1","external_urls":{"spotify":"https://open.spotify.com/playlist/pl1"}}"#,
        )
        .unwrap();
        let mut counts = Vec::new();
        let mut first_uris = Vec::new();
        while let SaveRequest::AddItems { path, body, count } = save.next_request() {
            assert_eq!(path, "/v1/playlists/pl1/items");
            let body: serde_json::Value = serde_json::from_str(&body).unwrap();
            first_uris.push(body["uris"][0].as_str().unwrap().to_owned());
            counts.push(count);
            save.added_batch(count);
        }
        assert_eq!(counts, vec![100, 100, 30]);
        assert_eq!(first_uris[1], format!("spotify:track:{:0>22}", 100));
        assert!(save.is_done());
        assert_eq!(
            save.progress(),
            "Saved “Moodplane: valence 0.30, energy 0.06” with all 230 tracks."
        );
    }

    #[test]
    fn a_retry_after_a_partial_failure_adds_only_the_rest() {
        let mut save = PlaylistSave::new(draft(150));
        save.created(r#"{"id":"pl1"}"#).unwrap();
        save.added_batch(100);
        // The second request failed: nothing recorded. The save survives storage.
        let restored = PlaylistSave::from_storage(&save.to_storage()).unwrap();
        assert_eq!(restored, save);
        assert!(save.progress().starts_with("Added 100 of 150 tracks"));
        let SaveRequest::AddItems { body, count, .. } = save.next_request() else {
            panic!("the rest");
        };
        assert_eq!(count, 50);
        assert!(body.contains(&format!("spotify:track:{:0>22}", 100)));
        assert!(!body.contains(&format!("spotify:track:{:0>22}", 99)));
        assert!(save.created("not json").is_err());
    }
}
