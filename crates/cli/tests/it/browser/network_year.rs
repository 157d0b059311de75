//! A supervisor on a phone records the session they just held, then opens
//! their network's profile: its level with the rules that put it there,
//! the typology and the Tetraedro, and the ficha in both languages.

use fantoccini::Locator;

use super::phone::{Failed, no_sideways_scroll, phone, sign_in};

const AGREEMENT: &str = "Compartir la pauta de observación de aula";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_records_a_session_on_a_phone_and_reads_the_profile() {
    let Some(session) = super::Session::start(phone()).await else {
        return;
    };
    let (base, b) = (session.base.clone(), session.client.clone());
    let step = async {
        b.goto(&format!("{base}/networks/RME1/sessions/new"))
            .await?;
        sign_in(&b, "supervisor@demo.trama.cl").await?;
        let duration = b
            .wait()
            .for_element(Locator::Css("input[name=duration_min]"))
            .await?;
        let today = b
            .find(Locator::Css("input[name=date]"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        if today.len() != 10 {
            return Err(format!("the date starts as today: {today:?}").into());
        }
        no_sideways_scroll(&b).await?;
        duration.clear().await?;
        duration.send_keys("120").await?;
        b.find(Locator::Css("input[name=foci][value=practices]"))
            .await?
            .click()
            .await?;
        // Two people of the first school: their school is present.
        let people = b.find_all(Locator::Css("input[name=attendee]")).await?;
        if people.len() < 2 {
            return Err(format!("the network's members to tick: {}", people.len()).into());
        }
        for p in &people[..2] {
            p.click().await?;
        }
        b.find(Locator::Css("input[name=agreement_0_text]"))
            .await?
            .send_keys(AGREEMENT)
            .await?;
        b.find(Locator::Css("form.session-form button[type=submit]"))
            .await?
            .click()
            .await?;
        // Back on the year, at the session just recorded.
        let card = b
            .wait()
            .for_element(Locator::XPath(&format!(
                "//article[contains(@class,'session')][.//li[contains(., '{AGREEMENT}')]]"
            )))
            .await?
            .text()
            .await?;
        if !card.contains("120 min") {
            return Err(format!("the session as recorded: {card}").into());
        }
        no_sideways_scroll(&b).await?;
        // The profile: the level and why.
        b.goto(&format!("{base}/networks/RME1/profile")).await?;
        let level = b
            .wait()
            .for_element(Locator::Css("[data-level]"))
            .await?
            .text()
            .await?;
        if level.trim().is_empty() {
            return Err("no level shown".into());
        }
        let rules = b.find_all(Locator::Css("table.rules tbody tr")).await?;
        if rules.len() < 10 {
            return Err(format!("every rule listed: {}", rules.len()).into());
        }
        b.find(Locator::Css("svg.tetraedro")).await?;
        b.find(Locator::Css("table.typology")).await?;
        let png = b.screenshot().await?;
        super::save_screenshot("profile-phone.png", &png);
        for href in [
            "ficha.pdf?campaign=RME-2026",
            "ficha.pdf?campaign=RME-2026&lang=en",
        ] {
            let link = format!(
                "a[href='/networks/RME1/profile/{}']",
                href.replace('&', "&amp;")
            );
            if b.find(Locator::Css(&link)).await.is_err()
                && b.find(Locator::Css(&format!(
                    "a[href='/networks/RME1/profile/{href}']"
                )))
                .await
                .is_err()
            {
                return Err(format!("the ficha link {href}").into());
            }
        }
        Ok::<(), Failed>(())
    };
    session.finish(step.await).await;
}
