//! The survey sheet as CSV, as spreadsheets save it.

use trama_instrument::{ItemKind, read_csv, read_form};

#[test]
fn semicolons_bom_and_latin1() {
    let utf8 = "\u{feff}type;name;label::es;label::en;dimension;subdimension;reverse\n\
                select_one acuerdo5;a;Confío en la red, sí;I trust the network;capital_social;confianza;0\n\
                \n\
                select_one acuerdo5;b;\"Dice \"\"no\"\"; sin temor\";Says no;capital_social;confianza;1\n";
    let form = read_csv("encuesta.csv", utf8.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(form.form_id, "encuesta");
    assert_eq!(form.title_es, "encuesta");
    assert_eq!(form.default_language, "es");
    assert_eq!(form.items.len(), 2);
    assert_eq!(form.items[0].label_es, "Confío en la red, sí");
    assert_eq!(form.items[1].label_es, "Dice \"no\"; sin temor");
    assert!(form.items[1].reverse);
    assert_eq!(form.items[0].kind, ItemKind::Rating);

    let latin1: Vec<u8> = b"type,name,label\ntext,c,Comunicaci\xF3n\n".to_vec();
    let form = read_form("Encuesta 2024.csv", &latin1).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(form.items[0].label_es, "Comunicación");
    assert_eq!(form.form_id, "encuesta_2024");
}

#[test]
fn line_numbers_count_blank_lines_and_the_header() {
    let csv = "type,name,label\n\ntext,a,A\ntext,a,B\n";
    let errs = read_csv("f.csv", csv.as_bytes()).err().unwrap_or_default();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].row, Some(4));
}
