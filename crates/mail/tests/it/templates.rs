//! The invitation and reminder texts in both languages.

use trama_i18n::Lang;
use trama_mail::{Envelope, MessageKind, MessageVars, render};

const LINK: &str = "https://trama.example.cl/responder/Xk3p9QzL2m?c=17&lang=es";
const OPT_OUT: &str = "https://trama.example.cl/baja/Xk3p9QzL2m";

fn vars(name: &str) -> MessageVars<'_> {
    MessageVars {
        person_name: name,
        network_name: "Red Valle del Elqui",
        network_code: "RME-04-012",
        campaign_name: "Monitoreo 2026",
        link: LINK,
        opt_out_link: OPT_OUT,
        closes_on: "15 de diciembre de 2026",
    }
}

fn all() -> Vec<(MessageKind, Lang, Envelope)> {
    let mut out = vec![];
    for kind in MessageKind::ALL {
        for lang in Lang::ALL {
            let e = render(kind, lang, "ana.perez@example.cl", &vars("Ana Pérez"));
            out.push((kind, lang, e));
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[test]
fn every_message_carries_the_facts_of_the_campaign() {
    for (kind, lang, e) in all() {
        let ctx = format!("{kind:?}/{lang:?}");
        let text = &e.text_body;
        assert_eq!(e.to_email, "ana.perez@example.cl", "{ctx}");
        assert_eq!(e.to_name, "Ana Pérez", "{ctx}");
        assert!(
            e.subject.contains("Red Valle del Elqui"),
            "{ctx}: {}",
            e.subject
        );
        for needle in [
            "Ana Pérez",
            "Red Valle del Elqui",
            "RME-04-012",
            "Monitoreo 2026",
            "15 de diciembre de 2026",
        ] {
            assert!(text.contains(needle), "{ctx}: missing {needle} in\n{text}");
        }
        // A message id that failed to resolve would show up as its id.
        assert!(
            !text.contains("mail-"),
            "{ctx}: unresolved message id in\n{text}"
        );
        assert!(!e.subject.contains("mail-"), "{ctx}: {}", e.subject);
        assert_eq!(e.list_unsubscribe.as_deref(), Some(OPT_OUT), "{ctx}");
    }
}

#[test]
fn links_stand_alone_on_their_lines_exactly_once() {
    for (kind, lang, e) in all() {
        let ctx = format!("{kind:?}/{lang:?}");
        let text = &e.text_body;
        assert_eq!(
            text.matches(LINK).count(),
            1,
            "{ctx}: link count in\n{text}"
        );
        assert_eq!(
            text.matches(OPT_OUT).count(),
            1,
            "{ctx}: opt-out count in\n{text}"
        );
        // The whole line is the URL: nothing glued before or after it that a
        // mail client could take as part of the address.
        assert!(
            text.lines().any(|l| l == LINK),
            "{ctx}: link not alone\n{text}"
        );
        assert!(
            text.lines().any(|l| l == OPT_OUT),
            "{ctx}: opt-out not alone\n{text}"
        );
        assert!(
            !text.chars().any(is_invisible),
            "{ctx}: invisible characters in\n{text:?}"
        );
        assert!(
            !e.subject.chars().any(is_invisible),
            "{ctx}: {:?}",
            e.subject
        );
    }
}

#[test]
fn urls_are_cleaned_of_stray_whitespace_and_invisible_marks() {
    let mut v = vars("Ana");
    let dirty = format!(" \u{2068}{LINK}\u{2069}\n");
    v.link = &dirty;
    let e = render(MessageKind::Invitation, Lang::Es, "a@b.cl", &v);
    assert!(e.text_body.lines().any(|l| l == LINK), "{}", e.text_body);
}

#[test]
fn invitation_explains_confidentiality_and_aggregate_reporting() {
    let es = render(MessageKind::Invitation, Lang::Es, "a@b.cl", &vars("Ana"));
    assert!(es.text_body.contains("confidenciales"), "{}", es.text_body);
    assert!(es.text_body.contains("agregada"), "{}", es.text_body);
    assert!(
        es.text_body.starts_with("Estimado/a Ana:"),
        "{}",
        es.text_body
    );
    let en = render(MessageKind::Invitation, Lang::En, "a@b.cl", &vars("Ana"));
    assert!(en.text_body.contains("confidential"), "{}", en.text_body);
    assert!(en.text_body.contains("aggregate"), "{}", en.text_body);
    assert!(en.text_body.starts_with("Dear Ana,"), "{}", en.text_body);
    assert_ne!(es.subject, en.subject);
}

#[test]
fn reminder_is_shorter_and_says_one_can_continue() {
    for lang in Lang::ALL {
        let inv = render(MessageKind::Invitation, lang, "a@b.cl", &vars("Ana"));
        let rem = render(MessageKind::Reminder, lang, "a@b.cl", &vars("Ana"));
        assert_ne!(inv.subject, rem.subject, "{lang:?}");
        assert_ne!(inv.text_body, rem.text_body, "{lang:?}");
        assert!(
            rem.text_body.len() < inv.text_body.len(),
            "{lang:?}: reminder should be shorter"
        );
        let continues = match lang {
            Lang::Es => "continuar donde lo dejó",
            Lang::En => "continue where you left off",
        };
        assert!(
            rem.text_body.contains(continues),
            "{lang:?}: {}",
            rem.text_body
        );
    }
}

#[test]
fn a_missing_name_gets_a_generic_greeting() {
    let es = render(MessageKind::Reminder, Lang::Es, "a@b.cl", &vars("  "));
    assert!(
        es.text_body.starts_with("Estimado/a participante:"),
        "{}",
        es.text_body
    );
    let en = render(MessageKind::Reminder, Lang::En, "a@b.cl", &vars(""));
    assert!(
        en.text_body.starts_with("Dear participant,"),
        "{}",
        en.text_body
    );
}

#[test]
fn html_escapes_every_variable() {
    let hostile = "<script>alert('x')</script> O'Higgins & Cía";
    let mut v = vars(hostile);
    v.network_name = "Red \"Norte\" <b>";
    v.campaign_name = "Ronda <i>1</i>";
    for kind in MessageKind::ALL {
        for lang in Lang::ALL {
            let e = render(kind, lang, "a@b.cl", &v);
            let html = e.html_body.expect("html part");
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
            assert!(
                html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
                "{html}"
            );
            assert!(html.contains("O&#39;Higgins &amp; Cía"), "{html}");
            assert!(html.contains("Red &quot;Norte&quot; &lt;b&gt;"), "{html}");
            assert!(
                html.contains(&format!("<html lang=\"{}\">", lang.tag())),
                "{html}"
            );
            // The plain-text part is text: the name is shown as written.
            assert!(e.text_body.contains(hostile), "{}", e.text_body);
        }
    }
}

#[test]
fn html_cannot_be_broken_by_control_characters_in_a_name() {
    // A registry cell with a stray control character (pasted from another
    // program) must not make the HTML part invalid for strict clients.
    let e = render(
        MessageKind::Invitation,
        Lang::Es,
        "a@b.cl",
        &vars("Ana\u{1}\u{1B}Pérez"),
    );
    let html = e.html_body.expect("html part");
    assert!(html.contains("Ana\u{FFFD}\u{FFFD}Pérez"), "{html}");
    assert!(
        !html.contains('\u{1}') && !html.contains('\u{1B}'),
        "{html}"
    );
}

#[test]
fn html_links_are_escaped_and_clickable() {
    let e = render(MessageKind::Invitation, Lang::Es, "a@b.cl", &vars("Ana"));
    let html = e.html_body.expect("html part");
    let escaped = LINK.replace('&', "&amp;");
    assert!(
        html.contains(&format!("<a href=\"{escaped}\">{escaped}</a>")),
        "{html}"
    );
    assert!(html.contains(&format!("<a href=\"{OPT_OUT}\">")), "{html}");
    assert!(
        !html.contains("?c=17&lang"),
        "raw ampersand in HTML: {html}"
    );

    // Something that is not a web address is never made into a link.
    let mut v = vars("Ana");
    v.link = "javascript:alert(1)";
    let e = render(MessageKind::Invitation, Lang::En, "a@b.cl", &v);
    let html = e.html_body.expect("html part");
    assert!(!html.contains("href=\"javascript"), "{html}");
}

#[test]
fn message_kinds_round_trip_through_their_names() {
    for kind in MessageKind::ALL {
        assert_eq!(MessageKind::from_name(kind.as_str()), Some(kind));
    }
    assert_eq!(MessageKind::from_name("newsletter"), None);
}
