//! The `catalog-builder` binary end to end: writes a catalog the page can read, and fails
//! with a message and a non-zero exit when nothing usable remains.

use std::process::Command;

use moodplane_core::Catalog;

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("moodplane-cli-{}-{name}", std::process::id()))
}

#[test]
fn writes_a_valid_catalog_and_reports() {
    let input = temp_path("in.csv");
    let output = temp_path("out.json");
    let packed = temp_path("out.bin");
    std::fs::write(
        &input,
        "id,genre,track_name,artist_name,valence,energy\n0KpfYajJVVGgQ32Dby7e9i,acoustic,A,B,0.7,0.8\n6Zewjs7at1sPyc03lUoAHB,acoustic,C,D,oops,0.8\n",
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_catalog-builder"))
        .arg(&input)
        .arg("--out")
        .arg(&output)
        .arg("--packed")
        .arg(&packed)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("tracks written: 1"), "{stderr}");
    assert!(
        stderr.contains("1 × valence is not a number (lines 3)"),
        "{stderr}"
    );
    let catalog = Catalog::from_json(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(catalog.len(), 1);
    let from_packed = Catalog::from_packed(&std::fs::read(&packed).unwrap()).unwrap();
    assert_eq!(from_packed.to_file(), catalog.to_file());
    let _ = std::fs::remove_file(packed);
    let _ = std::fs::remove_file(input);
    let _ = std::fs::remove_file(output);
}

#[test]
fn fails_clearly_when_nothing_is_usable() {
    let input = temp_path("bad.csv");
    std::fs::write(&input, "title,mood\nx,y\n").unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_catalog-builder"))
        .arg(&input)
        .args(["--out", "/nonexistent/never-written.json"])
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("unrecognised CSV header (title, mood)"),
        "{stderr}"
    );
    let _ = std::fs::remove_file(input);
}

#[test]
fn missing_arguments_print_usage() {
    let run = Command::new(env!("CARGO_BIN_EXE_catalog-builder"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("usage: catalog-builder"));
}

#[test]
fn several_inputs_make_one_catalog_with_a_report_per_file() {
    let first = temp_path("first.csv");
    let second = temp_path("second.csv");
    let output = temp_path("multi.json");
    std::fs::write(
        &first,
        "id,genre,track_name,artist_name,valence,energy\n0KpfYajJVVGgQ32Dby7e9i,acoustic,A,B,0.7,0.8\n",
    )
    .unwrap();
    std::fs::write(
        &second,
        "uri,valence,energy\nspotify:track:0KpfYajJVVGgQ32Dby7e9i,0.1,0.1\nspotify:track:6Zewjs7at1sPyc03lUoAHB,0.2,0.3\n",
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_catalog-builder"))
        .arg(&first)
        .arg(&second)
        .arg("--out")
        .arg(&output)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("format: tutorial"), "{stderr}");
    assert!(
        stderr.contains("format: generic (track id, valence, energy)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("duplicate ids dropped (first kept): 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("== catalog: 2 tracks from 2 files"),
        "{stderr}"
    );
    let catalog = Catalog::from_json(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(catalog.len(), 2);
    for path in [first, second, output] {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn writes_a_tiled_catalog_the_manifest_names() {
    let input = temp_path("tiles-in.csv");
    let dir = temp_path("tiles");
    let mut csv = String::from("id,genre,track_name,artist_name,valence,energy\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "{i:0>22},pop,T{i},A{},{:.3},{:.3}\n",
            i % 7,
            (i * 37 % 1000) as f64 / 1000.0,
            (i * 91 % 1000) as f64 / 1000.0
        ));
    }
    std::fs::write(&input, csv).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_catalog-builder"))
        .arg(&input)
        .arg("--tiles")
        .arg(&dir)
        .args(["--tracks-per-tile", "32"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let manifest = moodplane_core::tiled_manifest::TiledManifest::from_json(
        &std::fs::read_to_string(dir.join("tiles.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest.tracks, 300);
    assert!(manifest.tiles.len() >= 10 && manifest.tiles.iter().all(|t| t.count <= 32));
    let archive = std::fs::read(dir.join(&manifest.archive)).unwrap();
    assert_eq!(archive.len() as u64, manifest.archive_bytes);
    assert!(
        stderr.contains(&format!("{} mood tiles", manifest.tiles.len())),
        "{stderr}"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_catalog-builder"))
        .arg(&input)
        .args(["--tiles", "x", "--tracks-per-tile", "none"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr)
        .contains("--tracks-per-tile needs a whole number above 0"));
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_file(input);
}
