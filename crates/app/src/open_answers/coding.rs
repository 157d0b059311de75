//! Themes assigned to and removed from open answers.

use trama_domain::policy::{self, Action, Actor};

use trama_store::campaigns::open_answers::OpenFilter;

use super::{Scene, answer_key, scene};
use crate::{App, Error, Result};

/// Which answer (by its [`answer_key`](super::answer_key)) gets (or
/// loses) which theme.
#[derive(Debug, Clone)]
pub struct Coding {
    pub key: String,
    pub theme: i64,
}

/// The scene and the answer's response, if the actor may code this answer
/// of `item`.
async fn codable(
    app: &App,
    actor: &Actor,
    code: &str,
    item: &str,
    c: &Coding,
) -> Result<(Scene, String)> {
    let scene = scene(app, actor, code).await?;
    scene.require_question(item)?;
    // Refused before the answer is looked up: whether it exists is none of
    // the business of someone who codes nowhere.
    if !policy::allows_somewhere(actor, Action::CodeOpenAnswers) {
        return Err(Error::Forbidden);
    }
    let key = c.key.trim();
    let answer = app
        .store
        .open_answers(&scene.campaign, item, &OpenFilter::default())
        .await?
        .into_iter()
        .find(|a| answer_key(&scene.campaign, item, &a.response_id) == key)
        // An answer outside the viewer's groups is as good as absent: its
        // existence is not confirmed.
        .filter(|a| scene.within_reach(a))
        .ok_or(Error::NotFound)?;
    if !scene.may_code(actor, &answer) {
        return Err(Error::Forbidden);
    }
    Ok((scene, answer.response_id))
}

/// Assigns a theme; assigning it twice changes nothing.
pub async fn assign(app: &App, actor: &Actor, code: &str, item: &str, c: &Coding) -> Result<()> {
    let (scene, response) = codable(app, actor, code, item, c).await?;
    let detail = format!("{code} {item} theme {}", c.theme);
    app.store
        .write(async |tx| {
            if tx
                .assign_open_theme(&scene.campaign, item, &response, c.theme, actor.audit_id())
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
    let (scene, response) = codable(app, actor, code, item, c).await?;
    let detail = format!("{code} {item} theme {}", c.theme);
    app.store
        .write(async |tx| {
            if tx
                .remove_open_theme(&scene.campaign, item, &response, c.theme)
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
