//! Every page a coordinator or a participant reaches fits a 390 px phone:
//! nothing scrolls sideways, selects show what is selected, and every chart
//! comes with its data table (the phone's reading view of it).

use fantoccini::{Client, Locator};

use super::phone::{Failed, no_sideways_scroll, phone, sign_in};

/// Selects that show too little of their chosen option ("Monitc" for
/// "Monitoreo de redes 2026"): fewer than 16 of its characters, or all of
/// a shorter one, as "text (needed px > width px)".
async fn cut_selects(b: &Client) -> Result<Vec<String>, Failed> {
    let v = b
        .execute(
            r#"const c = document.createElement("canvas").getContext("2d");
            return Array.from(document.querySelectorAll("select")).flatMap(s => {
              const o = s.options[s.selectedIndex];
              if (!o || s.offsetParent === null) return [];
              const st = getComputedStyle(s);
              c.font = st.fontSize + " " + st.fontFamily;
              const text = c.measureText(o.text).width;
              const room = s.clientWidth - 24;
              const shown = text <= room ? o.text.length : Math.floor(o.text.length * room / text);
              return shown < Math.min(o.text.length, 16) ? [o.text + " (" + Math.round(text + 24) + " > " + s.clientWidth + ")"] : [];
            });"#,
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

/// Result charts (`section.figure`) whose section has no data table.
async fn charts_without_table(b: &Client) -> Result<Vec<String>, Failed> {
    let v = b
        .execute(
            r#"return Array.from(document.querySelectorAll("section.figure"))
              .filter(s => s.querySelector("svg") && !s.querySelector("table"))
              .map(s => s.getAttribute("aria-labelledby"));"#,
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

async fn check(b: &Client, url: &str, problems: &mut Vec<String>) -> Result<(), Failed> {
    b.goto(url).await?;
    b.wait().for_element(Locator::Css("main h1")).await?;
    if let Err(e) = no_sideways_scroll(b).await {
        problems.push(e.to_string());
    }
    for s in cut_selects(b).await? {
        problems.push(format!("{url}: select cut: {s}"));
    }
    // A chart's small text on a phone is read in its data table instead:
    // every chart comes with one.
    for missing in charts_without_table(b).await? {
        problems.push(format!("{url}: chart without a data table: {missing}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone() {
    let Some(session) = super::Session::start(phone()).await else {
        return;
    };
    let (base, b) = (session.base.clone(), session.client.clone());
    let step = async {
        let mut problems = vec![];
        b.goto(&format!("{base}/campaigns")).await?;
        sign_in(&b, "nacional@demo.trama.cl").await?;
        b.wait().for_element(Locator::Css("main h1")).await?;
        let coordinator = [
            "/",
            "/regions",
            "/regions/5",
            "/networks",
            "/networks/RME1",
            "/networks/RME1/map",
            "/networks/RME1/profile",
            "/networks/RME1/year",
            "/networks/RME1/sessions/new",
            "/schools",
            "/people",
            "/campaigns",
            "/campaigns/new",
            "/campaigns/RME-2026",
            "/campaigns/RME-2026/funnel",
            "/campaigns/RME-2026/outbox",
            "/campaigns/RME-2026/results",
            "/campaigns/RME-2026/results/regions/5",
            "/campaigns/RME-2026/results/networks/RME1",
            "/campaigns/RME-2026/results/years",
            "/campaigns/RME-2026/results/open",
            "/campaigns/RME-2026/characterisation",
            "/import",
        ];
        for path in coordinator {
            check(&b, &format!("{base}{path}"), &mut problems).await?;
        }
        b.delete_all_cookies().await?;
        b.goto(&format!("{base}/")).await?;
        sign_in(&b, "participante@demo.trama.cl").await?;
        b.wait().for_element(Locator::Css("main h1")).await?;
        for path in [
            "/",
            "/campaigns/RME-2026/results/networks/RME1",
            "/networks/RME1/map",
            "/networks/RME1/profile",
        ] {
            check(&b, &format!("{base}{path}"), &mut problems).await?;
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Failed::from(problems.join("\n")))
        }
    };
    let step: Result<(), Failed> = step.await;
    session.finish(step).await;
}
