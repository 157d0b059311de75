//! Physical line numbers whatever ends the lines: LF (Unix), CRLF (Excel on
//! Windows) or a lone CR (old Mac exports). The CSV reader reports byte
//! offsets; this turns them into the line a person sees in an editor.

use std::io::Read;

/// Where the lines of a text break, as `(start, end)` byte ranges of each
/// line break (CRLF is one break of two bytes).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    breaks: Vec<(u64, u64)>,
    at: u64,
    after_cr: bool,
}

impl LineIndex {
    pub fn of(bytes: &[u8]) -> LineIndex {
        let mut index = LineIndex::default();
        index.feed(bytes);
        index
    }

    /// Reads on through `bytes`, which follow what was fed before.
    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => {
                    if let Some(last) = self.breaks.last_mut() {
                        last.1 = self.at + 1;
                    }
                }
                b'\n' | b'\r' => self.breaks.push((self.at, self.at + 1)),
                _ => {}
            }
            self.after_cr = b == b'\r';
            self.at += 1;
        }
    }

    /// The line (the first is 1) of a record the CSV reader places at byte
    /// `offset`. The reader places a record that follows blank lines at the
    /// first of them (or inside a CRLF); people count from the record's
    /// first character.
    pub fn line_of(&self, offset: u64) -> u64 {
        let mut at = offset;
        loop {
            let i = self.breaks.partition_point(|b| b.0 < at);
            let inside = i > 0 && at < self.breaks[i - 1].1;
            match self.breaks.get(i) {
                _ if inside => at = self.breaks[i - 1].1,
                Some(&(start, end)) if start == at => at = end,
                _ => return i as u64 + 1,
            }
        }
    }
}

/// A reader that indexes the lines of what passes through it, for readers
/// that stream a file rather than hold it.
pub struct Counting<R> {
    inner: R,
    pub lines: LineIndex,
}

impl<R> Counting<R> {
    pub fn new(inner: R) -> Counting<R> {
        Counting {
            inner,
            lines: LineIndex::default(),
        }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines.feed(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    /// The lines of each record's first field, as the csv crate places them.
    fn record_lines(text: &str) -> Vec<u64> {
        let index = LineIndex::of(text.as_bytes());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        reader
            .records()
            .filter_map(Result::ok)
            .filter(|r| r.iter().any(|f| !f.is_empty()))
            .map(|r| index.line_of(r.position().map_or(0, |p| p.byte())))
            .collect()
    }

    #[test]
    fn every_line_ending_counts_the_same() {
        // Header, a row, a blank line, a row with a quoted line break, a row.
        for nl in ["\n", "\r\n", "\r"] {
            let text = format!("a,b{nl}1,2{nl}{nl}3,\"x{nl}y\"{nl}4,5{nl}");
            assert_eq!(record_lines(&text), [1, 2, 4, 6], "{nl:?}");
        }
    }

    #[test]
    fn crlf_with_blank_lines_and_no_final_break() {
        let text = "a\r\n\r\n\r\n2\r\n3";
        assert_eq!(record_lines(text), [1, 4, 5]);
        // Fed in pieces, a CRLF split between two reads is still one break.
        let mut index = LineIndex::default();
        index.feed(b"a\r");
        index.feed(b"\nb\r\nc");
        assert_eq!(index.line_of(5), 3);
    }
}
