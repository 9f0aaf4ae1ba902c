//! Bad input the outside review found: one invalid UTF-8 byte, rows with too few or too
//! many fields, a binary file for a header, and optional values out of range. Each costs
//! at most its own row (or value) and is reported in words, never the whole build.

use moodplane_catalog_builder::{build_catalog_from_reader, BuildError};

const TUTORIAL_HEADER: &str = "id,genre,track_name,artist_name,valence,energy\n";
const GOOD: &str = "0KpfYajJVVGgQ32Dby7e9i,pop,Hey Soul Sister,Train,0.795,0.886\n";
const GOOD_2: &str = "7qiZfU4dY1lWllzX7mPBI3,pop,Shape of You,Ed Sheeran,0.931,0.652\n";

fn build(bytes: &[u8]) -> Result<moodplane_catalog_builder::BuildOutput, BuildError> {
    build_catalog_from_reader(bytes, "test.csv")
}

#[test]
fn an_invalid_utf8_byte_skips_its_row_not_the_build() {
    let mut csv = TUTORIAL_HEADER.as_bytes().to_vec();
    csv.extend_from_slice(GOOD.as_bytes());
    csv.extend_from_slice(b"4uLU6hMCjMI75M1A2tKUQC,pop,Never \xFF Gonna,Rick Astley,0.918,0.939\n");
    csv.extend_from_slice(GOOD_2.as_bytes());
    let built = build(&csv).expect("the other rows still build");
    assert_eq!(built.catalog.len(), 2);
    let report = built.report.to_string();
    assert!(
        report.contains("1 × row is not valid UTF-8 text (lines 3)"),
        "{report}"
    );
}

#[test]
fn a_short_or_long_row_says_how_many_fields_it_has() {
    let csv = format!(
        "{TUTORIAL_HEADER}{GOOD}4uLU6hMCjMI75M1A2tKUQC,pop,Never Gonna\n{GOOD_2}3n3Ppam7vgaVa1iaRUc9Lp,rock,Mr, Brightside,The Killers,0.232,0.918\n"
    );
    let built = build(csv.as_bytes()).unwrap();
    assert_eq!(built.catalog.len(), 2);
    let report = built.report.to_string();
    assert!(
        report.contains("row has 3 fields, the header has 6 (lines 3)"),
        "{report}"
    );
    assert!(
        report.contains("row has 7 fields, the header has 6 (lines 5)"),
        "{report}"
    );
    assert!(!report.contains("valence is empty"), "{report}");
}

#[test]
fn a_binary_file_gets_a_short_error() {
    // 100 KB of bytes that are not a CSV header, with no line break.
    let junk: Vec<u8> = (0..100_000u32)
        .map(|i| (i * 7 % 251) as u8 | 0x20)
        .collect();
    let error = build(&junk).expect_err("not a catalog");
    let message = error.to_string();
    assert!(
        message.chars().count() < 1_200,
        "{} characters",
        message.chars().count()
    );
    let printable = String::from_utf8_lossy(&junk).replace(['\r', '\n'], "");
    let error = build(printable.as_bytes()).expect_err("not a catalog");
    let message = error.to_string();
    assert!(message.contains("unrecognised CSV header"), "{message}");
    assert!(message.contains("more characters)"), "{message}");
    assert!(
        message.chars().count() < 1_200,
        "{} characters",
        message.chars().count()
    );
}

#[test]
fn control_characters_in_a_header_are_escaped() {
    let error = build(b"a\x07b,c\x1bd\n1,2\n").unwrap_err().to_string();
    assert!(error.contains("a\\u{7}b"), "{error}");
    assert!(!error.contains('\x1b'), "{error}");
    let reversed = build("abc\u{202E}fed,x\n1,2\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(reversed.contains("abc\\u{202e}fed"), "{reversed}");
}

#[test]
fn optional_values_out_of_range_are_counted() {
    let header = "track_id,track_name,track_artist,track_popularity,track_album_id,track_album_name,track_album_release_date,playlist_name,playlist_id,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms\n";
    let row = |id: &str, popularity: &str, danceability: &str, tempo: &str| {
        format!("{id},Name,Artist,{popularity},a,b,2019-01-01,p,q,pop,dance pop,{danceability},0.5,1,-5,1,0.05,0.1,0,0.1,0.5,{tempo},200000\n")
    };
    let csv = format!(
        "{header}{}{}{}{}",
        row("0KpfYajJVVGgQ32Dby7e9i", "66", "0.7", "120"),
        row("7qiZfU4dY1lWllzX7mPBI3", "180", "1.5", "-3"),
        row("4uLU6hMCjMI75M1A2tKUQC", "abc", "0.2", "inf"),
        row("3n3Ppam7vgaVa1iaRUc9Lp", "", "", ""),
    );
    let built = build(csv.as_bytes()).unwrap();
    assert_eq!(built.catalog.len(), 4, "the tracks stay");
    let report = built.report.to_string();
    assert!(
        report.contains("2 × popularity is not a number from 0 to 100 (lines 3, 4)"),
        "{report}"
    );
    assert!(
        report.contains("1 × danceability is not a number from 0 to 1 (lines 3)"),
        "{report}"
    );
    assert!(
        report.contains(
            "2 × tempo is not a number of beats per minute above 0 and up to 1000 (lines 3, 4)"
        ),
        "{report}"
    );
}
