//! Hostile workbooks are refused with a message before calamine parses them:
//! zip bombs (declared or real) and sheets whose used range would make
//! calamine allocate gigabytes. Each file is built here, in memory; each is
//! refused by the guard's size checks, so none is ever expanded.

use std::io::{Cursor, Read, Write};

use trama_i18n::Lang;
use trama_instrument::{FormError, FormIssue, default_rme, read_xlsx, write_xlsx};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// A real questionnaire workbook (the RME form), as Trama writes it.
fn legit() -> Vec<u8> {
    let mut out = vec![];
    write_xlsx(&default_rme(), &mut out).unwrap_or_else(|e| panic!("{e}"));
    out
}

/// `book` with each entry passed through `change` (`None` drops it) and
/// `extra` entries added: (name, bytes, compression).
fn rezip(
    book: &[u8],
    change: impl Fn(&str, Vec<u8>) -> Vec<u8>,
    extra: &[(&str, &[u8], CompressionMethod)],
) -> Vec<u8> {
    let mut zip = ZipArchive::new(Cursor::new(book)).unwrap_or_else(|e| panic!("{e}"));
    let mut out = ZipWriter::new(Cursor::new(vec![]));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap_or_else(|e| panic!("{e}"));
        let name = entry.name().unwrap_or_else(|e| panic!("{e}")).into_owned();
        let mut bytes = vec![];
        entry
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("{e}"));
        out.start_file(&name, SimpleFileOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        out.write_all(&change(&name, bytes))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for (name, bytes, method) in extra {
        let options = SimpleFileOptions::default().compression_method(*method);
        out.start_file(*name, options)
            .unwrap_or_else(|e| panic!("{e}"));
        out.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    out.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

fn refused(bytes: &[u8]) -> FormError {
    match read_xlsx("hostil.xlsx", bytes) {
        Ok(_) => panic!("a hostile workbook was read"),
        Err(mut errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            errors.remove(0)
        }
    }
}

/// Sets the uncompressed size the zip declares for `name` (in the local
/// header and the central directory), leaving the data as it is.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46 + name.len()) {
        let (offset, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (22, 30),
            b"PK\x01\x02" => (24, 46),
            _ => continue,
        };
        if &zip[at + name_at..at + name_at + name.len()] == name {
            zip[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "local header and central directory");
}

#[test]
fn a_real_questionnaire_workbook_still_reads() {
    let back = read_xlsx("rme.xlsx", &legit()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(back.items.len(), default_rme().items.len());
}

#[test]
fn a_huge_declared_entry_is_refused_before_anything_expands() {
    let mut book = rezip(
        &legit(),
        |_, b| b,
        &[(
            "xl/media/grande.bin",
            b"0123456789",
            CompressionMethod::Stored,
        )],
    );
    declare_size(&mut book, "xl/media/grande.bin", 2_000_000_000);
    let e = refused(&book);
    assert!(
        matches!(e.issue, FormIssue::WorkbookTooLarge { limit_mib: 64 }),
        "{e:?}"
    );
    assert_eq!(e.sheet, None);
    let es = e.render(Lang::Es);
    assert!(
        es.starts_with("hostil.xlsx: el libro se descomprime en más de 64 MiB"),
        "{es}"
    );
    let en = e.render(Lang::En);
    assert!(en.contains("expands to more than 64 MiB"), "{en}");
}

#[test]
fn a_deflated_run_of_zeros_is_refused_by_its_ratio() {
    // 8 MiB of zeros deflate to a few KiB: over a thousand to one.
    let zeros = vec![0u8; 8 << 20];
    let book = rezip(
        &legit(),
        |_, b| b,
        &[("xl/media/ceros.bin", &zeros, CompressionMethod::Deflated)],
    );
    assert!(book.len() < 1 << 20, "the bomb is small: {}", book.len());
    let e = refused(&book);
    assert_eq!(e.issue, FormIssue::WorkbookCompression, "{e:?}");
    assert!(e.render(Lang::Es).contains("bomba zip"));
}

#[test]
fn a_size_the_directory_lies_about_does_not_smuggle_bytes_in() {
    // 2 MiB of text declared as 10 bytes: the zip reader stops at the
    // declared size (and the guard would count past it), so the lie makes
    // the workbook unreadable rather than larger than its directory says.
    let mut text = Vec::with_capacity(2 << 20);
    let mut x = 1u32;
    while text.len() < 2 << 20 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        text.push(b'a' + (x >> 16) as u8 % 16);
    }
    let mut book = rezip(
        &legit(),
        |_, b| b,
        &[("xl/media/texto.bin", &text, CompressionMethod::Deflated)],
    );
    declare_size(&mut book, "xl/media/texto.bin", 10);
    let e = refused(&book);
    assert!(
        matches!(
            e.issue,
            FormIssue::Unreadable | FormIssue::WorkbookTooLarge { .. }
        ),
        "{e:?}"
    );
}

#[test]
fn too_many_parts_are_refused() {
    let names: Vec<String> = (0..1_001).map(|i| format!("xl/media/p{i}.bin")).collect();
    let extra: Vec<(&str, &[u8], CompressionMethod)> = names
        .iter()
        .map(|n| (n.as_str(), &b"x"[..], CompressionMethod::Stored))
        .collect();
    let e = refused(&rezip(&legit(), |_, b| b, &extra));
    assert!(
        matches!(e.issue, FormIssue::WorkbookTooManyParts { limit: 1_000 }),
        "{e:?}"
    );
}

/// The survey sheet with one more cell at `(row, col)`, 0-based.
fn survey_with_far_cell(row: u32, col: u16) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("survey").unwrap_or_else(|e| panic!("{e}"));
    for (c, v) in ["type", "name", "label"].iter().enumerate() {
        sheet
            .write_string(0, c as u16, *v)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for (c, v) in ["integer", "edad", "Edad"].iter().enumerate() {
        sheet
            .write_string(1, c as u16, *v)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    sheet
        .write_string(row, col, "x")
        .unwrap_or_else(|e| panic!("{e}"));
    book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_cell_at_xfd1048576_is_refused_naming_the_sheet() {
    let e = refused(&survey_with_far_cell(1_048_575, 16_383));
    assert_eq!(e.sheet.as_deref(), Some("survey"));
    assert!(
        matches!(
            e.issue,
            FormIssue::SheetTooLarge {
                rows: 1_048_576,
                columns: 16_384,
                ..
            }
        ),
        "{e:?}"
    );
    let es = e.render(Lang::Es);
    assert!(
        es.starts_with("hostil.xlsx: survey: la hoja ocupa 1048576 filas × 16384 columnas"),
        "{es}"
    );
    let en = e.render(Lang::En);
    assert!(
        en.contains("a questionnaire fits in 100000 rows × 200 columns"),
        "{en}"
    );
}

#[test]
fn a_cell_at_zz50000_is_refused_too() {
    let e = refused(&survey_with_far_cell(49_999, 701));
    assert!(
        matches!(
            e.issue,
            FormIssue::SheetTooLarge {
                rows: 50_000,
                columns: 702,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_declared_dimension_alone_is_enough_to_refuse() {
    let book = rezip(
        &legit(),
        |name, bytes| {
            if name != "xl/worksheets/sheet1.xml" {
                return bytes;
            }
            let xml = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{e}"));
            let start = xml
                .find("<dimension ref=\"")
                .unwrap_or_else(|| panic!("{xml}"));
            let end = start + xml[start..].find("/>").unwrap_or_else(|| panic!("{xml}"));
            format!(
                "{}<dimension ref=\"A1:XFD1048576\"{}",
                &xml[..start],
                &xml[end..]
            )
            .into_bytes()
        },
        &[],
    );
    let e = refused(&book);
    assert_eq!(e.sheet.as_deref(), Some("survey"));
    assert!(matches!(e.issue, FormIssue::SheetTooLarge { .. }), "{e:?}");
}
