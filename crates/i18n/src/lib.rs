//! Every user-visible sentence of Trama lives in the Fluent files under
//! `locales/`, Spanish first. Code refers to messages by id; this crate turns an
//! id plus arguments into text in the reader's language.
//!
//! The bundles are built once, lazily, and shared across threads.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

pub mod number;

pub use fluent_bundle::FluentArgs;

/// The languages Trama speaks. Spanish is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    /// BCP 47 tag, as used in `<html lang>` and in the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// Parses a tag such as `en`, `en-GB`, `es_CL.UTF-8`; unknown languages give `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match primary.as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Chooses from an HTTP `Accept-Language` header, honouring q-values;
    /// Spanish when nothing matches.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut ranked: Vec<(f32, usize, Lang)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(pos, entry)| {
                let mut parts = entry.split(';');
                let lang = Lang::from_tag(parts.next()?.trim())?;
                let q = parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, pos, lang))
            })
            .collect();
        // Highest quality first; on ties, the order the client wrote.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2).unwrap_or_default()
    }

    /// For command-line tools: an explicit `--lang` wins, then `LC_ALL`,
    /// `LC_MESSAGES`, `LANG`; Spanish otherwise.
    pub fn from_cli(explicit: Option<&str>) -> Lang {
        if let Some(l) = explicit.and_then(Lang::from_tag) {
            return l;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return Lang::from_tag(&v).unwrap_or_default();
            }
        }
        Lang::Es
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Es => langid!("es"),
            Lang::En => langid!("en"),
        }
    }
}

/// One `.ftl` file per area of the product, in both languages.
macro_rules! locale_files {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, "/common.ftl")),
            include_str!(concat!("../locales/", $lang, "/registry.ftl")),
            include_str!(concat!("../locales/", $lang, "/import.ftl")),
            include_str!(concat!("../locales/", $lang, "/auth.ftl")),
            include_str!(concat!("../locales/", $lang, "/cli.ftl")),
            include_str!(concat!("../locales/", $lang, "/sna.ftl")),
            include_str!(concat!("../locales/", $lang, "/results.ftl")),
            include_str!(concat!("../locales/", $lang, "/instrument.ftl")),
            include_str!(concat!("../locales/", $lang, "/mail.ftl")),
            include_str!(concat!("../locales/", $lang, "/operations.ftl")),
            include_str!(concat!("../locales/", $lang, "/campaign.ftl")),
            include_str!(concat!("../locales/", $lang, "/open.ftl")),
            include_str!(concat!("../locales/", $lang, "/characterise.ftl")),
        ]
    };
}

const ES_SOURCES: &[&str] = &locale_files!("es");
const EN_SOURCES: &[&str] = &locale_files!("en");

fn sources(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Es => ES_SOURCES,
        Lang::En => EN_SOURCES,
    }
}

fn build_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // Unicode isolation marks around arguments confuse terminals and CSV readers.
    bundle.set_use_isolating(false);
    for source in sources(lang) {
        let resource = match FluentResource::try_new((*source).to_owned()) {
            Ok(r) => r,
            // A broken translation file is a build defect; the test suite parses
            // every file, so reaching this branch means tests were skipped.
            Err((r, _)) => r,
        };
        // Duplicate ids are reported by the test suite; keep the first one.
        let _ = bundle.add_resource(resource);
    }
    bundle
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 2]> =
    LazyLock::new(|| [build_bundle(Lang::Es), build_bundle(Lang::En)]);

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Es => &BUNDLES[0],
        Lang::En => &BUNDLES[1],
    }
}

/// The text of message `id` (or `id.attribute`) in `lang`. A missing id yields
/// the id itself, so a gap shows up on screen instead of crashing a page.
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = bundle(lang);
    let (msg_id, attr) = match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    };
    let Some(msg) = bundle.get_message(msg_id) else {
        return id.to_owned();
    };
    let pattern = match attr {
        Some(a) => msg.get_attribute(a).map(|at| at.value()),
        None => msg.value(),
    };
    let Some(pattern) = pattern else {
        return id.to_owned();
    };
    let mut errors = vec![];
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// A calendar date written out: "15 de diciembre de 2026", "December 15, 2026".
pub fn long_date(lang: Lang, year: i32, month: u8, day: u8) -> String {
    let mut args = FluentArgs::new();
    args.set("day", day.to_string());
    args.set("month", message(lang, &format!("month-{month}"), None));
    args.set("year", year.to_string());
    message(lang, "date-long", Some(&args))
}

/// Whether `id` exists in `lang` (used by tests and by code that offers an
/// optional hint only when it has been written).
pub fn has_message(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// Builds arguments from `(name, value)` pairs.
pub fn args<'a, I, V>(pairs: I) -> FluentArgs<'a>
where
    I: IntoIterator<Item = (&'a str, V)>,
    V: Into<FluentValue<'a>>,
{
    let mut a = FluentArgs::new();
    for (k, v) in pairs {
        a.set(k, v);
    }
    a
}

/// `t!(lang, "id")` or `t!(lang, "id", name = value, ...)`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:expr) => {
        $crate::message($lang, $id, None)
    };
    ($lang:expr, $id:expr, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::FluentArgs::new();
        $( args.set(stringify!($name), $value); )+
        $crate::message($lang, $id, Some(&args))
    }};
}

/// The message ids defined for a language, for parity checks.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let mut ids = vec![];
    for source in sources(lang) {
        for line in source.lines() {
            if let Some((head, _)) = line.split_once('=') {
                let head = head.trim_end();
                let starts_ok = head.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                if starts_ok
                    && !line.starts_with(' ')
                    && head
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    ids.push(head.to_owned());
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_out_in_each_language() {
        assert_eq!(long_date(Lang::Es, 2026, 12, 15), "15 de diciembre de 2026");
        assert_eq!(long_date(Lang::En, 2026, 1, 5), "January 5, 2026");
    }

    #[test]
    fn every_file_parses_without_errors() {
        for lang in Lang::ALL {
            for (i, source) in sources(lang).iter().enumerate() {
                if let Err((_, errs)) = FluentResource::try_new((*source).to_owned()) {
                    panic!("{:?} file #{i} has Fluent errors: {errs:?}", lang);
                }
            }
        }
    }

    #[test]
    fn spanish_and_english_define_the_same_messages() {
        let mut es = message_ids(Lang::Es);
        let mut en = message_ids(Lang::En);
        es.sort();
        en.sort();
        let missing_en: Vec<_> = es.iter().filter(|id| !en.contains(id)).collect();
        let missing_es: Vec<_> = en.iter().filter(|id| !es.contains(id)).collect();
        assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
        assert!(missing_es.is_empty(), "missing in Spanish: {missing_es:?}");
        let mut dedup = es.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), es.len(), "duplicate message ids in Spanish");
    }

    #[test]
    fn negotiation_honours_quality_values() {
        assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("fr-FR, en;q=0.5, es;q=0.8"), Lang::Es);
        assert_eq!(Lang::negotiate("fr"), Lang::Es);
        assert_eq!(Lang::negotiate(""), Lang::Es);
    }

    #[test]
    fn tags_parse_from_locales() {
        assert_eq!(Lang::from_tag("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_tag("es-CL"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("de"), None);
    }

    #[test]
    fn arguments_are_interpolated() {
        let s = t!(
            Lang::Es,
            "import-summary",
            inserted = 3,
            updated = 1,
            unchanged = 0
        );
        assert!(s.contains('3') && s.contains('1'), "{s}");
        let e = t!(
            Lang::En,
            "import-summary",
            inserted = 3,
            updated = 1,
            unchanged = 0
        );
        assert_ne!(s, e);
    }

    #[test]
    fn missing_ids_fall_back_to_the_id() {
        assert_eq!(t!(Lang::En, "no-such-message"), "no-such-message");
    }
}
