//! The big public catalogs (issue 14): Spotify 1.2M+ Songs, 1921–2020 160k+, 600K+
//! tracks, any CSV with a track id, valence and energy, and several CSVs making one
//! catalog. Fixture rows are shaped like the real files' rows.

use moodplane_catalog_builder::format::{detect, SourceFormat};
use moodplane_catalog_builder::row::python_list;
use moodplane_catalog_builder::{build_catalog, build_catalog_from_sources, BuildError};

const SONGS_1200K: &str = "id,name,album,album_id,artists,artist_ids,track_number,disc_number,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms,time_signature,year,release_date
7lmeHLHBe4nmXzuXc0HDjk,Testify,The Battle Of Los Angeles,2eia0myWFgoHuttJytCxgX,['Rage Against The Machine'],['2d0hyoQ5ynDBnkvAbJKORj'],1,1,False,0.47,0.978,7,-5.399,1,0.0727,0.0261,1.09e-05,0.356,0.503,117.906,210133,4.0,1999,1999-11-02
1wsRitfRRtWyEapl0q22o8,\"Guerrilla Radio\",The Battle Of Los Angeles,2eia0myWFgoHuttJytCxgX,\"['Rage Against The Machine', \"\"Guns N' Roses\"\", 'Earth, Wind & Fire']\",['2d0hyoQ5ynDBnkvAbJKORj'],2,1,True,0.599,0.957,11,-5.764,1,0.188,0.0129,7.06e-05,0.155,0.489,103.68,206200,4.0,1999,1999-11-02
";

const DATA_160K: &str = "valence,year,acousticness,artists,danceability,duration_ms,energy,explicit,id,instrumentalness,key,liveness,loudness,mode,name,popularity,release_date,speechiness,tempo
0.0594,1921,0.982,\"['Sergei Rachmaninoff', 'James Levine', 'Berliner Philharmoniker']\",0.279,831667,0.211,0,4BJqT0PrAfrxzMOxytFOIz,0.878,10,0.665,-20.096,1,\"Piano Concerto No.3 in D Minor, Op.30: III. Finale. Alla breve\",4,1921,0.0366,80.954
0.963,1921,0.732,['Dennis Day'],0.819,180533,0.341,0,7xPhfUan2yNtyFG0cUWkt8,0,7,0.16,-12.441,1,Clancy Lowered the Boom,5,1921,0.415,60.936
";

const TRACKS_600K: &str = "id,name,popularity,duration_ms,explicit,artists,id_artists,release_date,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature
35iwgR4jXetI318WEWsa1Q,Carve,6,126903,0,['Uli'],['45tIt06XoI0Iio4LBEVpls'],1922-02-22,0.645,0.445,0,-13.338,1,0.451,0.674,0.744,0.151,0.127,104.851,3
021ht4sdgPcrDgSk7JTbKY,Capítulo 2.16 - Banquero Anarquista,0,98200,0,['Fernando Pessoa'],['14jtPCOoNZwquk5wd9DxrY'],1922-06-01,0.695,0.263,0,-22.136,1,0.957,0.797,0,0.148,0.655,102.009,1
";

#[test]
fn the_three_public_formats_are_recognised_from_their_headers() {
    for (csv, format) in [
        (SONGS_1200K, SourceFormat::Songs1200k),
        (DATA_160K, SourceFormat::Data160k),
        (TRACKS_600K, SourceFormat::Tracks600k),
    ] {
        let header: Vec<String> = csv
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_owned)
            .collect();
        assert_eq!(detect(&header).unwrap().0, format);
    }
}

#[test]
fn spotify_1200k_songs_with_python_list_artists() {
    let built = build_catalog(SONGS_1200K, "tracks_features.csv").unwrap();
    let c = &built.catalog;
    assert_eq!(c.len(), 2);
    let t = c.track(0);
    assert_eq!(
        (t.name, t.artist, t.genre),
        ("Testify", "Rage Against The Machine", "")
    );
    assert_eq!((t.mood.valence, t.mood.energy), (0.503, 0.978));
    // Quotes and commas inside names survive.
    assert_eq!(
        c.track(1).artist,
        "Rage Against The Machine, Guns N' Roses, Earth, Wind & Fire"
    );
    assert_eq!(c.extras(0).tempo, Some(117.906));
    assert_eq!(
        built.report.format,
        "Spotify 1.2M+ Songs tracks_features.csv"
    );
    assert_eq!(built.report.skipped_total(), 0);
}

#[test]
fn spotify_160k_data_with_popularity() {
    let built = build_catalog(DATA_160K, "data.csv").unwrap();
    let c = &built.catalog;
    let t = c.track(0);
    assert_eq!(
        t.artist,
        "Sergei Rachmaninoff, James Levine, Berliner Philharmoniker"
    );
    assert_eq!(
        t.name,
        "Piano Concerto No.3 in D Minor, Op.30: III. Finale. Alla breve"
    );
    assert_eq!((t.mood.valence, t.mood.energy), (0.0594, 0.211));
    assert_eq!(c.extras(1).popularity, Some(5.0));
}

#[test]
fn spotify_600k_tracks() {
    let built = build_catalog(TRACKS_600K, "tracks.csv").unwrap();
    let c = &built.catalog;
    assert_eq!(c.track(1).name, "Capítulo 2.16 - Banquero Anarquista");
    assert_eq!(c.track(1).artist, "Fernando Pessoa");
    assert_eq!(
        (c.track(0).mood.valence, c.track(0).mood.energy),
        (0.127, 0.445)
    );
}

#[test]
fn any_csv_with_an_id_valence_and_energy() {
    let csv = "Title,URI,Artist,Valence,Energy,Genre,Popularity
Testify,spotify:track:7lmeHLHBe4nmXzuXc0HDjk,Rage Against The Machine,0.503,0.978,rock,61
,spotify:track:4BJqT0PrAfrxzMOxytFOIz,\"['A', 'B']\",0.0594,0.211,,
";
    let built = build_catalog(csv, "mine.csv").unwrap();
    let c = &built.catalog;
    assert_eq!(built.report.format, "generic (track id, valence, energy)");
    assert_eq!(
        (c.track(0).name, c.track(0).artist, c.track(0).genre),
        ("Testify", "Rage Against The Machine", "rock")
    );
    assert_eq!(c.extras(0).popularity, Some(61.0));
    assert_eq!((c.track(1).name, c.track(1).artist), ("", "A, B"));
    // Only an id and the two moods.
    let bare = build_catalog(
        "track_id,energy,valence\n7lmeHLHBe4nmXzuXc0HDjk,0.9,0.1\n",
        "bare.csv",
    )
    .unwrap();
    assert_eq!(bare.catalog.track(0).mood.valence, 0.1);
}

#[test]
fn an_unknown_header_names_what_was_looked_for_and_the_formats_known() {
    let err = build_catalog("title,mood\nx,y\n", "x.csv").unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, BuildError::UnknownFormat { .. }));
    for expected in [
        "(title, mood)",
        "id, track_id, uri, track uri",
        "valence and energy",
        "tracks_features.csv",
        "data.csv",
        "tracks.csv",
        "Exportify",
    ] {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
    // The old guess: a file with "artists" but no id column is not taken for Kaggle 114k.
    let err = build_catalog("name,artists,valence,energy\nx,y,0.1,0.2\n", "x.csv").unwrap_err();
    assert!(matches!(err, BuildError::UnknownFormat { .. }), "{err}");
}

#[test]
fn python_lists_are_read_with_quotes_escapes_and_commas() {
    assert_eq!(python_list("['A']"), Some(vec!["A".to_owned()]));
    assert_eq!(
        python_list(r#"["Guns N' Roses", 'Earth, Wind & Fire', 'It\'s']"#),
        Some(vec![
            "Guns N' Roses".to_owned(),
            "Earth, Wind & Fire".to_owned(),
            "It's".to_owned()
        ])
    );
    assert_eq!(python_list("[]"), Some(vec![]));
    assert_eq!(python_list("Plain Artist"), None);
    assert_eq!(python_list("['unterminated]"), None);
    assert_eq!(python_list("['a' 'b']"), None);
}

#[test]
fn several_files_make_one_catalog_and_duplicates_keep_the_first() {
    let overlap = "id,name,artists,valence,energy,year,release_date
7lmeHLHBe4nmXzuXc0HDjk,Testify (again),['Someone Else'],0.9,0.9,1999,1999
7xPhfUan2yNtyFG0cUWkt8,Clancy,['Dennis Day'],0.5,0.5,1921,1921
";
    let built = build_catalog_from_sources([
        ("tracks_features.csv".to_owned(), SONGS_1200K.as_bytes()),
        ("mine.csv".to_owned(), overlap.as_bytes()),
    ])
    .unwrap();
    assert_eq!(built.catalog.len(), 3);
    assert_eq!(built.reports.len(), 2);
    assert_eq!(
        (built.reports[0].1.tracks, built.reports[0].1.duplicates),
        (2, 0)
    );
    assert_eq!(
        (built.reports[1].1.tracks, built.reports[1].1.duplicates),
        (1, 1)
    );
    let first = built
        .catalog
        .index_of(&moodplane_core::TrackId::parse("7lmeHLHBe4nmXzuXc0HDjk").unwrap())
        .unwrap();
    assert_eq!(
        built.catalog.track(first).name,
        "Testify",
        "the first file's row is kept"
    );
    assert_eq!(
        built.catalog.source(),
        "tracks_features.csv (Spotify 1.2M+ Songs tracks_features.csv format) + mine.csv (Spotify 1921–2020 160k+ data.csv format)"
    );
    // A bad file names itself.
    let err = build_catalog_from_sources([
        ("good.csv".to_owned(), SONGS_1200K.as_bytes()),
        ("bad.csv".to_owned(), "a,b\n1,2\n".as_bytes()),
    ])
    .unwrap_err();
    assert_eq!(err.file, "bad.csv");
    assert!(
        err.to_string()
            .starts_with("bad.csv: unrecognised CSV header"),
        "{err}"
    );
}
