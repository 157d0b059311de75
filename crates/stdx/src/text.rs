//! Control characters that may not appear in what people type. A NUL or an
//! escape sequence pasted into a name ends up in CSV exports, e-mail
//! subjects, PDFs and terminals, where it truncates, garbles or hides text;
//! it is refused where the value comes in, with a message at the field.

/// The first character of `s` that may not appear in multi-line text (a
/// comment, a description): any Unicode control character (general category
/// `Cc`: U+0000–U+001F, U+007F–U+009F, NUL included) except tab, line feed
/// and carriage return.
pub fn forbidden_control(s: &str) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The first character of `s` that may not appear in a single-line value (a
/// name, a code, a label): any control character, tab and line breaks
/// included.
pub fn forbidden_in_line(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control())
}

/// `s` with the characters [`forbidden_control`] finds written as
/// `<U+001B>`, for echoing a refused value in an error message without
/// sending the character itself to a terminal or a page.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if forbidden_control(s).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            out.push('<');
            out.push_str(&code_point(c));
            out.push('>');
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `s` as an error message may quote it on one line: every control
/// character (tab and line breaks too, which would split the message)
/// written as `<U+000A>`, and what is written cut at `max_chars`
/// characters (the names of control characters counted in full), then
/// `…`. A value pasted by mistake (a whole file in one cell, a run of
/// escape sequences) can then neither flood nor drive a terminal or a page.
pub fn echo(s: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    let clean = !s.chars().any(char::is_control);
    if clean && s.chars().nth(max_chars).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max_chars * 4) + 4);
    let mut written = 0;
    for c in s.chars() {
        let piece = if c.is_control() {
            format!("<{}>", code_point(c))
        } else {
            c.to_string()
        };
        let len = piece.chars().count();
        if written + len > max_chars {
            out.push('…');
            break;
        }
        out.push_str(&piece);
        written += len;
    }
    std::borrow::Cow::Owned(out)
}

/// How a refused character is named in messages: `U+0000`, as Unicode
/// charts write it (the character itself would be invisible or harmful).
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_line_text_keeps_tab_and_line_breaks() {
        assert_eq!(forbidden_control("una\tdos\r\ntres"), None);
        assert_eq!(forbidden_control("a\u{0}b"), Some('\u{0}'));
        assert_eq!(forbidden_control("x\u{1B}[31m"), Some('\u{1B}'));
        assert_eq!(forbidden_control("\u{7F}"), Some('\u{7F}'));
        assert_eq!(forbidden_control("\u{85}"), Some('\u{85}'));
        assert_eq!(forbidden_control("Peñalolén 😀"), None);
    }

    #[test]
    fn a_line_refuses_tab_and_breaks_too() {
        assert_eq!(forbidden_in_line("Liceo A"), None);
        assert_eq!(forbidden_in_line("Liceo\tA"), Some('\t'));
        assert_eq!(forbidden_in_line("Liceo\nA"), Some('\n'));
        assert_eq!(forbidden_in_line("Liceo\rA"), Some('\r'));
        assert_eq!(forbidden_in_line("\u{0}"), Some('\u{0}'));
        // The first one found, not the worst.
        assert_eq!(forbidden_in_line("a\u{2}b\u{0}"), Some('\u{2}'));
    }

    #[test]
    fn refused_values_are_echoed_visibly() {
        assert_eq!(visible("a\u{0}b\u{1B}[2J"), "a<U+0000>b<U+001B>[2J");
        assert_eq!(visible("línea\nlínea"), "línea\nlínea");
        assert!(matches!(visible("Liceo"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn echoed_values_stay_on_one_short_line() {
        assert_eq!(
            echo("a\tb\nc\r\u{1B}[2J", 60),
            "a<U+0009>b<U+000A>c<U+000D><U+001B>[2J"
        );
        assert!(matches!(echo("Liceo", 60), std::borrow::Cow::Borrowed(_)));
        let long = "ñ".repeat(100);
        let cut = echo(&long, 60);
        assert_eq!(cut.chars().count(), 61);
        assert!(cut.ends_with("ñ…"), "{cut}");
        assert_eq!(echo(&"x".repeat(60), 60), "x".repeat(60));
        // Cut by characters as written, so a multi-byte character or the
        // name of a control character is never split, and never runs long.
        assert_eq!(echo("\u{0}\u{0}\u{0}", 20), "<U+0000><U+0000>…");
        assert_eq!(echo(&"\u{1B}".repeat(1_000), 60).chars().count(), 57);
    }

    #[test]
    fn code_points_are_named_as_unicode_charts_do() {
        assert_eq!(code_point('\u{0}'), "U+0000");
        assert_eq!(code_point('\u{1B}'), "U+001B");
        assert_eq!(code_point('\u{9F}'), "U+009F");
    }
}
