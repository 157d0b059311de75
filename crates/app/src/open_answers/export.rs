//! The answers a list shows, as rows for a CSV file.

use std::collections::BTreeMap;

use trama_domain::policy::Actor;

use super::{Filter, filtered, group, scene};
use crate::{App, Result};

/// A file's rows (header first) and the name to save it under.
pub struct Rows {
    pub file_name: String,
    pub rows: Vec<Vec<String>>,
}

/// A sequence number per export instead of the response id, region and
/// network only where that group is shown, the themes' codes joined by `;`.
pub async fn answers(app: &App, actor: &Actor, code: &str, item: &str, f: &Filter) -> Result<Rows> {
    let scene = scene(app, actor, code).await?;
    scene.require_question(item)?;
    let g = group(app, actor, &scene, f).await?;
    let themes = app.store.open_themes(scene.campaign.id, item).await?;
    let codes: BTreeMap<i64, &str> = themes.iter().map(|t| (t.id, t.code.as_str())).collect();
    let answers = filtered(app, &scene, item, &g, f).await?;
    let mut rows = vec![
        ["n", "region", "network", "answer", "themes"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (i, a) in answers.iter().enumerate() {
        let tags: Vec<&str> = a
            .themes
            .iter()
            .filter_map(|id| codes.get(id).copied())
            .collect();
        rows.push(vec![
            (i + 1).to_string(),
            scene
                .shown_region(a)
                .map(|r| r.to_string())
                .unwrap_or_default(),
            scene.shown_network(a).unwrap_or_default().to_owned(),
            a.value.clone(),
            tags.join(";"),
        ]);
    }
    app.audit(
        actor,
        "open_answers.export",
        &format!("{code} {item} ({} rows)", answers.len()),
    )
    .await?;
    Ok(Rows {
        file_name: format!("{code}-{item}-open.csv"),
        rows,
    })
}
