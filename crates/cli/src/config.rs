//! `trama.toml`: every setting of the server in one file, under the
//! environment and the flags.
//!
//! Each key stands for one `TRAMA_*` variable. The file does not set the
//! variables (that would need `unsafe` in this edition and would leak into
//! child processes); it becomes the *default* of the flag that reads the
//! variable, so clap's own order gives flag > environment > file > built-in
//! default, and settings read outside clap (SMTP, the log filter) ask
//! [`Config::get`], which looks at the environment first.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use trama_i18n::{Lang, t};

use crate::exit::Failure;

/// `TRAMA_CONFIG`: the file to read when `--config` is not given.
pub const ENV_CONFIG: &str = "TRAMA_CONFIG";

/// The file as written: unknown keys are refused with their line, so a typo
/// is not a setting silently left at its default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    database_url: Option<String>,
    data_dir: Option<String>,
    addr: Option<String>,
    secure_cookies: Option<bool>,
    trusted_proxies: Option<Vec<String>>,
    public_url: Option<String>,
    worker_interval: Option<u64>,
    continuum_rules: Option<String>,
    min_group: Option<u64>,
    log: Option<String>,
    log_format: Option<String>,
    smtp: Option<Smtp>,
    metrics: Option<Metrics>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Smtp {
    host: Option<String>,
    port: Option<u16>,
    security: Option<String>,
    user: Option<String>,
    password: Option<String>,
    from: Option<String>,
    rate_per_hour: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Metrics {
    allow: Option<Vec<String>>,
    token: Option<String>,
}

/// A setting's value from the file: lists stay lists, so a flag that takes
/// several values gets each one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    One(String),
    Many(Vec<String>),
}

impl Value {
    fn joined(&self) -> String {
        match self {
            Value::One(v) => v.clone(),
            Value::Many(vs) => vs.join(","),
        }
    }
}

/// The settings of a configuration file, by environment variable.
#[derive(Debug, Default, Clone)]
pub struct Config {
    path: Option<PathBuf>,
    values: BTreeMap<&'static str, Value>,
}

impl Config {
    /// The file named by `--config FILE` (or `--config=FILE`) in `args`, else
    /// by `TRAMA_CONFIG`; no file at all is an empty configuration.
    pub fn locate(args: &[OsString], lang: Lang) -> Result<Config, Failure> {
        let path = flag_value(args, "--config").map(PathBuf::from).or_else(|| {
            std::env::var_os(ENV_CONFIG)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        match path {
            None => Ok(Config::default()),
            Some(p) => Config::read(&p, lang),
        }
    }

    pub fn read(path: &Path, lang: Lang) -> Result<Config, Failure> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            usage(t!(
                lang,
                "cli-config-unreadable",
                file = path.display().to_string(),
                detail = e.to_string()
            ))
        })?;
        let mut config = Config::parse(&text).map_err(|p| {
            let file = path.display().to_string();
            usage(match (p.unknown_key, p.wrong_type) {
                (Some(key), _) => t!(
                    lang,
                    "cli-config-unknown-key",
                    file = file,
                    line = p.line,
                    key = key
                ),
                (None, Some((kind, key))) => t!(
                    lang,
                    "cli-config-wrong-type",
                    file = file,
                    line = p.line,
                    key = key,
                    kind = trama_i18n::message(lang, kind.message_id(), None)
                ),
                (None, None) => t!(
                    lang,
                    "cli-config-invalid",
                    file = file,
                    line = p.line,
                    detail = p.detail
                ),
            })
        })?;
        config.path = Some(path.to_owned());
        Ok(config)
    }

    /// Reads the file's text.
    pub fn parse(text: &str) -> Result<Config, Problem> {
        let file: File = toml::from_str(text).map_err(|e| Problem::of(text, &e))?;
        let mut values = BTreeMap::new();
        let mut one = |var: &'static str, v: Option<String>| {
            if let Some(v) = v {
                values.insert(var, Value::One(v));
            }
        };
        one("TRAMA_DATABASE_URL", file.database_url);
        one("TRAMA_DATA_DIR", file.data_dir);
        one("TRAMA_ADDR", file.addr);
        one(
            "TRAMA_SECURE_COOKIES",
            file.secure_cookies.map(|b| b.to_string()),
        );
        one("TRAMA_PUBLIC_URL", file.public_url);
        one(
            "TRAMA_WORKER_INTERVAL",
            file.worker_interval.map(|n| n.to_string()),
        );
        one("TRAMA_CONTINUUM_RULES", file.continuum_rules);
        one("TRAMA_MIN_GROUP", file.min_group.map(|n| n.to_string()));
        one("TRAMA_LOG", file.log);
        one("TRAMA_LOG_FORMAT", file.log_format);
        let smtp = file.smtp.unwrap_or_default();
        one(trama_mail::ENV_HOST, smtp.host);
        one(trama_mail::ENV_PORT, smtp.port.map(|n| n.to_string()));
        one(trama_mail::ENV_SECURITY, smtp.security);
        one(trama_mail::ENV_USER, smtp.user);
        one(trama_mail::ENV_PASSWORD, smtp.password);
        one(trama_mail::ENV_FROM, smtp.from);
        one(
            trama_mail::ENV_RATE,
            smtp.rate_per_hour.map(|n| n.to_string()),
        );
        let metrics = file.metrics.unwrap_or_default();
        one("TRAMA_METRICS_TOKEN", metrics.token);
        if let Some(list) = file.trusted_proxies {
            values.insert("TRAMA_TRUSTED_PROXIES", Value::Many(list));
        }
        if let Some(list) = metrics.allow {
            values.insert("TRAMA_METRICS_ALLOW", Value::Many(list));
        }
        Ok(Config { path: None, values })
    }

    /// The file this came from, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A setting read outside clap: the environment, else the file. Empty
    /// variables count as unset, as container tools often write `VAR=`.
    pub fn get(&self, var: &str) -> Option<String> {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| self.values.get(var).map(Value::joined))
    }

    /// Makes the file's values the defaults of the flags that read the same
    /// variables, in `command` and all its subcommands. A variable that is
    /// set wins, because clap reads it before the default.
    pub fn apply(&self, command: clap::Command) -> clap::Command {
        if self.values.is_empty() {
            return command;
        }
        let command = command.mut_args(|arg| self.default_from_file(arg));
        command.mut_subcommands(|sub| self.apply(sub))
    }

    fn default_from_file(&self, arg: clap::Arg) -> clap::Arg {
        let Some(var) = arg.get_env().and_then(|v| v.to_str()) else {
            return arg;
        };
        if std::env::var_os(var).is_some_and(|v| !v.is_empty()) {
            return arg;
        }
        // The help must not print a password or a token from the file;
        // a switch (`--secure-cookies`) has no value to hide.
        let takes_value = arg.get_action().takes_values();
        match self.values.get(var) {
            None => arg,
            Some(v) if !takes_value => arg.default_value(v.joined()),
            Some(Value::One(v)) => arg.default_value(v.clone()).hide_default_value(true),
            Some(Value::Many(vs)) => arg
                .default_values(vs.iter().cloned())
                .hide_default_value(true),
        }
    }
}

/// What is wrong with a settings file, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based; 0 when the parser could not say.
    pub line: i64,
    /// A key the file may not have (a typo, most often).
    pub unknown_key: Option<String>,
    /// A value of the wrong kind, and its key.
    pub wrong_type: Option<(Kind, String)>,
    /// The parser's own words, for everything else.
    pub detail: String,
}

impl Problem {
    fn of(text: &str, e: &toml::de::Error) -> Problem {
        let line = e.span().map_or(0, |span| {
            let before = text.get(..span.start).unwrap_or(text);
            before.matches('\n').count() as i64 + 1
        });
        let message = e.message().trim().to_owned();
        let unknown_key = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key.to_owned());
        // serde says "expected u64"; the reader needs the key and a kind of
        // value in words.
        let wrong_type = message
            .starts_with("invalid type")
            .then(|| message.rsplit_once("expected "))
            .flatten()
            .map(|(_, expected)| Kind::of(expected));
        let key = e.span().and_then(|span| {
            let line_start = text.get(..span.start)?.rfind('\n').map_or(0, |i| i + 1);
            let (key, _) = text.get(line_start..span.start)?.split_once('=')?;
            Some(key.trim().to_owned())
        });
        Problem {
            line,
            unknown_key,
            wrong_type: wrong_type.zip(key),
            detail: message,
        }
    }
}

/// The kind of value a key takes, as the error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Boolean,
    Text,
    List,
}

impl Kind {
    fn of(serde_expected: &str) -> Kind {
        match serde_expected.trim() {
            e if e.starts_with('u') || e.starts_with('i') => Kind::Number,
            "a boolean" => Kind::Boolean,
            e if e.contains("sequence") => Kind::List,
            _ => Kind::Text,
        }
    }

    fn message_id(self) -> &'static str {
        match self {
            Kind::Number => "cli-config-kind-number",
            Kind::Boolean => "cli-config-kind-boolean",
            Kind::Text => "cli-config-kind-text",
            Kind::List => "cli-config-kind-list",
        }
    }
}

/// The value of `flag` (`--flag VALUE` or `--flag=VALUE`) in `args`, read
/// before clap parses them: the settings file and the language of its errors
/// must be known first.
pub fn flag_value<'a>(args: &'a [OsString], flag: &str) -> Option<&'a str> {
    args.iter().enumerate().find_map(|(i, a)| {
        let a = a.to_str()?;
        if a == flag {
            args.get(i + 1).and_then(|v| v.to_str())
        } else {
            a.strip_prefix(flag)?.strip_prefix('=')
        }
    })
}

fn usage(line: String) -> Failure {
    Failure {
        code: 2,
        lines: vec![line],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_maps_to_its_variable() {
        let c = Config::parse(
            r#"
            database_url = "postgres://trama@db/trama"
            addr = "0.0.0.0:8080"
            secure_cookies = true
            trusted_proxies = ["10.0.0.2", "10.0.0.3"]
            worker_interval = 10
            [smtp]
            host = "smtp.example.cl"
            port = 2525
            from = "Trama <no-reply@example.cl>"
            [metrics]
            allow = ["10.0.0.0/8"]
            "#,
        )
        .expect("valid");
        assert_eq!(
            c.values.get("TRAMA_DATABASE_URL"),
            Some(&Value::One("postgres://trama@db/trama".into()))
        );
        assert_eq!(
            c.values.get("TRAMA_SECURE_COOKIES"),
            Some(&Value::One("true".into()))
        );
        assert_eq!(
            c.values.get("TRAMA_TRUSTED_PROXIES"),
            Some(&Value::Many(vec!["10.0.0.2".into(), "10.0.0.3".into()]))
        );
        assert_eq!(
            c.values.get("TRAMA_SMTP_PORT"),
            Some(&Value::One("2525".into()))
        );
        assert_eq!(
            c.values.get("TRAMA_METRICS_ALLOW"),
            Some(&Value::Many(vec!["10.0.0.0/8".into()]))
        );
        assert!(!c.values.contains_key("TRAMA_SMTP_USER"));
    }

    #[test]
    fn a_misspelt_key_is_refused_with_its_line() {
        let e = Config::parse("addr = \"0.0.0.0:8080\"\n[smtp]\nhots = \"x\"\n")
            .expect_err("unknown key");
        assert_eq!(
            (e.line, e.unknown_key.as_deref()),
            (3, Some("hots")),
            "{e:?}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_with_its_line() {
        let e = Config::parse("\n\nworker_interval = \"often\"\n").expect_err("not a number");
        assert_eq!((e.line, e.unknown_key.as_deref()), (3, None), "{e:?}");
        assert_eq!(
            e.wrong_type,
            Some((Kind::Number, "worker_interval".to_owned())),
            "{e:?}"
        );
        let e = Config::parse("[metrics]\nallow = \"10.0.0.0/8\"\n").expect_err("not a list");
        assert_eq!(
            e.wrong_type,
            Some((Kind::List, "allow".to_owned())),
            "{e:?}"
        );
        let e = Config::parse("secure_cookies = 1\n").expect_err("not a boolean");
        assert_eq!(
            e.wrong_type,
            Some((Kind::Boolean, "secure_cookies".to_owned())),
            "{e:?}"
        );
    }

    #[test]
    fn config_is_found_after_the_flag_or_in_its_equals_form() {
        let lang = Lang::En;
        let missing = "/nonexistent/trama.toml";
        for args in [
            vec!["trama", "--config", missing, "serve"],
            vec!["trama", "serve", &format!("--config={missing}")],
        ] {
            let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
            let e = Config::locate(&args, lang).expect_err("the file is missing");
            assert_eq!(e.code, 2);
            assert!(e.lines[0].contains(missing), "{:?}", e.lines);
        }
    }
}
