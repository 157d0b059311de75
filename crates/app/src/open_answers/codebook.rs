//! A question's codebook: themes created, changed and deleted by those who
//! may edit the campaign's codebook.

use trama_domain::policy::{Action, Actor};
use trama_store::campaigns::open_answers::{Theme, ThemeInput};

use super::{Scene, scene};
use crate::access::allow;
use crate::{App, Error, Result};

/// The scene of a codebook change, which takes the right to edit the
/// campaign's codebook, for an open question of it.
async fn editable(app: &App, actor: &Actor, code: &str, item: &str) -> Result<Scene> {
    let scene = scene(app, actor, code).await?;
    allow(actor, Action::EditCodebook, &scene.target)?;
    scene.require_question(item)?;
    Ok(scene)
}

/// A theme, for its edit form.
pub async fn theme(app: &App, actor: &Actor, code: &str, item: &str, id: i64) -> Result<Theme> {
    let scene = editable(app, actor, code, item).await?;
    app.store
        .open_theme(scene.campaign.id, item, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds a theme; its id. A code already in the codebook is refused on `code`.
pub async fn create(
    app: &App,
    actor: &Actor,
    code: &str,
    item: &str,
    input: &ThemeInput,
) -> Result<i64> {
    let scene = editable(app, actor, code, item).await?;
    let detail = format!("{code} {item} {}", input.code.trim());
    Ok(app
        .store
        .write(async |tx| {
            let id = tx
                .create_open_theme(scene.campaign.id, item, input, actor.audit_id())
                .await?;
            tx.audit(actor.audit_id(), "open_answers.theme.create", &detail)
                .await?;
            Ok(id)
        })
        .await?)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    code: &str,
    item: &str,
    id: i64,
    input: &ThemeInput,
) -> Result<()> {
    let scene = editable(app, actor, code, item).await?;
    let detail = format!("{code} {item} {id}");
    app.store
        .write(async |tx| {
            tx.update_open_theme(scene.campaign.id, item, id, input)
                .await?;
            tx.audit(actor.audit_id(), "open_answers.theme.update", &detail)
                .await
        })
        .await?;
    Ok(())
}

/// Deletes a theme and every assignment of it.
pub async fn delete(app: &App, actor: &Actor, code: &str, item: &str, id: i64) -> Result<()> {
    let scene = editable(app, actor, code, item).await?;
    let detail = format!("{code} {item} {id}");
    app.store
        .write(async |tx| {
            tx.delete_open_theme(scene.campaign.id, item, id).await?;
            tx.audit(actor.audit_id(), "open_answers.theme.delete", &detail)
                .await
        })
        .await?;
    Ok(())
}
