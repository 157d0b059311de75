//! The OpenAPI document the server publishes, as a reviewed snapshot: any
//! change to an endpoint, a parameter or a schema shows up in the diff of
//! `tests/snapshots/openapi.json`. After a deliberate change, run the test
//! with `UPDATE_SNAPSHOTS=1` and commit the new snapshot.

fn published() -> serde_json::Value {
    serde_json::to_value(trama_web::api::openapi()).unwrap_or_default()
}

#[test]
fn the_published_document_is_the_reviewed_snapshot() {
    let doc = serde_json::to_string_pretty(&published()).unwrap_or_default() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let written = std::path::Path::new(path)
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(path, &doc));
        written.unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    let stored = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        stored == doc,
        "openapi.json changed; review the difference and run with UPDATE_SNAPSHOTS=1:\n{}",
        first_difference(&stored, &doc)
    );
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n- {x}\n+ {y}", i + 1))
        .unwrap_or_else(|| "one is a prefix of the other".into())
}

#[test]
fn every_operation_names_the_policy_action_that_guards_it() {
    let doc = published();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    assert!(!paths.is_empty());
    for (path, item) in paths {
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            assert!(
                op["x-trama-access"].as_str().is_some_and(|a| !a.is_empty()),
                "{method} {path} has no x-trama-access"
            );
        }
    }
}

/// A parameter declared `in: path` must be a segment of its path: filters
/// once went out as required path parameters, so clients (and schemathesis)
/// could not send them as the query they are.
#[test]
fn path_parameters_are_in_the_path_and_filters_in_the_query() {
    let doc = published();
    let mut wrong = vec![];
    let mut queries = 0;
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default();
                match p["in"].as_str() {
                    Some("path") if !path.contains(&format!("{{{name}}}")) => {
                        wrong.push(format!("{method} {path}: {name}"));
                    }
                    Some("query") => {
                        queries += 1;
                        if p["required"].as_bool() == Some(true) {
                            wrong.push(format!("{method} {path}: ?{name} required"));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The lists' filters and pages, the year and the results' options.
    assert!(queries >= 20, "{queries} query parameters");
}
