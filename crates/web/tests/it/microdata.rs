//! The researchers' files are k-anonymous in every format: read back as a
//! researcher gets them (CSV as text, XLSX with calamine, SAV with PSPP),
//! every combination of the quasi-identifiers holds K people or more, no
//! stored response id rides along, and free text stays only beside a
//! network the file keeps.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Reader, Xlsx};

use crate::common::{RESEARCHER, pspp_found, seeded};

const QUASI: [&str; 7] = [
    "region",
    "deprov",
    "network",
    "role",
    "submitted_at",
    "rol",
    "anos_red",
];

/// Rows as column → value, for the columns of `QUASI` the file has and
/// the free text `facilita`.
type Rows = Vec<BTreeMap<String, String>>;

fn classes(rows: &Rows) -> BTreeMap<Vec<String>, usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        let key: Vec<String> = QUASI
            .iter()
            .map(|q| r.get(*q).cloned().unwrap_or_default())
            .collect();
        *out.entry(key).or_default() += 1;
    }
    out
}

fn table(header: Vec<String>, body: Vec<Vec<String>>) -> Rows {
    body.into_iter()
        .map(|cells| header.iter().cloned().zip(cells).collect())
        .collect()
}

fn from_csv(bytes: &[u8]) -> Rows {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(str::to_owned)
        .collect();
    let body = reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    table(header, body)
}

fn from_xlsx(bytes: &[u8]) -> (Rows, String) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    let names = book.sheet_names();
    let data = book
        .worksheet_range(&names[0])
        .unwrap_or_else(|e| panic!("{e}"));
    let mut lines = data
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<String>>());
    let header = lines.next().unwrap_or_default();
    let rows = table(header, lines.collect());
    let codebook = names
        .get(1)
        .and_then(|n| book.worksheet_range(n).ok())
        .map(|r| {
            r.rows()
                .flat_map(|row| row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    (rows, codebook)
}

/// The SAV file's cases as PSPP lists them (`None` without PSPP outside CI).
fn from_sav(bytes: &[u8]) -> Option<Rows> {
    if !pspp_found() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("r.sav");
    let out = dir.path().join("r.csv");
    std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
    let syntax = dir.path().join("c.sps");
    std::fs::write(
        &syntax,
        format!(
            "GET FILE='{}'.\nSAVE TRANSLATE /OUTFILE='{}' /TYPE=CSV /FIELDNAMES /REPLACE.\n",
            file.display(),
            out.display()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = std::process::Command::new("pspp")
        .arg(&syntax)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    let text = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let mut rows = from_csv(&text);
    // PSPP pads strings with spaces.
    for r in &mut rows {
        for v in r.values_mut() {
            *v = v.trim().to_owned();
        }
    }
    Some(rows)
}

#[tokio::test]
async fn every_researchers_file_is_k_anonymous_and_unlinkable() {
    let app = seeded().await;
    let researcher = app.client(Some(RESEARCHER)).await;
    let c = app
        .store
        .campaign("RME-2026")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("demo round"));
    let stored = app
        .store
        .response_records(c.id, false)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let get = |ext: &'static str| {
        let researcher = &researcher;
        let app = &app;
        async move {
            let r = app
                .get(researcher, &format!("/campaigns/RME-2026/responses.{ext}"))
                .await;
            assert_eq!(r.status, 200, "{ext}");
            r.raw
        }
    };
    let csv = from_csv(&get("csv").await);
    let (xlsx, codebook) = from_xlsx(&get("xlsx").await);
    let sav = from_sav(&get("sav").await);
    assert!(!csv.is_empty(), "the demo round releases rows");
    assert!(csv.len() <= stored.len());
    for (name, rows) in [
        ("csv", Some(&csv)),
        ("xlsx", Some(&xlsx)),
        ("sav", sav.as_ref()),
    ] {
        let Some(rows) = rows else { continue };
        assert_eq!(rows.len(), csv.len(), "{name}: as many rows as the CSV");
        let small: Vec<_> = classes(rows).into_iter().filter(|(_, n)| *n < 5).collect();
        assert!(small.is_empty(), "{name}: classes below 5: {small:?}");
        for r in rows {
            let id = r.get("response_id").cloned().unwrap_or_default();
            assert!(
                !stored.iter().any(|s| s.response_id == id),
                "{name}: a stored response id {id} in the file"
            );
            let text = r.get("facilita").cloned().unwrap_or_default();
            let network = r.get("network").cloned().unwrap_or_default();
            assert!(
                text.is_empty() || !network.is_empty(),
                "{name}: free text without its network kept: {r:?}"
            );
        }
    }
    // Fresh numbers, not the stored ids, and the codebook says what was done.
    let ids: Vec<String> = csv
        .iter()
        .filter_map(|r| r.get("response_id").cloned())
        .collect();
    let expect: Vec<String> = (1..=csv.len()).map(|i| i.to_string()).collect();
    assert_eq!(ids, expect);
    assert!(codebook.contains("Archivo anonimizado"), "{codebook}");
    let note = app
        .get(&researcher, "/campaigns/RME-2026/responses-note.txt")
        .await;
    assert_eq!(note.status, 200);
    assert!(
        note.body.contains("Archivo anonimizado (k = 5)"),
        "{}",
        note.body
    );
    assert!(
        note.body
            .contains(&format!("({} filas; 0 retenidas)", csv.len())),
        "{}",
        note.body
    );
}
