//! The builder on small fixtures in each supported format, and on broken input.

use moodplane_catalog_builder::{build_catalog, BuildError};
use moodplane_core::TrackId;

const TUTORIAL: &str = "id,genre,track_name,artist_name,valence,energy
0KpfYajJVVGgQ32Dby7e9i,acoustic,\"Hey, Soul Sister\",Train,0.768,0.885
6Zewjs7at1sPyc03lUoAHB,acoustic,Save Your Scissors,City and Colour,0.567,0.647
1EzrEOXmMH3G43AXT1y7pA,rock,,,0.0,0.0
";

fn id(text: &str) -> TrackId {
    TrackId::parse(text).unwrap()
}

#[test]
fn tutorial_format() {
    let built = build_catalog(TUTORIAL, "t.csv").unwrap();
    let c = &built.catalog;
    assert_eq!(c.len(), 3);
    let t = c.track(0);
    assert_eq!(
        (t.name, t.artist, t.genre),
        ("Hey, Soul Sister", "Train", "acoustic")
    );
    assert_eq!((t.mood.valence, t.mood.energy), (0.768, 0.885));
    // Empty name and artist are kept, not skipped.
    assert_eq!(c.track(2).name, "");
    assert_eq!(built.report.format, "tutorial");
    assert_eq!(built.report.skipped_total(), 0);
    assert_eq!(c.source(), "t.csv (tutorial format)");
}

#[test]
fn tidytuesday_format_keeps_extras_and_drops_duplicates() {
    let csv = "track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms
6f807x0ima9a1j3VPbc7VN,I Don't Care (with Justin Bieber) - Loud Luxury Remix,Ed Sheeran,66,2oCs0DGTsRO98Gh5ZSl2Cx,I Don't Care,2019-06-14,Pop Remix,37i9dQZF1DXcZDD7cfEKhW,pop,dance pop,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754
0r7CVbZTWZgbTCYdfa2P31,Memories - Dillon Francis Remix,Maroon 5,67,63rPSO264uRjW1X5E6cWv6,Memories,2019-12-13,Pop Remix,37i9dQZF1DXcZDD7cfEKhW,pop,dance pop,0.726,0.815,11,-4.969,1,0.0373,0.0724,0.00421,0.357,0.693,99.972,162600
6f807x0ima9a1j3VPbc7VN,I Don't Care (with Justin Bieber) - Loud Luxury Remix,Ed Sheeran,66,2oCs0DGTsRO98Gh5ZSl2Cx,I Don't Care,2019-06-14,Dance Pop,37i9dQZF1DX0BcQWzuB7ZO,edm,electro house,0.748,0.916,6,-2.634,1,0.0583,0.102,0,0.0653,0.518,122.036,194754
";
    let built = build_catalog(csv, "s.csv").unwrap();
    assert_eq!(built.report.duplicates, 1);
    assert_eq!(built.catalog.len(), 2);
    let t = built.catalog.track(0);
    assert_eq!((t.genre, t.artist), ("pop", "Ed Sheeran"));
    let e = built.catalog.extras(1);
    assert_eq!(e.danceability, Some(0.726));
    assert_eq!(e.acousticness, Some(0.0724));
    assert_eq!(e.tempo, Some(99.972));
    assert_eq!(e.popularity, Some(67.0));
}

#[test]
fn kaggle_format_with_unnamed_index_column() {
    let csv = ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre
0,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic
2,1iJBSr7s7jYXzM8EGcbK5b,Ingrid Michaelson;ZAYN,To Begin Again,To Begin Again,57,210826,False,0.438,0.359,0,-9.734,1,0.0557,0.21,0,0.117,0.12,76.332,4,acoustic
";
    let built = build_catalog(csv, "k.csv").unwrap();
    assert_eq!(built.report.format, "Kaggle 114k tracks");
    let t = built.catalog.track(1);
    assert_eq!(t.artist, "Ingrid Michaelson, ZAYN");
    assert_eq!((t.mood.valence, t.mood.energy), (0.12, 0.359));
    assert_eq!(built.catalog.extras(0).popularity, Some(73.0));
    assert_eq!(
        built.catalog.index_of(&id("5SuOikwiRyPMVoIQDJUgSV")),
        Some(0)
    );
}

#[test]
fn exportify_with_audio_features() {
    let csv = include_str!("fixtures/exportify_with_features.csv");
    let built = build_catalog(csv, "e.csv").unwrap();
    assert_eq!(built.catalog.len(), 2);
    let t = built.catalog.track(0);
    assert_eq!(
        (t.id.as_str(), t.name, t.genre),
        ("0KpfYajJVVGgQ32Dby7e9i", "Hey, Soul Sister", "neo mellow")
    );
    assert_eq!(built.catalog.track(1).genre, "");
    assert_eq!(built.catalog.extras(0).tempo, Some(97.012));
    // The third row's URI is malformed: skipped, on line 4.
    let (count, lines) =
        &built.report.skipped[&moodplane_catalog_builder::row::SkipReason::BadTrackId];
    assert_eq!((*count, lines.as_slice()), (1, &[4u64][..]));
}

#[test]
fn exportify_without_audio_features_is_explained() {
    let err = build_catalog(
        include_str!("fixtures/exportify_new_no_features.csv"),
        "e.csv",
    )
    .unwrap_err();
    assert!(matches!(err, BuildError::ExportWithoutAudioFeatures));
}

#[test]
fn missing_column_is_named() {
    let err = build_catalog("id,genre,track_name,artist_name,energy\n", "m.csv").unwrap_err();
    assert!(
        err.to_string()
            .contains("missing the required column(s) \"valence\""),
        "{err}"
    );
}

#[test]
fn junk_and_out_of_range_rows_are_skipped_and_reported() {
    let csv = "id,genre,track_name,artist_name,valence,energy
0KpfYajJVVGgQ32Dby7e9i,a,ok,x,0.5,0.5
6Zewjs7at1sPyc03lUoAHB,a,junk,x,high,0.5
1EzrEOXmMH3G43AXT1y7pA,a,range,x,0.5,1.5
5SuOikwiRyPMVoIQDJUgSV,a,missing,x,,0.5
4qPNDBW1i3p13qLCt0Ki3A,a,nan,x,NaN,0.5
short,a,id,x,0.5,0.5
1iJBSr7s7jYXzM8EGcbK5b,a,fields missing
";
    let built = build_catalog(csv, "j.csv").unwrap();
    assert_eq!(built.catalog.len(), 1);
    assert_eq!(built.report.rows, 7);
    assert_eq!(built.report.skipped_total(), 6);
    let text = built.report.to_string();
    for expected in [
        "2 × valence is not a number (lines 3, 6)",
        "1 × energy is outside 0..1 (lines 4)",
        "1 × valence is empty (lines 5)",
        // Reported: a short row used to read as "valence is empty".
        "1 × row has 3 fields, the header has 6 (lines 8)",
        "1 × track id is not 22 letters and digits (lines 7)",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
}

#[test]
fn reports_only_the_first_five_lines_per_reason() {
    let mut csv = String::from(
        "id,genre,track_name,artist_name,valence,energy\n0KpfYajJVVGgQ32Dby7e9i,a,ok,x,0.5,0.5\n",
    );
    for _ in 0..8 {
        csv.push_str("6Zewjs7at1sPyc03lUoAHB,a,junk,x,?,0.5\n");
    }
    let report = build_catalog(&csv, "r.csv").unwrap().report;
    assert!(
        report
            .to_string()
            .contains("8 × valence is not a number (lines 3, 4, 5, 6, 7, …)"),
        "{report}"
    );
}

#[test]
fn empty_and_header_only_files() {
    assert!(matches!(
        build_catalog("", "e.csv").unwrap_err(),
        BuildError::Empty
    ));
    assert!(matches!(
        build_catalog("id,genre,track_name,artist_name,valence,energy\n", "h.csv").unwrap_err(),
        BuildError::NoRows
    ));
}

#[test]
fn nothing_usable_reports_why() {
    let err = build_catalog(
        "id,genre,track_name,artist_name,valence,energy\nx,a,b,c,1,1\n",
        "n.csv",
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("nothing usable remains"), "{text}");
    assert!(
        text.contains("track id is not 22 letters and digits (lines 2)"),
        "{text}"
    );
}

#[test]
fn byte_order_mark_and_crlf() {
    let csv = "\u{feff}id,genre,track_name,artist_name,valence,energy\r\n0KpfYajJVVGgQ32Dby7e9i,acoustic,\"Hey, Soul Sister\",Train,0.768,0.885\r\n";
    let built = build_catalog(csv, "b.csv").unwrap();
    assert_eq!(built.catalog.track(0).name, "Hey, Soul Sister");
}

#[test]
fn unknown_header() {
    let err = build_catalog("title,mood\nx,y\n", "u.csv").unwrap_err();
    assert!(matches!(err, BuildError::UnknownFormat { .. }));
}
