//! XML escaping. Ids and attribute values come from people's spreadsheets:
//! ampersands, quotes and stray control characters all occur.

/// Escapes for element text or a double-quoted attribute. Characters that
/// XML 1.0 cannot carry at all (most C0 controls, U+FFFE, U+FFFF) are
/// replaced by U+FFFD so the file still parses; tab and line breaks become
/// character references so attribute-value normalisation keeps them.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_are_neutralised() {
        assert_eq!(
            escape("Liceo \"A\" & <B>\t'C'\u{1}"),
            "Liceo &quot;A&quot; &amp; &lt;B&gt;&#9;&apos;C&apos;\u{FFFD}"
        );
        assert_eq!(escape("Peñalolén"), "Peñalolén");
    }
}
