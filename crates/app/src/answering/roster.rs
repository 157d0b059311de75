//! The roster question's data: the other members of the respondent's
//! network, and the rows a posted page may store.

use std::collections::BTreeSet;

use trama_campaign::roster::{TieAnswer, read_roster};
use trama_instrument::{ItemKind, Page};
use trama_store::campaigns::answering::Respondent;
use trama_store::campaigns::ties::RosterEntry;

use crate::{App, Result};

/// Everyone else invited in the respondent's network.
pub async fn members(app: &App, who: &Respondent) -> Result<Vec<RosterEntry>> {
    let (me, network_id) = app.store.invitation_person(who.invitation_id).await?;
    let mut members = app.store.network_members(&who.campaign, network_id).await?;
    members.retain(|m| m.person_id != me);
    Ok(members)
}

/// The roster items on a page.
pub fn items<'a>(page: &Page<'a>) -> Vec<&'a str> {
    page.items
        .iter()
        .filter(|i| i.kind == ItemKind::Roster)
        .map(|i| i.name.as_str())
        .collect()
}

/// Every roster item of a posted page, keeping only rows that point inside
/// the respondent's network; rows a genuine form cannot produce are dropped
/// and counted in the log (never the link or the posted values).
pub async fn posted(
    app: &App,
    who: &Respondent,
    page: &Page<'_>,
    posted: &[(String, String)],
) -> Result<Vec<(String, Vec<TieAnswer>)>> {
    let items = items(page);
    if items.is_empty() {
        return Ok(vec![]);
    }
    let ids: BTreeSet<i64> = members(app, who)
        .await?
        .iter()
        .map(|m| m.person_id)
        .collect();
    Ok(items
        .into_iter()
        .map(|item| {
            let (ties, problems) = read_roster(item, posted, &ids);
            if !problems.is_empty() {
                tracing::warn!(
                    refused = problems.len(),
                    invitation = who.invitation_id,
                    "roster rows refused"
                );
            }
            (item.to_owned(), ties)
        })
        .collect())
}
