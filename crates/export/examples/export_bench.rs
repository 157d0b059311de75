//! Export speed and peak memory: N responses × K rating items streamed to a
//! sink that counts bytes and keeps none, one process per format so each
//! peak resident size is its own.
//!
//! ```text
//! cargo run --release -p trama-export --example export_bench -- [ROWS] [ITEMS] [csv|xlsx|sav|all]
//! ```
//!
//! Defaults: 1,000,000 × 50, all formats. Peak RSS is Linux's VmHWM. With
//! `EXPORT_BENCH_DIR` set, files are written there instead of forgotten
//! (to open them, or to see a real disk's effect). With `EXPORT_BENCH_FROM`
//! naming a responses CSV (e.g. the `bench.csv` written before), rows are
//! read from it, as `trama` would, instead of generated.

use std::io::{Seek, SeekFrom, Write};
use std::process::Command;
use std::time::Instant;

use trama_export::{Codebook, Exporter, Format, SavOptions};
use trama_i18n::Lang;
use trama_instrument::{Instrument, Item, ItemKind, acuerdo5};

/// Counts what is written and forgets it; seekable, because XLSX (a zip)
/// and `.sav` (the case count) go back to earlier bytes.
#[derive(Default)]
struct Null {
    pos: u64,
    len: u64,
}

impl Write for Null {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pos += buf.len() as u64;
        self.len = self.len.max(self.pos);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Seek for Null {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => self.len.saturating_add_signed(d),
            SeekFrom::Current(d) => self.pos.saturating_add_signed(d),
        };
        Ok(self.pos)
    }
}

/// Where the export goes: nowhere, or a file.
enum Sink {
    Null(Null),
    File(std::fs::File),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Null(n) => n.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Null(n) => n.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

impl Seek for Sink {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        match self {
            Sink::Null(n) => n.seek(to),
            Sink::File(f) => f.seek(to),
        }
    }
}

fn instrument(items: usize) -> Instrument {
    let rating = |k: usize| Item {
        name: format!("item_{k:02}"),
        kind: ItemKind::Rating,
        label_es: format!("Afirmación número {k} sobre el trabajo en red"),
        label_en: format!("Statement {k} about network work"),
        hint_es: None,
        hint_en: None,
        required: false,
        relevant: None,
        constraint: None,
        dimension: Some("capital_social".into()),
        subdimension: Some("confianza".into()),
        reverse: false,
        identifying: false,
        finding_es: None,
        finding_en: None,
    };
    Instrument {
        form_id: "bench".into(),
        version: String::new(),
        default_language: "es".into(),
        title_es: "Bench".into(),
        title_en: "Bench".into(),
        items: (1..=items).map(rating).collect(),
        choice_lists: vec![acuerdo5()],
    }
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn run(format: Format, rows: u64, items: usize) -> Result<(), Box<dyn std::error::Error>> {
    let cb = Codebook::from_instrument(&instrument(items), Lang::Es)?;
    const VALUES: [Option<&str>; 8] = [
        Some("1"),
        Some("2"),
        Some("3"),
        Some("4"),
        Some("5"),
        Some("4"),
        Some("NA"),
        None,
    ];
    let regions = ["5", "13", "8", "10"];
    let networks = ["RME-V-01", "RME-RM-07", "RME-VIII-12"];
    let mut state = 12_345u64;
    let mut id = String::new();
    let start = Instant::now();
    let sink = match std::env::var_os("EXPORT_BENCH_DIR") {
        Some(dir) => Sink::File(std::fs::File::create(
            std::path::Path::new(&dir).join(format!("bench.{}", format.extension())),
        )?),
        None => Sink::Null(Null::default()),
    };
    let mut w = Exporter::new(format, sink, &cb, &SavOptions::default())?;
    if let Some(from) = std::env::var_os("EXPORT_BENCH_FROM") {
        let mut rdr = csv::Reader::from_path(from)?;
        let positions = cb.positions_in(&rdr.headers()?.iter().collect::<Vec<_>>())?;
        let mut record = csv::StringRecord::new();
        let mut n = 0u64;
        while n < rows && rdr.read_record(&mut record)? {
            let row: Vec<Option<&str>> = positions.iter().map(|&p| record.get(p)).collect();
            w.write_row(&row)?;
            n += 1;
        }
        return report(format, n, items, start, w.finish()?);
    }
    for n in 0..rows {
        id.clear();
        use std::fmt::Write as _;
        write!(id, "r{n:08}")?;
        let mut row: Vec<Option<&str>> = Vec::with_capacity(cb.len());
        row.push(Some(&id));
        row.push(Some(regions[(n % 4) as usize]));
        row.push(Some("51"));
        row.push(Some(networks[(n % 3) as usize]));
        row.push(Some("director"));
        for _ in 0..items {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            row.push(VALUES[(state >> 61) as usize]);
        }
        w.write_row(&row)?;
    }
    report(format, rows, items, start, w.finish()?)
}

fn report(
    format: Format,
    rows: u64,
    items: usize,
    start: Instant,
    mut sink: Sink,
) -> Result<(), Box<dyn std::error::Error>> {
    let written = sink.seek(SeekFrom::End(0))?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:>4}: {rows} rows × {items} items in {secs:.1} s ({:.0} rows/s), {:.1} MB written, peak RSS {}",
        format.extension(),
        rows as f64 / secs,
        written as f64 / 1e6,
        peak_rss_mb().map_or("n/a".into(), |m| format!("{m:.1} MB")),
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rows: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let items: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    match args.get(2).map(String::as_str).and_then(Format::parse) {
        Some(format) => run(format, rows, items),
        None => {
            // One child per format, so that each peak RSS is its own.
            let exe = std::env::current_exe()?;
            for format in Format::ALL {
                let status = Command::new(&exe)
                    .args([rows.to_string(), items.to_string()])
                    .arg(format.extension())
                    .status()?;
                if !status.success() {
                    return Err(format!("{} failed", format.extension()).into());
                }
            }
            Ok(())
        }
    }
}
