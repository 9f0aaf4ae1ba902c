//! Mutations of valid inputs: the characters and bytes that broke parsers before (escapes
//! cut through multi-byte characters, invisible characters, quotes, huge repeats) spliced,
//! dropped, repeated and flipped, so generated inputs reach deep into each parser.

use crate::seeded::Seeded;

/// Fragments that have broken or stressed text parsers.
const NASTY: &[&str] = &[
    "%",
    "%a",
    "%aé",
    "%€",
    "%+1",
    "%FF",
    "%C3",
    "%3A",
    "%2F",
    "%00",
    "+",
    "&",
    "=",
    "?",
    "#",
    ",",
    ":",
    ";",
    "/",
    "\\",
    "\"",
    "'",
    "<",
    ">",
    "“",
    "”",
    "é",
    "€",
    "😀",
    "\u{200B}",
    "\u{FEFF}",
    "\u{0}",
    "\n",
    "\r\n",
    " ",
    "\t",
    "track",
    "spotify:",
    "spotify: track:",
    "open.spotify.com/",
    "/track/",
    "/TRACK/",
    "intl-de/",
    "embed/",
    "NaN",
    "inf",
    "-1",
    "1e309",
    "0.5",
    "999999999999999999999",
    "0KpfYajJVVGgQ32Dby7e9i",
    "highlight=spotify:track:",
];

fn char_boundary_at(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One to four edits of `text`.
pub fn mutate_text(rng: &mut Seeded, text: &str) -> String {
    let mut out = text.to_owned();
    for _ in 0..=rng.below(4) {
        let at = char_boundary_at(&out, rng.below(out.len() + 1));
        match rng.below(6) {
            0 | 1 => {
                let piece = *rng.pick(NASTY);
                out.insert_str(at, piece)
            }
            2 => {
                let end = char_boundary_at(&out, (at + rng.below(8)).min(out.len()));
                out.replace_range(at..end, "");
            }
            3 => {
                let end = char_boundary_at(&out, (at + rng.below(12)).min(out.len()));
                let piece = out[at..end].repeat(1 + rng.below(40));
                out.insert_str(at, &piece);
            }
            4 => out.truncate(at),
            _ => {
                let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
                out.insert(at, c);
            }
        }
    }
    out
}

/// One to four edits of `bytes`: flips, random bytes, cuts, insertions, repeats.
pub fn mutate_bytes(rng: &mut Seeded, bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(rng.below(256) as u8);
            continue;
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = rng.below(256) as u8,
            2 => out[at] = *rng.pick(&[0, 0xFF, 0x7F, 0x80, 1]),
            3 => out.truncate(at),
            4 => out.insert(at, rng.below(256) as u8),
            _ => {
                let end = (at + rng.below(16)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
        }
    }
    out
}
