//! `catalog-builder INPUT.csv [MORE.csv …] --out OUT.json`: the command-line face of the
//! builder. Several inputs make one catalog (duplicate ids keep the first). Writes the
//! catalog JSON, the packed catalog, a tiled catalog, or any of them.

use std::path::Path;
use std::process::ExitCode;

use moodplane_catalog_builder::tiled::{write_tiled, TileSizes};
use moodplane_catalog_builder::{build_catalog_from_sources, BuildError, FileError};

const USAGE: &str = "usage: catalog-builder INPUT.csv [MORE.csv ...] [--out OUTPUT.json] [--packed OUTPUT.bin]\n                       [--tiles DIR [--tracks-per-tile N] [--load-whole-up-to M]]\n\nReads music CSVs (tutorial, TidyTuesday, Kaggle 114k, Spotify 1.2M+ Songs, 1921-2020\n160k+, 600K+ tracks, Exportify, or any CSV with a track id, valence and energy), reports\nper file what it kept and skipped, and writes the catalog: with --out as Moodplane's\ncatalog JSON (the interchange form), with --packed in the compact binary form the page\nloads, with --tiles as a tiled catalog in DIR (tiles.json and the archive it names; at\nmost N tracks per mood tile, 4096 by default; a catalog of at most M tracks, 150000 by\ndefault, is made for the page to read whole, in one download). At least one output is needed. A track id\nalready read (in an earlier file or row) is dropped: the first is kept.";

/// Where to write the catalog.
#[derive(Default)]
struct Outputs {
    json: Option<String>,
    packed: Option<String>,
    tiles: Option<String>,
    tracks_per_tile: Option<usize>,
    load_whole_up_to: Option<u32>,
}

fn run(inputs: &[String], outputs: &Outputs) -> Result<(), FileError> {
    let io_error = |path: &str| {
        let path = path.to_owned();
        move |e: std::io::Error| FileError {
            file: path.clone(),
            error: BuildError::Io {
                path: path.clone(),
                detail: e.to_string(),
            },
        }
    };
    let mut files = Vec::new();
    let mut size = 0;
    for input in inputs {
        let file = std::fs::File::open(input).map_err(io_error(input))?;
        size += file.metadata().map(|m| m.len()).unwrap_or(0);
        files.push((input, file));
    }
    // A progress bar on a terminal (hidden when stderr is not one), by bytes read.
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let sources = files.into_iter().map(|(input, file)| {
        let name = Path::new(input)
            .file_name()
            .map_or_else(|| input.to_owned(), |n| n.to_string_lossy().into_owned());
        (
            name,
            std::io::BufReader::with_capacity(1 << 20, bar.wrap_read(file)),
        )
    });
    let built = build_catalog_from_sources(sources);
    bar.finish_and_clear();
    let built = built?;
    for (file, report) in &built.reports {
        if built.reports.len() > 1 {
            eprintln!("== {file}");
        }
        eprintln!("{report}");
    }
    if built.reports.len() > 1 {
        eprintln!(
            "== catalog: {} tracks from {} files",
            built.catalog.len(),
            built.reports.len()
        );
    }
    if let Some(output) = &outputs.json {
        // Streamed to the file: the JSON text of a million tracks is never held whole.
        let file = std::fs::File::create(output).map_err(io_error(output))?;
        let mut writer = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut writer, &built.catalog.json_view())
            .map_err(|e| io_error(output)(e.into()))?;
        std::io::Write::flush(&mut writer).map_err(io_error(output))?;
        eprintln!("wrote {output}");
    }
    if let Some(packed) = &outputs.packed {
        std::fs::write(packed, built.catalog.to_packed()).map_err(io_error(packed))?;
        eprintln!("wrote {packed}");
    }
    if let Some(dir) = &outputs.tiles {
        let mut sizes = TileSizes::default();
        if let Some(n) = outputs.tracks_per_tile {
            sizes.tracks_per_tile = n;
        }
        if let Some(m) = outputs.load_whole_up_to {
            sizes.load_whole_up_to = m;
        }
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        // Written under a working name, renamed once its hash (the name) is known.
        let partial = Path::new(dir).join("catalog.tiles.partial");
        let partial_name = partial.display().to_string();
        let file = std::fs::File::create(&partial).map_err(io_error(&partial_name))?;
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
        // The last use of the catalog: it is handed over, and renumbered in place.
        let (manifest, _) = write_tiled(built.catalog, sizes, &mut writer)
            .and_then(|written| std::io::Write::flush(&mut writer).map(|()| written))
            .map_err(io_error(&partial_name))?;
        let archive = Path::new(dir).join(&manifest.archive);
        let archive_name = archive.display().to_string();
        std::fs::rename(&partial, &archive).map_err(io_error(&archive_name))?;
        let manifest_path = Path::new(dir).join("tiles.json");
        let manifest_name = manifest_path.display().to_string();
        let text =
            serde_json::to_string(&manifest).map_err(|e| io_error(&manifest_name)(e.into()))?;
        std::fs::write(&manifest_path, &text).map_err(io_error(&manifest_name))?;
        eprintln!(
            "wrote {manifest_name} ({} bytes) and {archive_name} ({} bytes): {} mood tiles, {} id shards in slots of {} bytes; read {}",
            text.len(),
            manifest.archive_bytes,
            manifest.tiles.len(),
            manifest.shard_count,
            manifest.shard_slot,
            if manifest.order.is_some() { "whole" } else { "tile by tile" }
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut inputs = Vec::new();
    let mut outputs = Outputs::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--out" | "-o" => outputs.json = rest.next().cloned(),
            "--packed" => outputs.packed = rest.next().cloned(),
            "--tiles" => outputs.tiles = rest.next().cloned(),
            "--tracks-per-tile" => {
                match rest
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n: &usize| n > 0)
                {
                    Some(n) => outputs.tracks_per_tile = Some(n),
                    None => {
                        eprintln!(
                            "error: --tracks-per-tile needs a whole number above 0\n\n{USAGE}"
                        );
                        return ExitCode::from(2);
                    }
                }
            }
            "--load-whole-up-to" => match rest.next().and_then(|m| m.parse().ok()) {
                Some(m) => outputs.load_whole_up_to = Some(m),
                None => {
                    eprintln!("error: --load-whole-up-to needs a whole number of tracks (0: never)\n\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option {flag}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            path => inputs.push(path.to_owned()),
        }
    }
    let any_output = outputs.json.is_some() || outputs.packed.is_some() || outputs.tiles.is_some();
    if inputs.is_empty() || !any_output {
        eprintln!("error: an input CSV and at least one of --out, --packed, --tiles are needed\n\n{USAGE}");
        return ExitCode::from(2);
    }
    match run(&inputs, &outputs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
