//! Themes assigned to and removed from open answers.

use trama_domain::policy::{self, Action, Actor};

use super::{Scene, scene};
use crate::{App, Error, Result};

/// Which answer gets (or loses) which theme.
#[derive(Debug, Clone)]
pub struct Coding {
    pub response_id: String,
    pub theme: i64,
}

/// The scene, if the actor may code this answer of `item`.
async fn codable(app: &App, actor: &Actor, code: &str, item: &str, c: &Coding) -> Result<Scene> {
    let scene = scene(app, actor, code).await?;
    scene.require_question(item)?;
    // Refused before the answer is looked up: whether it exists is none of
    // the business of someone who codes nowhere.
    if !policy::allows_somewhere(actor, Action::CodeOpenAnswers) {
        return Err(Error::Forbidden);
    }
    let answer = app
        .store
        .open_answer(&scene.campaign, item, c.response_id.trim())
        .await?
        // An answer outside the viewer's groups is as good as absent: its
        // existence is not confirmed.
        .filter(|a| scene.within_reach(a))
        .ok_or(Error::NotFound)?;
    if !scene.may_code(actor, &answer) {
        return Err(Error::Forbidden);
    }
    Ok(scene)
}

/// Assigns a theme; assigning it twice changes nothing.
pub async fn assign(app: &App, actor: &Actor, code: &str, item: &str, c: &Coding) -> Result<()> {
    let scene = codable(app, actor, code, item, c).await?;
    let detail = format!("{code} {item} theme {}", c.theme);
    app.store
        .write(async |tx| {
            if tx
                .assign_open_theme(
                    &scene.campaign,
                    item,
                    c.response_id.trim(),
                    c.theme,
                    actor.audit_id(),
                )
                .await?
            {
                tx.audit(actor.audit_id(), "open_answers.assign", &detail)
                    .await?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Removes a theme from an answer; removing one it lacks changes nothing.
pub async fn unassign(app: &App, actor: &Actor, code: &str, item: &str, c: &Coding) -> Result<()> {
    let scene = codable(app, actor, code, item, c).await?;
    let detail = format!("{code} {item} theme {}", c.theme);
    app.store
        .write(async |tx| {
            if tx
                .remove_open_theme(&scene.campaign, item, c.response_id.trim(), c.theme)
                .await?
            {
                tx.audit(actor.audit_id(), "open_answers.unassign", &detail)
                    .await?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
