//! From sheets of text to a checked [`Instrument`], collecting every problem.

use std::collections::HashMap;

use crate::kinds::{ACUERDO5, ACUERDO5_VALUES, ItemKind, TypeCell, acuerdo5};
use crate::model::{Choice, ChoiceList, DIMENSION_LIST, Instrument, Item, SUBDIMENSION_LIST};
use crate::relevant::{Expr, is_valid_name};

use super::errors::{FormError, FormIssue};
use super::{Sheet, SheetRow};

pub(crate) struct Sheets {
    pub file: String,
    /// False for a CSV holding the survey sheet alone: errors then name
    /// the file and line, as for any other CSV.
    pub workbook: bool,
    pub survey: Option<Sheet>,
    pub choices: Option<Sheet>,
    pub settings: Option<Sheet>,
}

struct Errors<'a> {
    file: &'a str,
    workbook: bool,
    list: Vec<FormError>,
}

impl Errors<'_> {
    fn push(
        &mut self,
        sheet: &Sheet,
        row: Option<u64>,
        column: Option<&str>,
        value: &str,
        issue: FormIssue,
    ) {
        self.list.push(FormError {
            file: self.file.to_owned(),
            sheet: self.workbook.then(|| sheet.name.to_owned()),
            row,
            column: column.map(str::to_owned),
            position: None,
            value: (!value.is_empty()).then(|| value.to_owned()),
            issue,
        });
    }

    /// A problem with one cell; the column is named as the form's header wrote it.
    fn cell(
        &mut self,
        sheet: &Sheet,
        row: &SheetRow,
        col: Option<usize>,
        fallback: &str,
        issue: FormIssue,
    ) {
        let name = col
            .and_then(|c| sheet.headers.get(c))
            .map(String::as_str)
            .unwrap_or(fallback);
        let value = row.get(col).to_owned();
        self.push(sheet, Some(row.row), Some(name), &value, issue);
    }
}

/// Columns of a sheet found by name; a language pair takes `label` as Spanish.
struct Cols {
    by_name: HashMap<&'static str, Option<usize>>,
}

impl Cols {
    fn find(sheet: &Sheet, names: &[&'static str]) -> Cols {
        let mut by_name = HashMap::new();
        for n in names {
            let mut c = sheet.column(n);
            if c.is_none()
                && let Some(base) = n.strip_suffix("::es")
            {
                c = sheet.column(base);
            }
            by_name.insert(*n, c);
        }
        Cols { by_name }
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied().flatten()
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// XLSForm's spellings of yes and no.
fn yes_no(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "false()" | "0" => Some(false),
        "yes" | "true" | "true()" | "1" | "sí" | "si" => Some(true),
        _ => None,
    }
}

/// Prose columns may span lines (Alt+Enter in a cell); every other column
/// holds a name, a type, a code or an expression kept on one line.
const MULTI_LINE_COLUMNS: [&str; 9] = [
    "label",
    "hint",
    "guidance_hint",
    "finding",
    "constraint_message",
    "required_message",
    "relevant",
    "constraint",
    "calculation",
];

/// Every cell of `sheet` with a control character it may not hold.
fn refuse_control_characters(sheet: &Sheet, errs: &mut Errors<'_>) {
    let multi_line: Vec<bool> = sheet
        .headers
        .iter()
        .map(|h| {
            let h = super::normalize_header(h);
            let base = h.split("::").next().unwrap_or_default();
            MULTI_LINE_COLUMNS.contains(&base)
        })
        .collect();
    for row in &sheet.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let check = if multi_line.get(c).copied().unwrap_or(false) {
                trama_domain::text::multiline
            } else {
                trama_domain::text::line
            };
            if let Err(trama_domain::Problem::ControlCharacter { found }) = check(cell.trim()) {
                errs.cell(
                    sheet,
                    row,
                    Some(c),
                    "",
                    FormIssue::ControlCharacter { found },
                );
            }
        }
    }
}

pub(crate) fn build(sheets: Sheets) -> Result<Instrument, Vec<FormError>> {
    let mut errs = Errors {
        file: &sheets.file,
        workbook: sheets.workbook,
        list: vec![],
    };
    for sheet in [&sheets.survey, &sheets.choices, &sheets.settings]
        .into_iter()
        .flatten()
    {
        refuse_control_characters(sheet, &mut errs);
    }
    let lists = sheets
        .choices
        .as_ref()
        .map(|s| read_choices(s, &mut errs))
        .unwrap_or_default();
    let settings = read_settings(&sheets.file, sheets.settings.as_ref(), &mut errs);
    let items = match &sheets.survey {
        Some(s) => read_survey(s, &lists, &mut errs),
        None => {
            let missing = Sheet {
                name: "survey",
                ..Sheet::default()
            };
            errs.push(
                &missing,
                None,
                None,
                "",
                FormIssue::MissingSheet {
                    sheet: "survey".into(),
                },
            );
            vec![]
        }
    };
    if !errs.list.is_empty() {
        let rank = |e: &FormError| match e.sheet.as_deref() {
            Some("choices") => 1,
            Some("settings") => 2,
            _ => 0,
        };
        let mut list = errs.list;
        list.sort_by_key(|e| (rank(e), e.row.unwrap_or(0)));
        return Err(list);
    }
    let mut choice_lists: Vec<ChoiceList> = lists.into_iter().map(|(l, _)| l).collect();
    if items.iter().any(Item::is_rating) && !choice_lists.iter().any(|l| l.name == ACUERDO5) {
        choice_lists.push(acuerdo5());
    }
    Ok(Instrument {
        form_id: settings.form_id,
        version: settings.version,
        default_language: settings.default_language,
        title_es: settings.title_es,
        title_en: settings.title_en,
        items,
        choice_lists,
    })
}

struct Settings {
    form_id: String,
    version: String,
    default_language: String,
    title_es: String,
    title_en: String,
}

/// A form id from a file name: `Encuesta Redes 2024.xlsx` → `encuesta_redes_2024`.
fn id_from_file(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = base.split('.').next().unwrap_or(base);
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if is_valid_name(&id) {
        id
    } else {
        format!("form_{id}")
    }
}

fn read_settings(file: &str, sheet: Option<&Sheet>, errs: &mut Errors<'_>) -> Settings {
    let mut s = Settings {
        form_id: id_from_file(file),
        version: String::new(),
        default_language: "es".into(),
        title_es: String::new(),
        title_en: String::new(),
    };
    if let Some(sheet) = sheet
        && let Some(row) = sheet.rows.first()
    {
        let cols = Cols::find(
            sheet,
            &[
                "form_id",
                "version",
                "default_language",
                "form_title::es",
                "form_title::en",
            ],
        );
        let form_id = row.get(cols.get("form_id"));
        if !form_id.is_empty() {
            if is_valid_name(form_id) {
                s.form_id = form_id.to_owned();
            } else {
                errs.cell(
                    sheet,
                    row,
                    cols.get("form_id"),
                    "form_id",
                    FormIssue::InvalidName,
                );
            }
        }
        s.version = row.get(cols.get("version")).to_owned();
        let lang = row.get(cols.get("default_language"));
        if !lang.is_empty() {
            let code = super::normalize_header(&format!("x::{lang}"));
            match code.strip_prefix("x::") {
                Some(c @ ("es" | "en")) => s.default_language = c.to_owned(),
                _ => errs.cell(
                    sheet,
                    row,
                    cols.get("default_language"),
                    "default_language",
                    FormIssue::UnknownLanguage,
                ),
            }
        }
        s.title_es = row.get(cols.get("form_title::es")).to_owned();
        s.title_en = row.get(cols.get("form_title::en")).to_owned();
    }
    if s.title_es.is_empty() {
        s.title_es = if s.title_en.is_empty() {
            s.form_id.clone()
        } else {
            s.title_en.clone()
        };
    }
    s
}

/// Lists in order of first appearance, each with its first row (for messages).
fn read_choices(sheet: &Sheet, errs: &mut Errors<'_>) -> Vec<(ChoiceList, u64)> {
    let cols = Cols::find(sheet, &["list_name", "name", "label::es", "label::en"]);
    for (col, name) in [
        (cols.get("list_name"), "list_name"),
        (cols.get("name"), "name"),
    ] {
        if col.is_none() {
            errs.push(
                sheet,
                Some(sheet.header_row.max(1)),
                Some(name),
                "",
                FormIssue::MissingColumn,
            );
        }
    }
    if cols.get("list_name").is_none() || cols.get("name").is_none() {
        return vec![];
    }
    let mut lists: Vec<(ChoiceList, u64)> = vec![];
    let mut list_index: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for row in &sheet.rows {
        let list = row.get(cols.get("list_name"));
        let name = row.get(cols.get("name"));
        let label_es = row.get(cols.get("label::es"));
        if list.is_empty() {
            errs.cell(
                sheet,
                row,
                cols.get("list_name"),
                "list_name",
                FormIssue::Required,
            );
        } else if !is_valid_name(list) {
            errs.cell(
                sheet,
                row,
                cols.get("list_name"),
                "list_name",
                FormIssue::InvalidName,
            );
        }
        if name.is_empty() {
            errs.cell(sheet, row, cols.get("name"), "name", FormIssue::Required);
        } else if name.contains(char::is_whitespace) {
            // Multiple-choice answers are the values separated by spaces.
            errs.cell(
                sheet,
                row,
                cols.get("name"),
                "name",
                FormIssue::ChoiceNameWithSpaces,
            );
        } else if let Some(first) = seen.get(&(list.to_owned(), name.to_owned())) {
            errs.cell(
                sheet,
                row,
                cols.get("name"),
                "name",
                FormIssue::DuplicateChoice {
                    list: list.to_owned(),
                    first_row: *first,
                },
            );
        } else {
            seen.insert((list.to_owned(), name.to_owned()), row.row);
        }
        if label_es.is_empty() {
            errs.cell(
                sheet,
                row,
                cols.get("label::es"),
                "label::es",
                FormIssue::MissingLabel,
            );
        }
        if list.is_empty() || name.is_empty() {
            continue;
        }
        let choice = Choice {
            name: name.to_owned(),
            label_es: label_es.to_owned(),
            label_en: row.get(cols.get("label::en")).to_owned(),
        };
        // By hash: a sheet of 100,000 rows may name as many lists.
        match list_index.get(list) {
            Some(&i) => lists[i].0.choices.push(choice),
            None => {
                list_index.insert(list.to_owned(), lists.len());
                lists.push((
                    ChoiceList {
                        name: list.to_owned(),
                        choices: vec![choice],
                    },
                    row.row,
                ));
            }
        }
    }
    if let Some((l, first_row)) = lists.iter().find(|(l, _)| l.name == ACUERDO5) {
        let names: Vec<&str> = l.choices.iter().map(|c| c.name.as_str()).collect();
        if names != ACUERDO5_VALUES {
            errs.push(
                sheet,
                Some(*first_row),
                Some(
                    cols.get("list_name")
                        .and_then(|c| sheet.headers.get(c))
                        .map(String::as_str)
                        .unwrap_or("list_name"),
                ),
                ACUERDO5,
                FormIssue::Acuerdo5Mismatch,
            );
        }
    }
    lists
}

const SURVEY_COLUMNS: &[&str] = &[
    "type",
    "name",
    "label::es",
    "label::en",
    "hint::es",
    "hint::en",
    "required",
    "relevant",
    "constraint",
    "dimension",
    "subdimension",
    "reverse",
    "finding::es",
    "finding::en",
    "identifying",
];

fn read_survey(sheet: &Sheet, lists: &[(ChoiceList, u64)], errs: &mut Errors<'_>) -> Vec<Item> {
    let cols = Cols::find(sheet, SURVEY_COLUMNS);
    let mut missing = false;
    for name in ["type", "name", "label::es"] {
        if cols.get(name).is_none() {
            errs.push(
                sheet,
                Some(sheet.header_row.max(1)),
                Some(name),
                "",
                FormIssue::MissingColumn,
            );
            missing = true;
        }
    }
    if missing {
        return vec![];
    }
    let list_codes = |list: &str| -> Option<Vec<&str>> {
        lists
            .iter()
            .find(|(l, _)| l.name == list)
            .map(|(l, _)| l.choices.iter().map(|c| c.name.as_str()).collect())
    };
    let dimension_codes = list_codes(DIMENSION_LIST);
    let subdimension_codes = list_codes(SUBDIMENSION_LIST);
    let list_names: std::collections::HashSet<&str> =
        lists.iter().map(|(l, _)| l.name.as_str()).collect();

    let mut items: Vec<Item> = vec![];
    // Rows of each item, for references checked once all names are known.
    let mut rows: Vec<&SheetRow> = vec![];
    let mut names: HashMap<String, (u64, bool)> = HashMap::new();
    let mut groups: Vec<(String, &SheetRow)> = vec![];
    let mut sub_dims: HashMap<String, (String, u64)> = HashMap::new();

    for row in &sheet.rows {
        let type_cell = row.get(cols.get("type"));
        let kind = match ItemKind::parse(type_cell) {
            TypeCell::Kind(k) => k,
            TypeCell::Metadata => continue,
            TypeCell::Unknown => {
                let issue = if type_cell.is_empty() {
                    FormIssue::Required
                } else {
                    FormIssue::UnknownType
                };
                errs.cell(sheet, row, cols.get("type"), "type", issue);
                continue;
            }
        };
        if let ItemKind::SelectOne { list } | ItemKind::SelectMultiple { list } = &kind
            && !list_names.contains(list.as_str())
        {
            errs.cell(
                sheet,
                row,
                cols.get("type"),
                "type",
                FormIssue::UnknownChoiceList { list: list.clone() },
            );
        }
        match kind {
            ItemKind::BeginGroup => groups.push((row.get(cols.get("name")).to_owned(), row)),
            ItemKind::EndGroup if groups.pop().is_none() => {
                errs.cell(
                    sheet,
                    row,
                    cols.get("type"),
                    "type",
                    FormIssue::GroupNotOpened,
                );
            }
            _ => {}
        }

        let name = row.get(cols.get("name"));
        if kind != ItemKind::EndGroup {
            if name.is_empty() {
                errs.cell(sheet, row, cols.get("name"), "name", FormIssue::Required);
            } else if !is_valid_name(name) {
                errs.cell(sheet, row, cols.get("name"), "name", FormIssue::InvalidName);
            } else if let Some((first_row, _)) = names.get(name) {
                errs.cell(
                    sheet,
                    row,
                    cols.get("name"),
                    "name",
                    FormIssue::DuplicateName {
                        first_row: *first_row,
                    },
                );
            } else {
                names.insert(name.to_owned(), (row.row, kind.is_question()));
            }
        }

        let label_es = row.get(cols.get("label::es"));
        if label_es.is_empty() && kind != ItemKind::EndGroup {
            errs.cell(
                sheet,
                row,
                cols.get("label::es"),
                "label::es",
                FormIssue::MissingLabel,
            );
        }

        let required = row.get(cols.get("required"));
        let required = yes_no(required).unwrap_or_else(|| {
            errs.cell(
                sheet,
                row,
                cols.get("required"),
                "required",
                FormIssue::NotYesNo,
            );
            false
        });

        let mut expr = |col: &'static str, constraint: bool| -> Option<Expr> {
            let text = row.get(cols.get(col));
            if text.is_empty() {
                return None;
            }
            let parsed = if constraint {
                Expr::parse_constraint(text)
            } else {
                Expr::parse(text)
            };
            parsed
                .map_err(|error| {
                    errs.cell(
                        sheet,
                        row,
                        cols.get(col),
                        col,
                        FormIssue::Unparsable { error },
                    );
                })
                .ok()
        };
        let relevant = expr("relevant", false);
        let constraint = expr("constraint", true);

        let rating = kind == ItemKind::Rating;
        let mut zero_one = |col: &str| match row.get(cols.get(col)) {
            "" | "0" => false,
            "1" => true,
            _ => {
                errs.cell(sheet, row, cols.get(col), col, FormIssue::NotZeroOne);
                false
            }
        };
        let reverse = zero_one("reverse");
        let identifying = zero_one("identifying");
        let only_rating = ["dimension", "subdimension", "finding::es", "finding::en"];
        if !rating {
            for col in only_rating {
                if !row.get(cols.get(col)).is_empty() {
                    errs.cell(sheet, row, cols.get(col), col, FormIssue::OnlyForRating);
                }
            }
            if reverse {
                errs.cell(
                    sheet,
                    row,
                    cols.get("reverse"),
                    "reverse",
                    FormIssue::OnlyForRating,
                );
            }
        }
        let dimension = opt(row.get(cols.get("dimension")));
        let subdimension = opt(row.get(cols.get("subdimension")));
        if rating {
            for (col, value, known) in [
                ("dimension", &dimension, &dimension_codes),
                ("subdimension", &subdimension, &subdimension_codes),
            ] {
                let Some(value) = value else { continue };
                if !is_valid_name(value) {
                    errs.cell(sheet, row, cols.get(col), col, FormIssue::InvalidName);
                } else if let Some(known) = known
                    && !known.contains(&value.as_str())
                {
                    let list = if col == "dimension" {
                        DIMENSION_LIST
                    } else {
                        SUBDIMENSION_LIST
                    };
                    errs.cell(
                        sheet,
                        row,
                        cols.get(col),
                        col,
                        FormIssue::UnknownCode { list: list.into() },
                    );
                }
            }
            match (&dimension, &subdimension) {
                (None, Some(_)) => errs.cell(
                    sheet,
                    row,
                    cols.get("subdimension"),
                    "subdimension",
                    FormIssue::SubdimensionWithoutDimension,
                ),
                (Some(d), Some(s)) => match sub_dims.get(s) {
                    // Results pool answers by sub-dimension code alone.
                    Some((first_dim, first_row)) if first_dim != d => errs.cell(
                        sheet,
                        row,
                        cols.get("subdimension"),
                        "subdimension",
                        FormIssue::SubdimensionInTwoDimensions {
                            dimension: first_dim.clone(),
                            first_row: *first_row,
                        },
                    ),
                    Some(_) => {}
                    None => {
                        sub_dims.insert(s.clone(), (d.clone(), row.row));
                    }
                },
                _ => {}
            }
        }

        items.push(Item {
            name: name.to_owned(),
            kind,
            label_es: label_es.to_owned(),
            label_en: row.get(cols.get("label::en")).to_owned(),
            hint_es: opt(row.get(cols.get("hint::es"))),
            hint_en: opt(row.get(cols.get("hint::en"))),
            required,
            relevant,
            constraint,
            dimension: if rating { dimension } else { None },
            subdimension: if rating { subdimension } else { None },
            reverse: rating && reverse,
            identifying,
            finding_es: if rating {
                opt(row.get(cols.get("finding::es")))
            } else {
                None
            },
            finding_en: if rating {
                opt(row.get(cols.get("finding::en")))
            } else {
                None
            },
        });
        rows.push(row);
    }

    for (name, row) in groups {
        errs.cell(
            sheet,
            row,
            cols.get("type"),
            "type",
            FormIssue::GroupNotClosed { name },
        );
    }

    for (item, row) in items.iter().zip(&rows) {
        for (col, expr) in [
            ("relevant", &item.relevant),
            ("constraint", &item.constraint),
        ] {
            let Some(expr) = expr else { continue };
            for r in expr.references() {
                // Only answered questions have values to read.
                if names.get(r).is_none_or(|(_, question)| !question) {
                    errs.cell(
                        sheet,
                        row,
                        cols.get(col),
                        col,
                        FormIssue::UnknownReference { name: r.to_owned() },
                    );
                }
            }
        }
    }

    if !items.iter().any(Item::is_question) && errs.list.is_empty() {
        // About the whole sheet: placed at its header, in the column that
        // would say what is a question.
        let column = cols
            .get("type")
            .and_then(|c| sheet.headers.get(c))
            .map_or("type", String::as_str);
        errs.push(
            sheet,
            Some(sheet.header_row.max(1)),
            Some(column),
            "",
            FormIssue::NoQuestions,
        );
    }
    items
}
