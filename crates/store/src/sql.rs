//! A small builder for statements whose shape depends on filters. It numbers
//! placeholders `$1, $2, …`, which both SQLite and PostgreSQL accept.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    OptInt(Option<i64>),
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::OptInt(v)
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<i32> for Arg {
    fn from(v: i32) -> Self {
        Arg::Int(v.into())
    }
}
impl From<i16> for Arg {
    fn from(v: i16) -> Self {
        Arg::Int(v.into())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql {
            text: text.to_owned(),
            args: vec![],
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.args.push(value.into());
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    /// Appends `(…, …)` with one placeholder per value.
    pub fn bind_list<T: Into<Arg> + Clone>(&mut self, values: &[T]) -> &mut Self {
        self.text.push('(');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v.clone());
        }
        self.text.push(')');
        self
    }

    pub fn query(&self) -> Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
                Arg::OptInt(v) => q.bind(*v),
            };
        }
        q
    }
}

/// `LIKE` pattern for a folded search term, with wildcards in the term escaped.
pub(crate) fn like_pattern(q: &str) -> String {
    let folded = trama_domain::search_key(q)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{folded}%")
}

impl Sql {
    /// Appends another fragment with its arguments, renumbering placeholders.
    pub fn push_all(&mut self, other: &Sql) -> &mut Self {
        let offset = self.args.len();
        let mut out = String::with_capacity(other.text.len());
        let mut chars = other.text.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if c == '$' {
                let mut digits = String::new();
                while let Some((_, d)) = chars.peek().copied() {
                    if d.is_ascii_digit() {
                        digits.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                match digits.parse::<usize>() {
                    Ok(n) => out.push_str(&format!("${}", n + offset)),
                    Err(_) => out.push('$'),
                }
            } else {
                out.push(c);
            }
        }
        self.text.push_str(&out);
        self.args.extend(other.args.iter().cloned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_renumbered() {
        let mut a = Sql::new("SELECT x WHERE a = ");
        a.bind(1i64);
        let mut b = Sql::new(" AND b = ");
        b.bind("z").push(" AND c IN ").bind_list(&[2i64, 3]);
        a.push_all(&b);
        assert_eq!(a.text, "SELECT x WHERE a = $1 AND b = $2 AND c IN ($3, $4)");
        assert_eq!(a.args.len(), 4);
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_Ñu"), "%50\\%\\_nu%");
    }
}
