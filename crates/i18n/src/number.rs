//! Numbers as each language writes them: a decimal comma in Spanish, a
//! point in English; a dash for a value that is not there.

use crate::Lang;

/// `v` with `places` decimals; "—" for none.
pub fn decimal(v: Option<f64>, places: usize, lang: Lang) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) => {
            let s = format!("{v:.places$}");
            match lang {
                Lang::Es => s.replace('.', ","),
                Lang::En => s,
            }
        }
    }
}

/// A percentage (0–100) without decimals: "45 %" in Spanish, "45%" in English.
pub fn percent(v: Option<f64>, lang: Lang) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) => match lang {
            Lang::Es => format!("{v:.0} %"),
            Lang::En => format!("{v:.0}%"),
        },
    }
}

/// A percentage with one decimal: "52,6 %" in Spanish, "52.6%" in English.
pub fn percent1(v: f64, lang: Lang) -> String {
    let d = decimal(Some(v), 1, lang);
    match lang {
        Lang::Es => format!("{d} %"),
        Lang::En => format!("{d}%"),
    }
}

/// A count with its thousands grouped as each language writes them:
/// "99.900" in Spanish, "99,900" in English.
pub fn integer(n: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::Es => '.',
        Lang::En => ',',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

/// A share (0–1) as a percentage.
pub fn share(v: Option<f64>, lang: Lang) -> String {
    percent(v.map(|x| x * 100.0), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands_per_language() {
        assert_eq!(integer(99_900, Lang::Es), "99.900");
        assert_eq!(integer(99_900, Lang::En), "99,900");
        assert_eq!(integer(1_234_567, Lang::Es), "1.234.567");
        assert_eq!(integer(100, Lang::En), "100");
        assert_eq!(integer(0, Lang::Es), "0");
    }

    #[test]
    fn one_decimal_percentages() {
        assert_eq!(percent1(52.63, Lang::Es), "52,6 %");
        assert_eq!(percent1(1.94, Lang::En), "1.9%");
    }

    #[test]
    fn each_language_writes_its_own_notation() {
        assert_eq!(decimal(Some(0.456), 2, Lang::Es), "0,46");
        assert_eq!(decimal(Some(0.456), 2, Lang::En), "0.46");
        assert_eq!(decimal(None, 2, Lang::En), "—");
        assert_eq!(percent(Some(45.4), Lang::Es), "45 %");
        assert_eq!(share(Some(0.454), Lang::En), "45%");
    }
}
