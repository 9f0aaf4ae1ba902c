//! Turns what a person pastes (a Spotify track link, URI or bare id) into a [`TrackId`],
//! or says specifically what was recognised and what is wanted instead.

use std::fmt;

use crate::track_id::{TrackId, TrackIdError};

/// Why pasted text is not a Spotify track link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Nothing but whitespace.
    Empty,
    /// A Spotify link to something that is not a track (album, playlist, artist, …).
    NotATrack { kind: String },
    /// spotify.link/… or open.spotify.com/s/…: only Spotify's servers can expand these.
    ShortLink,
    /// A web address on another host.
    OtherHost { host: String },
    /// A Spotify track link or URI with no id after `track`.
    MissingId,
    /// A Spotify track link or URI whose id is malformed.
    BadId(TrackIdError),
    /// Anything else.
    Unrecognised,
}

const WANTED: &str = "Paste a track link like https://open.spotify.com/track/…, a spotify:track:… URI or a 22-character track id.";

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "Nothing to look up yet. {WANTED}"),
            LinkError::NotATrack { kind } => write!(
                f,
                "That is a link to a Spotify {kind}, not a track. Open one of its tracks and copy that track's link."
            ),
            LinkError::ShortLink => write!(
                f,
                "Short links (spotify.link/… or open.spotify.com/s/…) can only be expanded by Spotify, not by this page. Open the link, then use Share → Copy song link and paste the full open.spotify.com/track/… address."
            ),
            LinkError::OtherHost { host } => {
                write!(f, "“{host}” is not a Spotify address. {WANTED}")
            }
            LinkError::MissingId => write!(
                f,
                "The link stops before the track id: after “track” there should be 22 letters and digits."
            ),
            LinkError::BadId(error) => write!(f, "This looks like a Spotify track link, but {error}."),
            LinkError::Unrecognised => write!(f, "This is not a Spotify track link. {WANTED}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// Kinds of Spotify pages and URIs that are not tracks.
const OTHER_KINDS: &[&str] = &[
    "album",
    "playlist",
    "artist",
    "episode",
    "show",
    "user",
    "genre",
    "audiobook",
    "chapter",
    "concert",
    "prerelease",
    "collection",
];

fn id_from(segment: Option<&str>) -> Result<TrackId, LinkError> {
    match segment.map(str::trim) {
        None | Some("") => Err(LinkError::MissingId),
        Some(id) => TrackId::parse(id).map_err(LinkError::BadId),
    }
}

fn kind_error(kind: &str) -> LinkError {
    if OTHER_KINDS.contains(&kind.to_ascii_lowercase().as_str()) {
        LinkError::NotATrack {
            kind: kind.to_ascii_lowercase(),
        }
    } else {
        LinkError::Unrecognised
    }
}

/// `spotify:track:ID` (and `spotify:album:…` etc. as errors).
fn parse_uri(rest: &str) -> Result<TrackId, LinkError> {
    let mut parts = rest.split(':');
    match parts.next() {
        Some(kind) if kind.eq_ignore_ascii_case("track") => id_from(parts.next()),
        Some(kind) => Err(kind_error(kind)),
        None => Err(LinkError::Unrecognised),
    }
}

/// `[scheme://]host/path[?query][#fragment]`.
fn parse_web_link(text: &str) -> Result<TrackId, LinkError> {
    let without_scheme = match text.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") =>
        {
            rest
        }
        Some(_) => return Err(LinkError::Unrecognised),
        None => text,
    };
    let end = without_scheme
        .find(['?', '#'])
        .unwrap_or(without_scheme.len());
    let address = &without_scheme[..end];
    let (host, path) = address.split_once('/').unwrap_or((address, ""));
    let host = host.to_ascii_lowercase();
    let host = host.split(':').next().unwrap_or_default();
    if host == "spotify.link" || host.ends_with(".app.link") {
        return Err(LinkError::ShortLink);
    }
    if host != "open.spotify.com" && host != "play.spotify.com" {
        return Err(LinkError::OtherHost {
            host: host.to_owned(),
        });
    }
    let mut segments = path.split('/').filter(|s| !s.is_empty()).peekable();
    if segments
        .peek()
        .is_some_and(|s| s.to_ascii_lowercase().starts_with("intl-"))
    {
        segments.next();
    }
    match segments.next() {
        Some("track") => id_from(segments.next()),
        Some("s") => Err(LinkError::ShortLink),
        Some("embed") => match segments.next() {
            Some("track") => id_from(segments.next()),
            Some(kind) => Err(kind_error(kind)),
            None => Err(LinkError::Unrecognised),
        },
        Some(kind) => Err(kind_error(kind)),
        None => Err(LinkError::Unrecognised),
    }
}

/// Characters that copy-paste carries along invisibly: zero-width spaces and joiners,
/// the word joiner and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Where one word of pasted text ends: whitespace, quotes and angle brackets, as around a
/// link in a message, in `<…>` or in an `<iframe src="…">`.
fn is_word_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | '“' | '”' | '‘' | '’')
}

/// How far back from `track` the host of a web link is looked for.
const HOST_LOOKBACK: usize = 160;

/// The id right after a `track` marker at `after` (`/ID` or `: ID`), if it is exactly 22
/// letters and digits.
fn id_after_marker(text: &str, after: usize, uri_form: bool) -> Option<TrackId> {
    let rest = &text[after..];
    let rest = if uri_form {
        rest.trim_start_matches(' ')
    } else {
        rest
    };
    let separator = if uri_form { ':' } else { '/' };
    let rest = rest.strip_prefix(separator)?;
    let rest = if uri_form {
        rest.trim_start_matches(' ')
    } else {
        rest
    };
    let len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    TrackId::parse(&rest[..len]).ok()
}

/// The first well-formed Spotify track reference anywhere in `text`: a web link
/// (`open.spotify.com/…/track/ID`, any case, also inside embed code or another link's
/// `highlight=`) or a URI (`spotify:track:ID`, spaces allowed after the colons).
fn find_track_reference(text: &str) -> Option<TrackId> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("track") {
        let start = from + found;
        let end = start + "track".len();
        from = end;
        let before = lower[..start].trim_end_matches(' ');
        if before.ends_with("spotify:") || before.ends_with("spotify: ") {
            if let Some(id) = id_after_marker(text, end, true) {
                return Some(id);
            }
        } else if lower[..start].ends_with('/') {
            let mut window_start = start.saturating_sub(HOST_LOOKBACK);
            while !lower.is_char_boundary(window_start) {
                window_start -= 1;
            }
            let word = lower[window_start..start]
                .rsplit(is_word_boundary)
                .next()
                .unwrap_or_default();
            let on_spotify = ["open.spotify.com/", "play.spotify.com/"]
                .iter()
                .any(|host| word.contains(host));
            if on_spotify {
                if let Some(id) = id_after_marker(text, end, false) {
                    return Some(id);
                }
            }
        }
    }
    None
}

/// Parses one word that should be a Spotify track reference, saying what it is if not.
fn parse_single(text: &str) -> Result<TrackId, LinkError> {
    if let Some(rest) = text
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("spotify:"))
        .map(|_| &text[8..])
    {
        return parse_uri(rest);
    }
    if text.contains('/') || text.contains("://") || text.contains('.') {
        return parse_web_link(text);
    }
    if text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return TrackId::parse(text).map_err(LinkError::BadId);
    }
    Err(LinkError::Unrecognised)
}

/// Parses pasted text holding a Spotify track reference: a link, a URI or a bare id,
/// alone or inside other text (a message, quotes, `<…>`, embed code). The first track
/// reference wins; without one, the most link-like word says what was recognised.
pub fn parse_track_link(input: &str) -> Result<TrackId, LinkError> {
    let cleaned: String = input.chars().filter(|&c| !is_invisible(c)).collect();
    let text = cleaned.trim();
    if text.is_empty() {
        return Err(LinkError::Empty);
    }
    let unescaped = text
        .replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%2F", "/")
        .replace("%2f", "/");
    if let Some(id) = find_track_reference(&unescaped) {
        return Ok(id);
    }
    let mut words = text.split(is_word_boundary).filter(|w| !w.is_empty());
    let first = words.next().unwrap_or(text);
    let mut words = std::iter::once(first).chain(words);
    let single = text
        .split(is_word_boundary)
        .filter(|w| !w.is_empty())
        .count()
        == 1;
    if single {
        return parse_single(first);
    }
    match words.find(|w| {
        let w = w.to_ascii_lowercase();
        w.contains("spotify") || w.contains("://")
    }) {
        Some(word) => parse_single(word.trim_end_matches([',', '.', ')', ';', '!'])),
        None => Err(LinkError::Unrecognised),
    }
}

/// Lines read from one pasted block; the rest are counted, not read.
pub const MAX_BLOCK_LINES: usize = 5_000;

/// One line of a pasted block of links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockLine {
    /// 1-based, as a person counts.
    pub line: usize,
    pub outcome: Result<TrackId, LinkError>,
    /// The same track was on an earlier line.
    pub repeat: bool,
}

/// Reads a pasted block of links, one per line (a list of links, or an Exportify-style
/// CSV whose rows hold `spotify:track:` URIs); blank lines are skipped. Returns the
/// lines read (at most [`MAX_BLOCK_LINES`]) and how many more there were.
pub fn parse_link_block(text: &str) -> (Vec<BlockLine>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let read: Vec<BlockLine> = lines
        .by_ref()
        .take(MAX_BLOCK_LINES)
        .map(|(i, l)| {
            let outcome = parse_track_link(l);
            let repeat = outcome.as_ref().is_ok_and(|id| !seen.insert(id.clone()));
            BlockLine {
                line: i + 1,
                outcome,
                repeat,
            }
        })
        .collect();
    (read, lines.count())
}

/// Whether pasted text is a block of several links rather than one.
pub fn is_link_block(text: &str) -> bool {
    text.lines()
        .filter(|l| parse_track_link(l).is_ok())
        .nth(1)
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0KpfYajJVVGgQ32Dby7e9i";

    #[test]
    fn accepted_forms() {
        let accepted = [
            format!("https://open.spotify.com/track/{ID}"),
            format!("https://open.spotify.com/track/{ID}?si=1a2b3c4d5e6f7a8b"),
            format!("https://open.spotify.com/intl-de/track/{ID}?si=abc&context=x"),
            format!("https://open.spotify.com/intl-pt/track/{ID}"),
            format!("open.spotify.com/track/{ID}"),
            format!("http://open.spotify.com/track/{ID}/"),
            format!("HTTPS://OPEN.SPOTIFY.COM/track/{ID}"),
            format!("https://open.spotify.com/track/{ID}#frag"),
            format!("https://open.spotify.com/embed/track/{ID}"),
            format!("https://play.spotify.com/track/{ID}"),
            format!("spotify:track:{ID}"),
            format!("  {ID}\n"),
            ID.to_string(),
            // Forms people paste, refused before (reported).
            format!("Listen: https://open.spotify.com/track/{ID}?si=x"),
            format!("https://open.spotify.com/track/{ID} is so good"),
            format!("<https://open.spotify.com/track/{ID}>"),
            format!("\"https://open.spotify.com/track/{ID}\""),
            format!("“https://open.spotify.com/track/{ID}”"),
            format!("<iframe style=\"border-radius:12px\" src=\"https://open.spotify.com/embed/track/{ID}?utm_source=generator\" width=\"100%\" height=\"352\" frameBorder=\"0\" allowfullscreen=\"\"></iframe>"),
            format!("https://open.spotify.com/TRACK/{ID}"),
            format!("https://open.spotify.com/Track/{ID}"),
            format!("spotify: track:{ID}"),
            format!("spotify:track: {ID}"),
            format!("\u{200B}https://open.spotify.com/track/{ID}\u{200B}"),
            format!("\u{FEFF}spotify:track:{ID}"),
            format!("https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?highlight=spotify:track:{ID}"),
            format!("https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?highlight=spotify%3Atrack%3A{ID}"),
            format!("first https://open.spotify.com/track/{ID} then https://open.spotify.com/track/7qiZfU4dY1lWllzX7mPBI3"),
        ];
        for text in accepted {
            assert_eq!(
                parse_track_link(&text).map(|id| id.to_string()),
                Ok(ID.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn rejected_forms_say_why() {
        use LinkError::*;
        let table: Vec<(String, LinkError)> = vec![
            ("".into(), Empty),
            ("   ".into(), Empty),
            (
                format!("https://open.spotify.com/album/{ID}"),
                NotATrack {
                    kind: "album".into(),
                },
            ),
            (
                "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M?si=x".into(),
                NotATrack {
                    kind: "playlist".into(),
                },
            ),
            (
                format!("https://open.spotify.com/intl-fr/artist/{ID}"),
                NotATrack {
                    kind: "artist".into(),
                },
            ),
            (
                format!("https://open.spotify.com/episode/{ID}"),
                NotATrack {
                    kind: "episode".into(),
                },
            ),
            (
                format!("spotify:album:{ID}"),
                NotATrack {
                    kind: "album".into(),
                },
            ),
            ("https://spotify.link/AbCdEf123".into(), ShortLink),
            ("https://open.spotify.com/s/AbCdEf".into(), ShortLink),
            (
                format!("https://www.youtube.com/watch?v={ID}"),
                OtherHost {
                    host: "www.youtube.com".into(),
                },
            ),
            ("https://open.spotify.com/track/".into(), MissingId),
            ("spotify:track:".into(), MissingId),
            (
                "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e".into(),
                BadId(TrackIdError::WrongLength { found: 20 }),
            ),
            (
                format!("spotify:track:{ID}xx"),
                BadId(TrackIdError::WrongLength { found: 24 }),
            ),
            ("abc".into(), BadId(TrackIdError::WrongLength { found: 3 })),
            (
                "https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e9!".into(),
                BadId(TrackIdError::BadCharacter { found: '!' }),
            ),
            ("hello world!".into(), Unrecognised),
            ("ftp://open.spotify.com/track/x".into(), Unrecognised),
            ("https://open.spotify.com/".into(), Unrecognised),
            (
                "Listen to this: https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M".into(),
                NotATrack {
                    kind: "playlist".into(),
                },
            ),
            (
                "my song https://open.spotify.com/track/0KpfYajJVVGgQ32Dby7e".into(),
                BadId(TrackIdError::WrongLength { found: 20 }),
            ),
            ("see https://spotify.link/AbCdEf123 now".into(), ShortLink),
            ("\u{200B}\u{FEFF}".into(), Empty),
            (
                format!("example.com/track/{ID}"),
                OtherHost {
                    host: "example.com".into(),
                },
            ),
        ];
        for (text, expected) in table {
            assert_eq!(parse_track_link(&text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn blocks_of_links_one_per_line() {
        let block = format!(
            "https://open.spotify.com/track/{ID}\n\n  spotify:track:7qiZfU4dY1lWllzX7mPBI3 \nnot a link\nhttps://open.spotify.com/track/{ID}?si=again\n"
        );
        assert!(is_link_block(&block));
        assert!(!is_link_block(&format!(
            "https://open.spotify.com/track/{ID}\n"
        )));
        let (lines, more) = parse_link_block(&block);
        assert_eq!(more, 0);
        assert_eq!(
            lines.iter().map(|l| l.line).collect::<Vec<_>>(),
            vec![1, 3, 4, 5]
        );
        assert!(lines[0].outcome.is_ok() && !lines[0].repeat);
        assert!(lines[1].outcome.is_ok());
        assert_eq!(lines[2].outcome, Err(LinkError::Unrecognised));
        assert!(lines[3].repeat);
        let exportify =
            format!("\"Track URI\",\"Track Name\"\n\"spotify:track:{ID}\",\"Hey, Soul Sister\"\n");
        let (lines, _) = parse_link_block(&exportify);
        assert_eq!(
            lines[1].outcome.as_ref().map(|t| t.to_string()),
            Ok(ID.to_string())
        );
        let huge = "x\n".repeat(MAX_BLOCK_LINES + 7);
        let (lines, more) = parse_link_block(&huge);
        assert_eq!((lines.len(), more), (MAX_BLOCK_LINES, 7));
    }

    #[test]
    fn messages_name_what_was_seen() {
        let e = parse_track_link(&format!("https://open.spotify.com/album/{ID}")).unwrap_err();
        assert!(e.to_string().contains("Spotify album, not a track"));
        let e = parse_track_link("https://example.com/track/x").unwrap_err();
        assert!(e
            .to_string()
            .contains("“example.com” is not a Spotify address"));
        let e = parse_track_link("abc").unwrap_err();
        assert!(e.to_string().contains("this one has 3"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is pasted, the parser answers (never panics).
        #[test]
        fn any_text_gets_an_answer(text in "\\PC{0,300}") {
            let _ = parse_track_link(&text);
        }

        /// A track link inside any surrounding words is found.
        #[test]
        fn a_link_inside_text_is_found(
            before in "[a-zA-Z:!?,. ]{0,40}",
            after in "[a-zA-Z:!?,. ]{0,40}",
            id in "[a-zA-Z0-9]{22}",
        ) {
            let text = format!("{before} https://open.spotify.com/track/{id}?si=abc {after}");
            prop_assert_eq!(parse_track_link(&text).map(|t| t.to_string()), Ok(id));
        }
    }
}
