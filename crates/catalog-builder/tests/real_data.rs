//! The builder on the real datasets, and the catalog statistics checked against values
//! computed independently with numpy/pandas. The embedded catalog is in the repo; the
//! others are read from ../shared/data. When it is absent they skip with a message (and
//! scripts/test.sh prints a SKIPPED line in its summary); under `CI=true` an absent
//! ../shared/data is a failure, since CI always has it.

use std::path::PathBuf;

use moodplane_catalog_builder::build_catalog;
use moodplane_core::stats::{regression, summarise};
use moodplane_core::Catalog;

fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// A dataset from ../shared/data, or None (with a note) when that folder is absent.
/// Panics under `CI=true`: real-data tests must not pass silently there.
fn shared_file(name: &str) -> Option<String> {
    let path = repo_file("../shared/data").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "{} is needed under CI=true and cannot be read: {error}",
            path.display()
        ),
        Err(_) => {
            eprintln!(
                "SKIPPED: {} is not available (../shared/data absent)",
                path.display()
            );
            None
        }
    }
}

fn build(text: &str, name: &str) -> (Catalog, moodplane_catalog_builder::BuildReport) {
    let built = build_catalog(text, name).unwrap();
    (built.catalog, built.report)
}

/// Asserts |a − b| ≤ 1e-9.
fn close(label: &str, a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9, "{label}: {a} vs reference {b}");
}

/// Reference values computed with numpy 2.4.6 / pandas 3.1.1 on the de-duplicated file
/// (`df.drop_duplicates(subset=[id], keep="first")`): `np.mean`, `np.std` (ddof=0),
/// `pd.Series.skew()`, `np.polyfit(valence, energy, 1)` and `np.corrcoef(valence, energy)`.
struct Reference {
    valence: [f64; 3],
    energy: [f64; 3],
    slope: f64,
    intercept: f64,
    r: f64,
}

fn check_statistics(catalog: &Catalog, want: &Reference) {
    let v: Vec<f64> = catalog.moods().iter().map(|m| m.valence).collect();
    let e: Vec<f64> = catalog.moods().iter().map(|m| m.energy).collect();
    for (label, values, [mean, sd, skew]) in
        [("valence", &v, want.valence), ("energy", &e, want.energy)]
    {
        let s = summarise(values);
        close(&format!("{label} mean"), s.mean, mean);
        close(&format!("{label} sd"), s.std_dev, sd);
        close(&format!("{label} skewness"), s.skewness, skew);
    }
    let fit = regression(catalog.moods());
    close("slope", fit.slope, want.slope);
    close("intercept", fit.intercept, want.intercept);
    close("r", fit.r, want.r);
}

#[test]
fn embedded_11k_catalog() {
    let text = std::fs::read_to_string(repo_file("data/valence_arousal_11k.csv")).unwrap();
    let (catalog, report) = build(&text, "valence_arousal_11k.csv");
    assert_eq!(
        (catalog.len(), report.skipped_total(), report.duplicates),
        (11_151, 0, 0)
    );
    assert_eq!(catalog.genres().len(), 125);
    check_statistics(
        &catalog,
        &Reference {
            valence: [
                0.4907079105013003,
                0.26613864417094224,
                0.057669935889279746,
            ],
            energy: [0.6588176150121066, 0.2517790423858423, -0.6733196858094511],
            slope: 0.24442914585878225,
            intercept: 0.538874299582126,
            r: 0.25836956427464625,
        },
    );
}

#[test]
fn tidytuesday_32k_catalog() {
    let Some(text) = shared_file("spotify_songs_32k.csv") else {
        return;
    };
    let (catalog, report) = build(&text, "spotify_songs_32k.csv");
    assert_eq!(
        (report.rows, catalog.len(), report.duplicates),
        (32_833, 28_356, 4_477)
    );
    check_statistics(
        &catalog,
        &Reference {
            valence: [
                0.5103865584003386,
                0.23433581696972683,
                -0.007334364779561728,
            ],
            energy: [0.6983875199252364, 0.18349980900492102, -0.6454400970325973],
            slope: 0.11723278278668949,
            intercept: 0.6385534833870435,
            r: 0.1497104551711911,
        },
    );
}

#[test]
fn kaggle_format_sample() {
    let Some(text) = shared_file("kaggle_114k_format_sample.csv") else {
        return;
    };
    let (catalog, report) = build(&text, "kaggle_114k_format_sample.csv");
    assert_eq!((catalog.len(), report.skipped_total()), (11, 0));
    assert_eq!(catalog.genres(), ["acoustic"]);
}
