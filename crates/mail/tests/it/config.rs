//! Settings from environment variables (through a map, never the process
//! environment) and from a config file section.

use std::collections::HashMap;
use std::time::Duration;

use trama_mail::{
    ConfigError, ENV_FROM, ENV_HOST, ENV_PASSWORD, ENV_PORT, ENV_RATE, ENV_SECURITY, ENV_USER,
    MailConfig, Security,
};

fn parse(pairs: &[(&str, &str)]) -> Result<MailConfig, ConfigError> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    MailConfig::from_env_map(|k| map.get(k).cloned())
}

fn ok(pairs: &[(&str, &str)]) -> MailConfig {
    parse(pairs).unwrap_or_else(|e| panic!("{pairs:?} should parse: {e}"))
}

/// Asserts the error names `var` both in `var()` and in its message.
fn err_names(pairs: &[(&str, &str)], var: &str) -> ConfigError {
    let err = match parse(pairs) {
        Ok(c) => panic!("{pairs:?} should be refused, got {c:?}"),
        Err(e) => e,
    };
    assert_eq!(err.var(), Some(var), "{err}");
    assert!(
        err.to_string().contains(var),
        "message should name {var}: {err}"
    );
    err
}

const MINIMAL: [(&str, &str); 2] = [
    (ENV_HOST, "smtp.example.cl"),
    (ENV_FROM, "no-reply@example.cl"),
];

#[test]
fn nothing_set_means_no_smtp_and_default_rate() {
    let c = ok(&[]);
    assert_eq!(c.smtp, None);
    assert_eq!(c.rate_per_hour, 500);
    assert_eq!(c, MailConfig::default());
}

#[test]
fn without_a_host_messages_stay_in_the_outbox_even_if_other_settings_are_given() {
    let c = ok(&[
        (ENV_PORT, "2525"),
        (ENV_SECURITY, "none"),
        (ENV_FROM, "Red <red@example.cl>"),
        (ENV_RATE, "120"),
    ]);
    assert_eq!(c.smtp, None);
    assert_eq!(c.rate_per_hour, 120);
    // An empty host (`TRAMA_SMTP_HOST=` in a compose file) is the same as none.
    assert_eq!(ok(&[(ENV_HOST, "  "), (ENV_FROM, "a@b.cl")]).smtp, None);
}

#[test]
fn defaults_for_a_minimal_relay() {
    let c = ok(&MINIMAL);
    let smtp = c.smtp.clone().expect("host is set");
    assert_eq!(smtp.host, "smtp.example.cl");
    assert_eq!(smtp.security, Security::StartTls);
    assert_eq!(smtp.port, 587);
    assert_eq!(smtp.username, None);
    assert_eq!(smtp.password, None);
    assert_eq!(smtp.from.email, "no-reply@example.cl");
    assert_eq!(smtp.from.name, "Trama");
    assert_eq!(c.rate_per_hour, 500);
    assert_eq!(c.send_interval(), Duration::from_millis(7200));
}

#[test]
fn port_follows_security_unless_given() {
    let with = |security: &str, port: Option<&str>| {
        let mut pairs = MINIMAL.to_vec();
        pairs.push((ENV_SECURITY, security));
        if let Some(p) = port {
            pairs.push((ENV_PORT, p));
        }
        ok(&pairs).smtp.expect("host is set")
    };
    assert_eq!(with("tls", None).port, 465);
    assert_eq!(with("TLS", None).security, Security::Tls);
    assert_eq!(with("none", None).port, 25);
    assert_eq!(with("none", None).security, Security::Plain);
    assert_eq!(with("starttls", Some("2525")).port, 2525);
}

#[test]
fn full_settings_are_read() {
    let c = ok(&[
        (ENV_HOST, "mail.mineduc.cl"),
        (ENV_PORT, "465"),
        (ENV_SECURITY, "tls"),
        (ENV_USER, "trama"),
        (ENV_PASSWORD, " s3cret with spaces "),
        (ENV_FROM, "Redes de Mejoramiento <redes@mineduc.cl>"),
        (ENV_RATE, "60"),
    ]);
    let smtp = c.smtp.clone().expect("host is set");
    assert_eq!(smtp.username.as_deref(), Some("trama"));
    assert_eq!(smtp.password.as_deref(), Some(" s3cret with spaces "));
    assert_eq!(smtp.from.name, "Redes de Mejoramiento");
    assert_eq!(smtp.from.email, "redes@mineduc.cl");
    assert_eq!(c.send_interval(), Duration::from_secs(60));
    let debug = format!("{smtp:?}");
    assert!(
        !debug.contains("s3cret"),
        "password leaked into Debug: {debug}"
    );
}

#[test]
fn each_bad_value_names_its_variable() {
    let with = |extra: (&'static str, &'static str)| {
        let mut pairs = MINIMAL.to_vec();
        pairs.push(extra);
        pairs
    };
    for port in ["abc", "0", "70000", "25.5"] {
        let e = err_names(&with((ENV_PORT, port)), ENV_PORT);
        assert!(e.to_string().contains(port), "{e}");
    }
    err_names(&with((ENV_SECURITY, "ssl")), ENV_SECURITY);
    for rate in ["0", "-5", "many"] {
        err_names(&with((ENV_RATE, rate)), ENV_RATE);
    }
    // MINIMAL's from is replaced by the later pair in the map.
    for from in ["not-an-address", "Trama <trama@>", "@example.cl"] {
        err_names(&with((ENV_FROM, from)), ENV_FROM);
    }
    // A wrong from is reported even before SMTP is switched on.
    err_names(&[(ENV_FROM, "nobody")], ENV_FROM);
}

#[test]
fn incomplete_settings_name_what_is_missing() {
    let e = err_names(&[(ENV_HOST, "smtp.example.cl")], ENV_FROM);
    assert!(matches!(e, ConfigError::Missing { because, .. } if because == ENV_HOST));

    let mut user_only = MINIMAL.to_vec();
    user_only.push((ENV_USER, "trama"));
    err_names(&user_only, ENV_PASSWORD);

    let mut password_only = MINIMAL.to_vec();
    password_only.push((ENV_PASSWORD, "x"));
    err_names(&password_only, ENV_USER);
}

#[test]
fn a_config_file_section_deserializes_with_the_same_defaults() {
    let c: MailConfig = serde_json::from_str(
        r#"{"smtp": {"host": "smtp.example.cl", "security": "tls",
                     "from": "no-reply@example.cl"}}"#,
    )
    .unwrap_or_else(|e| panic!("should parse: {e}"));
    let smtp = c.smtp.expect("smtp section");
    assert_eq!(smtp.port, 465);
    assert_eq!(smtp.from.name, "Trama");
    assert_eq!(c.rate_per_hour, 500);

    let empty: MailConfig =
        serde_json::from_str("{}").unwrap_or_else(|e| panic!("should parse: {e}"));
    assert_eq!(empty, MailConfig::default());

    for bad in [
        r#"{"rate_per_hour": 0}"#,
        r#"{"smtp": {"host": "h", "from": "nobody"}}"#,
        r#"{"smtp": {"host": "h", "from": "a@b.cl", "security": "ssl"}}"#,
        r#"{"smtp": {"host": "h", "from": "a@b.cl", "username": "u"}}"#,
        r#"{"smtp": {"host": "h", "from": "a@b.cl", "prot": 25}}"#,
        r#"{"rate": 10}"#,
    ] {
        assert!(
            serde_json::from_str::<MailConfig>(bad).is_err(),
            "{bad} should be refused"
        );
    }
}
