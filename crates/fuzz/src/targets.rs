//! The five parsers under fuzz and a structure-aware generator for each: pasted links,
//! shared-link query strings, OAuth callbacks, packed catalogs and catalog CSVs. Each
//! generator starts from valid inputs and mutates them, so most inputs get past the first
//! check and into the parser's deeper branches.

use moodplane_catalog_builder::build_catalog_from_reader;
use moodplane_core::spotify::oauth::{judge_callback, parse_callback, without_callback};
use moodplane_core::{
    parse_track_link, Catalog, ExtraFeatures, Mood, TrackId, TrackRecord, ViewState,
};

use crate::mutate::{mutate_bytes, mutate_text};
use crate::seeded::Seeded;

/// A parser under fuzz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Link,
    View,
    Callback,
    Packed,
    Csv,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::Link,
        Target::View,
        Target::Callback,
        Target::Packed,
        Target::Csv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Link => "link",
            Target::View => "view",
            Target::Callback => "callback",
            Target::Packed => "packed",
            Target::Csv => "csv",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }
}

const ID: &str = "0KpfYajJVVGgQ32Dby7e9i";

const LINKS: &[&str] = &[
    "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i",
    "https://open.spotify.com/intl-de/track/0KpfYajJVVGgQ32Dby7e9i?si=1a2b3c",
    "spotify:track:0KpfYajJVVGgQ32Dby7e9i",
    "0KpfYajJVVGgQ32Dby7e9i",
    "Listen: https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9i so good",
    "<iframe src=\"https://open.spotify.com/embed/track/0KpfYajJVVGgQ32Dby7e9i?utm_source=generator\"></iframe>",
    "https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?highlight=spotify:track:0KpfYajJVVGgQ32Dby7e9i",
    "https://spotify.link/AbCdEf",
    "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
    "https://www.youtube.com/watch?v=x",
];

const VIEW_KEYS: &[&str] = &[
    "v", "e", "n", "track", "z", "w", "t", "gi", "gx", "ma", "rr", "x",
];
const VALUES: &[&str] = &[
    "0.304",
    "1",
    "0",
    "-0.1",
    "2",
    "abc",
    "5",
    "50",
    "51",
    ID,
    "danceability:0.5,tempo:2",
    "valence:0,energy:0,danceability:1",
    "pop,r%26b,a%2Cb",
    "jazz",
    "1e308",
    "NaN",
    "%aé",
    "",
];
const CALLBACK_KEYS: &[&str] = &["code", "state", "error", "error_description", "v", "n"];

fn query_string(rng: &mut Seeded, keys: &[&str]) -> String {
    let mut parts = Vec::new();
    for _ in 0..rng.below(7) {
        let key = rng.pick(keys);
        let mut value = rng.pick(VALUES).to_string();
        if rng.chance(10) {
            value = vec![value; 1 + rng.below(300)].join(",");
        }
        parts.push(format!("{key}={value}"));
    }
    let search = parts.join("&");
    let search = if rng.chance(50) {
        format!("?{search}")
    } else {
        search
    };
    if rng.chance(60) {
        mutate_text(rng, &search)
    } else {
        search
    }
}

/// A small valid catalog with every extra feature, some of them missing.
pub fn sample_catalog(rng: &mut Seeded) -> Catalog {
    let base62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let records = (0..12)
        .map(|i| {
            let id: String = (0..22).map(|_| base62[rng.below(62)] as char).collect();
            let unit = |rng: &mut Seeded| rng.below(1001) as f64 / 1000.0;
            let maybe = |rng: &mut Seeded, x: f64| (!rng.chance(20)).then_some(x);
            TrackRecord {
                id: TrackId::parse(&id).expect("22 base62 characters"),
                name: format!("Track {i} é"),
                artist: format!("Artist {}", i % 4),
                genre: ["pop", "rock", "jazz"][i % 3].to_owned(),
                mood: Mood::new(unit(rng), unit(rng)).expect("in range"),
                extras: ExtraFeatures {
                    danceability: {
                        let x = unit(rng);
                        maybe(rng, x)
                    },
                    acousticness: {
                        let x = unit(rng);
                        maybe(rng, x)
                    },
                    tempo: {
                        let x = 60.0 + rng.below(120_000) as f64 / 1000.0;
                        maybe(rng, x)
                    },
                    popularity: {
                        let x = rng.below(101) as f64;
                        maybe(rng, x)
                    },
                },
            }
        })
        .collect();
    Catalog::from_records("fuzz", records).0
}

const CSV_HEADERS: &[&str] = &[
    "id,genre,track_name,artist_name,valence,energy",
    "track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms",
    "Track URI,Track Name,Artist Name(s),Valence,Energy",
    "id,name",
];

fn csv_text(rng: &mut Seeded) -> Vec<u8> {
    let header = *rng.pick(CSV_HEADERS);
    let columns = header.split(',').count();
    let mut text = format!("{header}\n");
    for _ in 0..rng.below(5) {
        let fields: Vec<String> = (0..columns)
            .map(|c| match c {
                0 => ID.to_owned(),
                _ => rng.pick(VALUES).to_string(),
            })
            .collect();
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    let text = if rng.chance(60) {
        mutate_text(rng, &text)
    } else {
        text
    };
    if rng.chance(30) {
        mutate_bytes(rng, text.as_bytes())
    } else {
        text.into_bytes()
    }
}

/// The inputs of one target, generated from its seeds.
pub struct Generator {
    packed: Vec<u8>,
}

impl Generator {
    pub fn new(rng: &mut Seeded) -> Generator {
        Generator {
            packed: sample_catalog(rng).to_packed(),
        }
    }

    /// One generated input for `target`.
    pub fn input(&self, target: Target, rng: &mut Seeded) -> Vec<u8> {
        match target {
            Target::Link => {
                let seed = *rng.pick(LINKS);
                let text = if rng.chance(85) {
                    mutate_text(rng, seed)
                } else {
                    seed.to_owned()
                };
                text.into_bytes()
            }
            Target::View => query_string(rng, VIEW_KEYS).into_bytes(),
            Target::Callback => query_string(rng, CALLBACK_KEYS).into_bytes(),
            Target::Packed => {
                if rng.chance(3) {
                    (0..rng.below(200)).map(|_| rng.below(256) as u8).collect()
                } else {
                    mutate_bytes(rng, &self.packed)
                }
            }
            Target::Csv => csv_text(rng),
        }
    }
}

/// Runs one input through its parser (and, when it parses, uses the result).
pub fn exercise(target: Target, input: &[u8]) {
    let text = || String::from_utf8_lossy(input);
    match target {
        Target::Link => {
            let _ = parse_track_link(&text());
        }
        Target::View => {
            let (state, _) = ViewState::parse(&text());
            let _ = ViewState::parse(&state.to_query());
        }
        Target::Callback => {
            let search = text();
            if let Some(callback) = parse_callback(&search) {
                let _ = judge_callback(&callback, Some("saved-state"), false);
                let _ = judge_callback(&callback, None, true);
            }
            let _ = without_callback(&search);
        }
        Target::Packed => {
            if let Ok(catalog) = Catalog::from_packed(input) {
                for i in 0..catalog.len() {
                    let _ = catalog.track(i);
                }
                let _ = catalog.to_packed();
            }
        }
        Target::Csv => {
            if let Ok(built) = build_catalog_from_reader(input, "fuzz.csv") {
                let _ = built.report.to_string();
                let _ = built.catalog.to_packed();
            } else if let Err(error) = build_catalog_from_reader(input, "fuzz.csv") {
                let _ = error.to_string();
            }
        }
    }
}
