//! Escaping text for XML and HTML (SVG, GraphML, GEXF, e-mail bodies). The
//! text comes from people's spreadsheets and forms: ampersands, quotes and
//! stray control characters all occur, and none may break the document.

use std::borrow::Cow;

/// Escapes `s` for element text or a single- or double-quoted attribute
/// value, in XML 1.0 and in HTML alike.
///
/// - `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`, `&gt;`, `&quot;` and
///   `&#39;` (not `&apos;`, which HTML 4 and some mail clients lack).
/// - Tab, line feed and carriage return become `&#9;`, `&#10;`, `&#13;`:
///   the same character in element text, but an attribute keeps it, where a
///   literal one would be normalised to a space by the parser.
/// - Characters XML 1.0 cannot carry at all (the other C0 controls, U+FFFE,
///   U+FFFF) become U+FFFD, so the document still parses.
///
/// Borrows when there is nothing to escape, which is most names.
pub fn escape(s: &str) -> Cow<'_, str> {
    match s.find(needs_escape) {
        None => Cow::Borrowed(s),
        Some(first) => {
            let mut out = String::with_capacity(s.len() + 16);
            out.push_str(&s[..first]);
            escape_into(&mut out, &s[first..]);
            Cow::Owned(out)
        }
    }
}

/// [`escape`], appending to `out` (for writers that build one big string).
pub fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(needs_escape) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or('\u{FFFD}');
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push('\u{FFFD}'),
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || not_in_xml(c)
}

/// C0 controls (tab, line feed and carriage return included: they are
/// escaped as references) and the two non-characters XML excludes.
fn not_in_xml(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_references() {
        assert_eq!(
            escape("Liceo \"A\" & <B> 'C'"),
            "Liceo &quot;A&quot; &amp; &lt;B&gt; &#39;C&#39;"
        );
    }

    #[test]
    fn whitespace_controls_survive_attribute_normalisation() {
        assert_eq!(escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn characters_xml_cannot_carry_become_the_replacement_character() {
        assert_eq!(
            escape("\u{0}x\u{1}\u{1F}\u{FFFE}\u{FFFF}"),
            "\u{FFFD}x\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        // DEL and C1 controls are allowed in XML 1.0; they stay.
        assert_eq!(escape("\u{7F}\u{85}"), "\u{7F}\u{85}");
    }

    #[test]
    fn plain_text_is_borrowed_and_unicode_untouched() {
        assert!(matches!(escape("Peñalolén"), Cow::Borrowed("Peñalolén")));
        assert_eq!(escape("ñ&ü"), "ñ&amp;ü");
        let mut out = String::from("<t>");
        escape_into(&mut out, "É<");
        assert_eq!(out, "<t>É&lt;");
    }
}
