//! Reads a person's own music CSV for the page, with the same rows, checks and report as
//! a catalog build: the tracks the file places (it has their valence and energy) and the
//! tracks it only names (an Exportify export made after November 2024, an id-only CSV, or
//! a row whose mood is empty), which the page then places by id. The page's import
//! worker runs this, compiled to wasm.

use std::collections::HashSet;

use moodplane_core::library::{CountedReason, ImportSummary, LibraryFile, NamedTrack};
use moodplane_core::{CatalogBuilder, TrackId};

use crate::row::{self, SkipReason};
use crate::{format, BuildError, BuildReport, CsvRows};

/// Rows read between two calls of the progress callback.
pub const PROGRESS_EVERY: usize = 4_096;

/// Reads `input` (the file `name`), calling `progress` with the bytes read so far now
/// and then.
pub fn read_library(
    input: &[u8],
    name: &str,
    mut progress: impl FnMut(u64),
) -> Result<LibraryFile, BuildError> {
    let mut rows = CsvRows::open(input, format::detect_library)?;
    let mut placed = CatalogBuilder::new(name.to_owned());
    let mut named = Vec::new();
    let mut seen: HashSet<TrackId> = HashSet::new();
    let mut placed_count = 0usize;
    while let Some((row, line)) = rows.next_row()? {
        if rows.report.rows % PROGRESS_EVERY == 0 {
            progress(rows.bytes_read());
        }
        match row::read_row(&row, rows.format, &rows.columns) {
            Ok((record, dropped)) => {
                if !seen.insert(record.id.clone()) {
                    rows.report.duplicates += 1;
                    continue;
                }
                for extra in dropped {
                    rows.report.drop_extra(extra, line);
                }
                placed.push(record);
                placed_count += 1;
            }
            Err(SkipReason::MissingValence | SkipReason::MissingEnergy) => {
                match row::read_identity(&row, rows.format, &rows.columns) {
                    Ok(who) if seen.insert(who.id.clone()) => named.push(NamedTrack {
                        line,
                        id: who.id,
                        name: who.name,
                        artist: who.artist,
                    }),
                    Ok(_) => rows.report.duplicates += 1,
                    Err(reason) => rows.report.skip(reason, line),
                }
            }
            Err(reason) => rows.report.skip(reason, line),
        }
    }
    progress(rows.bytes_read());
    let mut report = rows.finish()?;
    report.tracks = placed_count + named.len();
    if report.tracks == 0 && report.duplicates == 0 {
        return Err(BuildError::NothingUsable(report));
    }
    let (placed, _) = placed.finish();
    Ok(LibraryFile {
        name: name.to_owned(),
        summary: summary_of(&report, placed.len(), named.len()),
        placed,
        named,
    })
}

/// The build report in the form the page stores and shows.
fn summary_of(report: &BuildReport, placed: usize, named: usize) -> ImportSummary {
    ImportSummary {
        format: report.format.to_owned(),
        rows: report.rows,
        placed_from_file: placed,
        named,
        duplicates: report.duplicates,
        skipped: report
            .skipped
            .iter()
            .map(|(reason, (count, lines))| CountedReason {
                what: reason.describe(),
                count: *count,
                lines: lines.clone(),
            })
            .collect(),
        values_left_out: report
            .extras_dropped
            .iter()
            .map(|(extra, (count, lines))| CountedReason {
                what: extra.describe().to_owned(),
                count: *count,
                lines: lines.clone(),
            })
            .collect(),
        looked_up: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITH_FEATURES: &str =
        "Track URI,Track Name,Artist Name(s),Genres,Danceability,Energy,Valence,Tempo,Popularity\n\
spotify:track:4uLU6hMCjMI75M1A2tKUQC,Never,Rick,\"dance pop,pop\",0.7,0.9,0.8,113,77\n\
spotify:track:4uLU6hMCjMI75M1A2tKUQC,Never again,Rick,pop,0.7,0.9,0.8,113,77\n\
spotify:track:0VjIjW4GlUZAMYd2vXMi3b,Blinding,The Weeknd,,0.5,,0.3,171,90\n\
not-an-id,Broken,X,,0.5,0.5,0.5,100,1\n\
spotify:track:7qiZfU4dY1lWllzX7mPBI3,Shape,Ed,,0.8,0.6,2.5,96,88\n";

    #[test]
    fn an_export_with_features_places_its_rows_and_names_the_moodless_ones() {
        let mut calls = Vec::new();
        let lib = read_library(WITH_FEATURES.as_bytes(), "liked.csv", |b| calls.push(b)).unwrap();
        assert_eq!(lib.placed.len(), 1);
        assert_eq!(lib.placed.track(0).genre, "dance pop");
        assert_eq!(lib.named.len(), 1);
        assert_eq!(
            (lib.named[0].line, lib.named[0].name.as_str()),
            (4, "Blinding")
        );
        let s = &lib.summary;
        assert_eq!(
            (
                s.rows,
                s.placed_from_file,
                s.named,
                s.duplicates,
                s.skipped_total()
            ),
            (5, 1, 1, 1, 2)
        );
        let reasons: Vec<(&str, Vec<u64>)> = s
            .skipped
            .iter()
            .map(|r| (r.what.as_str(), r.lines.clone()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                ("track id is not 22 letters and digits", vec![5]),
                ("valence is outside 0..1", vec![6])
            ]
        );
        assert_eq!(calls.last(), Some(&(WITH_FEATURES.len() as u64)));
    }

    #[test]
    fn an_export_without_features_names_every_track() {
        let text = "Track URI,Track Name,Artist Name(s),Popularity\nspotify:track:4uLU6hMCjMI75M1A2tKUQC,Never,Rick,77\n";
        let lib = read_library(text.as_bytes(), "new.csv", |_| {}).unwrap();
        assert_eq!((lib.placed.len(), lib.named.len()), (0, 1));
        assert_eq!(lib.summary.format, "Exportify playlist export");
        // The same file still cannot build a catalog: a catalog needs moods.
        assert!(matches!(
            crate::build_catalog(text, "x"),
            Err(BuildError::ExportWithoutAudioFeatures)
        ));
    }

    #[test]
    fn files_that_are_not_libraries_get_the_builders_messages() {
        let err = |text: &str| {
            read_library(text.as_bytes(), "f", |_| {})
                .unwrap_err()
                .to_string()
        };
        assert!(err("").starts_with("the file is empty"));
        assert!(err("a,b\n1,2\n").starts_with("unrecognised CSV header (a, b)"));
        assert!(err("Track URI,Track Name,Artist Name(s)\n").starts_with("no tracks"));
        assert!(err("\u{0}\u{1}PNG\u{2}\n\u{3}").starts_with("unrecognised CSV header"));
        assert!(err("id,name\nnope,x\n").starts_with("nothing usable remains"));
    }

    #[test]
    fn line_numbers_count_the_same_with_crlf_endings() {
        let lf = "id,name,valence,energy\n4uLU6hMCjMI75M1A2tKUQC,a,0.5,0.5\nbad,b,0.5,0.5\n";
        let crlf = lf.replace('\n', "\r\n");
        for text in [lf.to_owned(), crlf] {
            let lib = read_library(text.as_bytes(), "f", |_| {}).unwrap();
            assert_eq!(lib.summary.skipped[0].lines, vec![3], "{text:?}");
        }
    }
}
