#!/usr/bin/env python3
"""Generates a SYNTHETIC music catalog for Moodplane's scale benchmarks.

Every row is labelled synthetic (names "Synthetic Track N", "Synthetic Artist K").
The moods and features follow the real data by bootstrap with jitter: each row copies a
random row of the TidyTuesday 32k file (which has every feature) and adds Gaussian noise
(sigma 0.02 on valence, energy, danceability, acousticness; 2 BPM on tempo; +-5 on
popularity), clamped to valid ranges and rounded to 3 decimals like the real files. Half
the genres come from the template row, half from the tutorial 11k file's 125 genres, so
the catalog has many genres. Artists follow a skewed (Zipf-like) distribution so some
have many tracks. Ids are made as Spotify makes them, random 128-bit numbers written in
base 62 (digits, small letters, capitals) in 22 characters, so like real ids they all
begin with 0 to 7 (ids drawn letter by letter once hid that the id shards were cut for
ids that fill every place); unique and disjoint from the real files.

Output is the Kaggle 114k CSV layout by default, or with --format tracks_features the
"Spotify 1.2M+ Songs" layout (artists as a Python list, no genre or popularity column);
the catalog builder reads both. Deterministic: the same --seed, --rows and --format give
the same bytes (random.Random(seed) is the only source).

Usage: make_synthetic_catalog.py --rows 1200000 --seed 42 --out synthetic_1200k.csv
       make_synthetic_catalog.py --rows 10000000 --format tracks_features --out synthetic_10m.csv
"""
import argparse
import csv
import os
import random
import string
import sys
import time

HEADER = ["", "track_id", "artists", "album_name", "track_name", "popularity", "duration_ms",
          "explicit", "danceability", "energy", "key", "loudness", "mode", "speechiness",
          "acousticness", "instrumentalness", "liveness", "valence", "tempo", "time_signature",
          "track_genre"]
HEADER_1200K = ["id", "name", "album", "album_id", "artists", "artist_ids", "track_number",
                "disc_number", "explicit", "danceability", "energy", "key", "loudness", "mode",
                "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo",
                "duration_ms", "time_signature", "year", "release_date"]


def load_templates(data_dir):
    """Rows of the 32k file as tuples, the 11k genres, and every real id."""
    with open(os.path.join(data_dir, "spotify_songs_32k.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    templates = [(
        float(r["valence"]), float(r["energy"]), float(r["danceability"]),
        float(r["acousticness"]), float(r["tempo"]), int(r["track_popularity"]),
        r["playlist_genre"], r["key"], r["loudness"], r["mode"], r["speechiness"],
        r["instrumentalness"], r["liveness"], r["duration_ms"],
    ) for r in rows]
    ids = {r["track_id"] for r in rows}
    with open(os.path.join(data_dir, "valence_arousal_11k.csv"), newline="", encoding="utf-8") as f:
        small = list(csv.DictReader(f))
    genres = sorted({r["genre"] for r in small})
    ids.update(r["id"] for r in small)
    return templates, genres, ids


SPOTIFY_DIGITS = string.digits + string.ascii_lowercase + string.ascii_uppercase


def make_id(rng, taken):
    while True:
        value = rng.getrandbits(128)
        letters = []
        for _ in range(22):
            value, digit = divmod(value, 62)
            letters.append(SPOTIFY_DIGITS[digit])
        candidate = "".join(reversed(letters))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def unit(x):
    return round(min(1.0, max(0.0, x)), 3)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--format", choices=["kaggle114k", "tracks_features"], default="kaggle114k")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data-dir", default=os.path.join(here, "..", "..", "shared", "data"))
    a = ap.parse_args()
    started = time.time()
    rng = random.Random(a.seed)
    templates, genres, taken = load_templates(a.data_dir)
    artists = max(100, a.rows // 8)
    gauss, rand = rng.gauss, rng.random
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        wide = a.format == "tracks_features"
        out.writerow(HEADER_1200K if wide else HEADER)
        batch = []
        for n in range(a.rows):
            (v, e, d, ac, tempo, pop, genre, key, loud, mode, speech, instr, live, dur) = \
                templates[int(rand() * len(templates))]
            if rand() >= 0.5:
                genre = genres[int(rand() * len(genres))]
            artist = int(artists * rand() ** 3)
            if wide:
                batch.append([
                    make_id(rng, taken), f"Synthetic Track {n}", f"Synthetic Album {n // 10}",
                    f"SyntheticAlbum{n // 10:012d}"[:22], f"['Synthetic Artist {artist:06d}']",
                    f"['SyntheticArtist{artist:06d}']", 1 + n % 12, 1, "False",
                    unit(d + gauss(0, 0.02)), unit(e + gauss(0, 0.02)), key, loud, mode, speech,
                    unit(ac + gauss(0, 0.02)), instr, live, unit(v + gauss(0, 0.02)),
                    round(min(220.0, max(40.0, tempo + gauss(0, 2))), 3), dur, 4.0,
                    2000 + n % 25, f"{2000 + n % 25}-01-01",
                ])
                if len(batch) == 10_000:
                    out.writerows(batch)
                    batch.clear()
                continue
            batch.append([
                n, make_id(rng, taken), f"Synthetic Artist {artist:06d}", f"Synthetic Album {n // 10}",
                f"Synthetic Track {n}", min(100, max(0, pop + rng.randint(-5, 5))), dur, "False",
                unit(d + gauss(0, 0.02)), unit(e + gauss(0, 0.02)), key, loud, mode, speech,
                unit(ac + gauss(0, 0.02)), instr, live, unit(v + gauss(0, 0.02)),
                round(min(220.0, max(40.0, tempo + gauss(0, 2))), 3), 4, genre,
            ])
            if len(batch) == 10_000:
                out.writerows(batch)
                batch.clear()
        out.writerows(batch)
    size = os.path.getsize(a.out)
    print(f"synthetic catalog: {a.rows} rows, seed {a.seed}, {time.time() - started:.1f} s, "
          f"{size / 1e6:.1f} MB -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
