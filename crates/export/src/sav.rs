//! SPSS system files (`.sav`), written to the format PSPP documents
//! ("System File Format" in its developers' guide).
//!
//! Why by hand: the MIT/Apache crates that write `.sav` take the whole table
//! at once (as an Arrow batch), and the one that streams is GPL. The subset
//! needed here is small: the file header (record 1), variable records with
//! labels and discrete missing values (2), value labels (3 and 4), documents
//! (6), machine integer and float info (7.3, 7.4), display parameters
//! (7.11), long variable names (7.13), the character encoding (7.20, UTF-8,
//! so Spanish labels survive), long-string value labels (7.21), the
//! dictionary terminator (999), then the cases, bytecode-compressed by
//! default. Strings are at most 255 bytes (no very long strings, 7.14).
//!
//! Everything is little-endian, as the machine integer record declares.

use std::io::{BufWriter, Seek, SeekFrom, Write};

use crate::ExportError;
use crate::codebook::{Cell, Codebook, Measure, Value, VarKind, Variable};

/// The system-missing value: the most negative finite double.
const SYSMIS: f64 = -f64::MAX;
/// What "LOWEST" stands for in missing-value ranges: the double just above SYSMIS.
const LOWEST_BITS: u64 = 0xffef_ffff_ffff_fffe;
/// Compression bias: code `c` in 1..=251 stands for the number `c - BIAS`.
const BIAS: f64 = 100.0;
/// Where the case count sits in the file header.
const NCASES_OFFSET: u64 = 80;

const CODE_PADDING: u8 = 0;
const CODE_RAW: u8 = 253;
const CODE_SPACES: u8 = 254;
const CODE_SYSMIS: u8 = 255;

/// Longest variable label and value label written; longer ones are cut at
/// a character boundary (the codebook CSV/XLSX keep them whole). 120 bytes
/// is the longest value label SPSS itself accepts.
const MAX_VAR_LABEL: usize = 255;
const MAX_VALUE_LABEL: usize = 120;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavOptions {
    /// The file label (at most 64 bytes are kept).
    pub file_label: String,
    /// Creation time, Unix seconds in UTC; `None` is now.
    pub created: Option<i64>,
    /// The number of cases, when the caller knows it before streaming (a
    /// count from the database): it goes into the header and
    /// [`SavWriter::finish`] checks it. Unknown counts are written as -1,
    /// which readers accept; [`SavWriter::finish_seekable`] fills in the
    /// real count afterwards.
    pub cases: Option<u64>,
    /// Write cases uncompressed (8 bytes per value) instead of with
    /// bytecode compression (about one byte per rating).
    pub uncompressed: bool,
}

pub struct SavWriter<W: Write> {
    out: BufWriter<W>,
    codebook: Codebook,
    cells: Vec<Cell>,
    rows: u64,
    expected: Option<u64>,
    compressed: bool,
    /// Bytes handed to `out` so far, to find the header again when seeking.
    written: u64,
    /// The compression block being filled: eight command bytes, then the
    /// eight-byte values of the commands that carry one.
    cmds: [u8; 8],
    ncmds: usize,
    data: Vec<u8>,
}

impl<W: Write> SavWriter<W> {
    /// Writes the dictionary. Rows follow with [`SavWriter::write_row`].
    pub fn new(
        out: W,
        codebook: &Codebook,
        options: &SavOptions,
    ) -> Result<SavWriter<W>, ExportError> {
        let dict = dictionary(codebook, options)?;
        let mut out = BufWriter::with_capacity(1 << 16, out);
        out.write_all(&dict)?;
        Ok(SavWriter {
            out,
            codebook: codebook.clone(),
            cells: Vec::with_capacity(codebook.len()),
            rows: 0,
            expected: options.cases,
            compressed: !options.uncompressed,
            written: dict.len() as u64,
            cmds: [CODE_PADDING; 8],
            ncmds: 0,
            data: Vec::with_capacity(64),
        })
    }

    pub fn write_row(&mut self, row: &[Option<&str>]) -> Result<(), ExportError> {
        let row_no = self.rows + 1;
        self.codebook.encode(row_no, row, &mut self.cells)?;
        // Widths are checked before anything of the row is written.
        for ((v, cell), raw) in self.codebook.variables.iter().zip(&self.cells).zip(row) {
            if let (VarKind::String { width }, Cell::Text) = (&v.kind, cell) {
                let len = raw.unwrap_or_default().len();
                if len > usize::from(*width) {
                    return Err(ExportError::TooLong {
                        row: row_no,
                        variable: v.name.clone(),
                        len,
                        width: *width,
                    });
                }
            }
        }
        for (i, raw) in row.iter().enumerate() {
            let cell = self.cells[i];
            let v = &self.codebook.variables[i];
            match v.kind {
                VarKind::Numeric { .. } => {
                    let n = match cell {
                        Cell::Number(n) => Some(n),
                        Cell::Missing(m) => Some(v.missing[usize::from(m)].code),
                        _ => None,
                    };
                    self.put_number(n)?;
                }
                VarKind::String { width } => {
                    let text = match cell {
                        Cell::Text => raw.unwrap_or_default().as_bytes(),
                        _ => b"",
                    };
                    for s in 0..usize::from(width).div_ceil(8) {
                        let mut chunk = [b' '; 8];
                        let from = (s * 8).min(text.len());
                        let to = (s * 8 + 8).min(text.len());
                        chunk[..to - from].copy_from_slice(&text[from..to]);
                        self.put_string_segment(chunk)?;
                    }
                }
            }
        }
        self.rows = row_no;
        Ok(())
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    fn put_number(&mut self, n: Option<f64>) -> std::io::Result<()> {
        if !self.compressed {
            return self.raw(&n.unwrap_or(SYSMIS).to_le_bytes());
        }
        match n {
            None => self.command(CODE_SYSMIS, None),
            // Small whole numbers (every rating) fit in the command byte.
            Some(n) if n.fract() == 0.0 && (1.0 - BIAS..=251.0 - BIAS).contains(&n) => {
                self.command((n + BIAS) as u8, None)
            }
            Some(n) => self.command(CODE_RAW, Some(n.to_le_bytes())),
        }
    }

    fn put_string_segment(&mut self, chunk: [u8; 8]) -> std::io::Result<()> {
        if !self.compressed {
            return self.raw(&chunk);
        }
        if chunk == [b' '; 8] {
            self.command(CODE_SPACES, None)
        } else {
            self.command(CODE_RAW, Some(chunk))
        }
    }

    fn raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn command(&mut self, code: u8, value: Option<[u8; 8]>) -> std::io::Result<()> {
        self.cmds[self.ncmds] = code;
        self.ncmds += 1;
        if let Some(v) = value {
            self.data.extend_from_slice(&v);
        }
        if self.ncmds == 8 {
            self.flush_block()?;
        }
        Ok(())
    }

    fn flush_block(&mut self) -> std::io::Result<()> {
        if self.ncmds == 0 {
            return Ok(());
        }
        // A short last block is padded with code 0, which readers skip.
        self.cmds[self.ncmds..].fill(CODE_PADDING);
        self.out.write_all(&self.cmds)?;
        self.out.write_all(&self.data)?;
        self.written += 8 + self.data.len() as u64;
        self.ncmds = 0;
        self.data.clear();
        Ok(())
    }

    fn end(&mut self) -> Result<(), ExportError> {
        self.flush_block()?;
        if let Some(expected) = self.expected
            && expected != self.rows
        {
            return Err(ExportError::CaseCount {
                expected,
                written: self.rows,
            });
        }
        Ok(())
    }

    /// Completes the file. With [`SavOptions::cases`] unset the header says
    /// "unknown number of cases", which SPSS and PSPP read.
    pub fn finish(mut self) -> Result<W, ExportError> {
        self.end()?;
        self.out
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))
    }
}

impl<W: Write + Seek> SavWriter<W> {
    /// Completes the file and writes the number of cases into the header.
    pub fn finish_seekable(mut self) -> Result<W, ExportError> {
        self.end()?;
        let written = self.written;
        let rows = self.rows;
        let mut w = self
            .out
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))?;
        // The header is where this writer started, which need not be the
        // start of the sink.
        let end = w.stream_position()?;
        if let (Some(start), Ok(n)) = (end.checked_sub(written), i32::try_from(rows)) {
            w.seek(SeekFrom::Start(start + NCASES_OFFSET))?;
            w.write_all(&n.to_le_bytes())?;
            w.seek(SeekFrom::Start(end))?;
        }
        w.flush()?;
        Ok(w)
    }
}

/// Little-endian record building.
struct Buf(Vec<u8>);

impl Buf {
    fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    /// `s` cut or space-padded to exactly `n` bytes.
    fn fixed(&mut self, s: &[u8], n: usize) {
        let take = s.len().min(n);
        self.0.extend_from_slice(&s[..take]);
        self.0.resize(self.0.len() + (n - take), b' ');
    }
    fn len_i32(&mut self, n: usize) -> Result<(), ExportError> {
        let n = i32::try_from(n)
            .map_err(|_| ExportError::Codebook("dictionary record too large".into()))?;
        self.i32(n);
        Ok(())
    }
}

/// Cuts `s` to at most `max` bytes without splitting a character.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Print/write format: type in the third byte, width, decimals.
fn format_code(kind: &VarKind) -> i32 {
    match kind {
        VarKind::Numeric { width, decimals } => {
            (5 << 16) | (i32::from(*width) << 8) | i32::from(*decimals)
        }
        VarKind::String { width } => (1 << 16) | (i32::from(*width) << 8),
    }
}

fn segments(kind: &VarKind) -> usize {
    match kind {
        VarKind::Numeric { .. } => 1,
        VarKind::String { width } => usize::from(*width).div_ceil(8),
    }
}

fn dictionary(codebook: &Codebook, options: &SavOptions) -> Result<Vec<u8>, ExportError> {
    let vars = &codebook.variables;
    let shorts = short_names(vars.iter().map(|v| v.spss_name.as_str()));
    let case_size: usize = vars.iter().map(|v| segments(&v.kind)).sum();
    let mut b = Buf(Vec::with_capacity(4096));

    // Record 1: file header.
    b.bytes(b"$FL2");
    let product = format!(
        "@(#) SPSS DATA FILE Trama {} (trama-export)",
        env!("CARGO_PKG_VERSION")
    );
    b.fixed(product.as_bytes(), 60);
    b.i32(2); // layout code
    b.len_i32(case_size)?;
    b.i32(i32::from(!options.uncompressed));
    b.i32(0); // no weight variable
    let ncases = options
        .cases
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(-1);
    b.i32(ncases);
    b.f64(BIAS);
    let (date, time) = date_time(options.created.unwrap_or_else(now));
    b.fixed(date.as_bytes(), 9);
    b.fixed(time.as_bytes(), 8);
    b.fixed(cut(&options.file_label, 64).as_bytes(), 64);
    b.fixed(&[], 3);

    // Records 2: one per variable, plus one per further 8 bytes of a string.
    let mut index = Vec::with_capacity(vars.len()); // 1-based dictionary index
    let mut next = 1i32;
    for (v, short) in vars.iter().zip(&shorts) {
        index.push(next);
        b.i32(2);
        b.i32(match v.kind {
            VarKind::Numeric { .. } => 0,
            VarKind::String { width } => i32::from(width),
        });
        let label = cut(&v.label, MAX_VAR_LABEL);
        b.i32(i32::from(!label.is_empty()));
        b.len_i32(v.missing.len())?;
        let fmt = format_code(&v.kind);
        b.i32(fmt);
        b.i32(fmt);
        b.fixed(short.as_bytes(), 8);
        if !label.is_empty() {
            b.len_i32(label.len())?;
            b.fixed(label.as_bytes(), label.len().div_ceil(4) * 4);
        }
        for m in &v.missing {
            b.f64(m.code);
        }
        let n = segments(&v.kind);
        for _ in 1..n {
            b.i32(2);
            b.i32(-1);
            b.i32(0);
            b.i32(0);
            b.i32(0);
            b.i32(0);
            b.fixed(b"", 8);
        }
        next += n as i32;
    }

    // Records 3 and 4: value labels of numeric and short string variables,
    // one pair per distinct label set, so fifty ratings share one.
    let mut groups: Vec<(usize, Vec<i32>)> = vec![];
    for (i, v) in vars.iter().enumerate() {
        if v.value_labels.is_empty() || v.multiple {
            continue;
        }
        if let VarKind::String { width } = v.kind
            && width > 8
        {
            continue;
        }
        match groups.iter_mut().find(|(first, _)| {
            let w = &vars[*first];
            w.kind == v.kind && w.value_labels == v.value_labels
        }) {
            Some((_, members)) => members.push(index[i]),
            None => groups.push((i, vec![index[i]])),
        }
    }
    for (first, members) in &groups {
        let v = &vars[*first];
        b.i32(3);
        b.len_i32(v.value_labels.len())?;
        for l in &v.value_labels {
            match &l.value {
                Value::Number(n) => b.f64(*n),
                Value::Text(s) => b.fixed(s.as_bytes(), 8),
            }
            let label = cut(&l.label, MAX_VALUE_LABEL);
            // One length byte then the label, padded so both fill a
            // multiple of 8 bytes.
            b.bytes(&[label.len() as u8]);
            b.fixed(label.as_bytes(), (label.len() + 1).div_ceil(8) * 8 - 1);
        }
        b.i32(4);
        b.len_i32(members.len())?;
        for m in members {
            b.i32(*m);
        }
    }

    // Record 6: documents, 80-byte lines.
    let lines: Vec<String> = codebook.notes.iter().flat_map(|n| wrap(n, 80)).collect();
    if !lines.is_empty() {
        b.i32(6);
        b.len_i32(lines.len())?;
        for l in &lines {
            b.fixed(l.as_bytes(), 80);
        }
    }

    // 7.3: machine integer info. Version 1.0.0 of this writer; machine
    // unknown (-1); IEEE 754 doubles; little-endian; code page 65001 (UTF-8).
    b.i32(7);
    b.i32(3);
    b.i32(4);
    b.i32(8);
    for v in [1, 0, 0, -1, 1, 1, 2, 65001] {
        b.i32(v);
    }

    // 7.4: machine float info: SYSMIS, HIGHEST, LOWEST.
    b.i32(7);
    b.i32(4);
    b.i32(8);
    b.i32(3);
    b.f64(SYSMIS);
    b.f64(f64::MAX);
    b.f64(f64::from_bits(LOWEST_BITS));

    // 7.11: display parameters, three per variable: measure, width, alignment.
    b.i32(7);
    b.i32(11);
    b.i32(4);
    b.len_i32(vars.len() * 3)?;
    for v in vars {
        b.i32(match v.measure {
            Measure::Nominal => 1,
            Measure::Ordinal => 2,
            Measure::Scale => 3,
        });
        let (width, align) = match v.kind {
            VarKind::Numeric { width, .. } => (i32::from(width).max(8), 1),
            VarKind::String { width } => (i32::from(width).clamp(8, 32), 0),
        };
        b.i32(width);
        b.i32(align);
    }

    // 7.13: long variable names, SHORT=long separated by tabs.
    let pairs: Vec<String> = shorts
        .iter()
        .zip(vars)
        .map(|(s, v)| format!("{s}={}", v.spss_name))
        .collect();
    let pairs = pairs.join("\t");
    b.i32(7);
    b.i32(13);
    b.i32(1);
    b.len_i32(pairs.len())?;
    b.bytes(pairs.as_bytes());

    // 7.20: character encoding of every string in the file.
    b.i32(7);
    b.i32(20);
    b.i32(1);
    b.i32(5);
    b.bytes(b"UTF-8");

    // 7.21: value labels of strings wider than 8 bytes.
    let long: Vec<&Variable> = vars
        .iter()
        .filter(|v| !v.value_labels.is_empty() && !v.multiple)
        .filter(|v| matches!(v.kind, VarKind::String { width } if width > 8))
        .collect();
    if !long.is_empty() {
        let mut r = Buf(vec![]);
        for v in long {
            let VarKind::String { width } = v.kind else {
                continue;
            };
            let width = usize::from(width);
            r.len_i32(v.spss_name.len())?;
            r.bytes(v.spss_name.as_bytes());
            r.len_i32(width)?;
            r.len_i32(v.value_labels.len())?;
            for l in &v.value_labels {
                let text = l.value.to_string();
                r.len_i32(width)?;
                r.fixed(text.as_bytes(), width);
                let label = cut(&l.label, MAX_VALUE_LABEL);
                r.len_i32(label.len())?;
                r.bytes(label.as_bytes());
            }
        }
        b.i32(7);
        b.i32(21);
        b.i32(1);
        b.len_i32(r.0.len())?;
        b.bytes(&r.0);
    }

    // 999: end of the dictionary.
    b.i32(999);
    b.i32(0);
    Ok(b.0)
}

/// Words that cannot be variable names in SPSS syntax.
const RESERVED: [&str; 13] = [
    "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
];

/// Valid, unique (ignoring case) SPSS variable names, at most 64 bytes.
pub(crate) fn spss_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for name in names {
        let mut s: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '@' | '#' | '$') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
            s.insert(0, 'v');
        }
        // A name ending in a period reads as the end of a command.
        if s.ends_with('.') {
            s.pop();
            s.push('_');
        }
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&s)) {
            s.push('_');
        }
        s.truncate(64);
        let taken = |s: &str, out: &[String]| out.iter().any(|o| o.eq_ignore_ascii_case(s));
        if taken(&s, &out) {
            let base = s.clone();
            for n in 2.. {
                let suffix = format!("_{n}");
                let candidate = format!("{}{suffix}", &base[..base.len().min(64 - suffix.len())]);
                if !taken(&candidate, &out) {
                    s = candidate;
                    break;
                }
            }
        }
        out.push(s);
    }
    out
}

/// The 8-byte names of the variable records: the long name's beginning in
/// capitals, numbered when two would clash. Readers show the long names.
fn short_names<'a>(long: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for name in long {
        let base: String = name
            .chars()
            .take(8)
            .map(|c| {
                if c == '.' {
                    '_'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        let mut s = base.clone();
        let mut n = 1u32;
        while out.contains(&s) || RESERVED.contains(&s.as_str()) {
            let suffix = n.to_string();
            s = format!("{}{suffix}", &base[..base.len().min(8 - suffix.len())]);
            n += 1;
        }
        out.push(s);
    }
    out
}

/// Greedy word wrap into lines of at most `width` bytes.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![];
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let mut word = word;
            // A word longer than a line is split where a character ends.
            while word.len() > width {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let head = cut(word, width);
                lines.push(head.to_owned());
                word = &word[head.len()..];
            }
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `("29 Nov 26", "18:22:47")` in UTC, as the header spells them.
fn date_time(unix: i64) -> (String, String) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_name = MONTHS[(month - 1).clamp(0, 11) as usize];
    (
        format!("{day:02} {month_name} {:02}", year.rem_euclid(100)),
        format!(
            "{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_valid_and_unique() {
        let names = spss_names(
            ["conf_1", "_x", "a-b", "by", "Conf_1", "fin.", "ítem"]
                .iter()
                .copied(),
        );
        assert_eq!(
            names,
            ["conf_1", "v_x", "a_b", "by_", "Conf_1_2", "fin_", "v_tem"]
        );
        let shorts = short_names(
            ["capital_social_1", "capital_social_2", "q", "by_"]
                .iter()
                .copied(),
        );
        assert_eq!(shorts, ["CAPITAL_", "CAPITAL1", "Q", "BY_"]);
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(date_time(0), ("01 Jan 70".into(), "00:00:00".into()));
        assert_eq!(
            date_time(1_795_977_767),
            ("29 Nov 26".into(), "18:42:47".into())
        );
        assert_eq!(
            date_time(951_782_400),
            ("29 Feb 00".into(), "00:00:00".into())
        );
    }

    #[test]
    fn long_words_wrap_at_character_boundaries() {
        let lines = wrap(&"ñ".repeat(50), 80);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.len() <= 80));
        assert_eq!(wrap("a b\nc", 80), ["a b", "c"]);
    }
}
