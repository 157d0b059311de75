//! A monitoring round end to end in a real headless Chromium at phone size:
//! the national coordinator creates and opens a campaign, a participant
//! answers through the personal link from the outbox (saving, leaving and
//! resuming), submits, and the coordinator sees the funnel move and
//! downloads an anonymous response file.

use std::collections::BTreeMap;
use std::time::Instant;

use fantoccini::{Client, Locator};

use super::phone::{Failed, PHONE, no_sideways_scroll, phone, sign_in};

/// Like `assert!`, but fails the step so the page and server log get printed.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+).into());
        }
    };
}

const CODE: &str = "rme-e2e";
const STAGES: [&str; 5] = ["invited", "opened", "started", "complete", "valid"];
/// Pages of the default RME questionnaire: profile, ten rating pages, who
/// one works with (the roster), comments.
const PAGES: usize = 13;
const COMMENT: &str = "Más tiempo para preparar las reuniones.";

/// The rating chosen for a statement: fixed ones for the first rating page
/// (one "No aplica"), one statement left blank, the rest spread over 1..5.
fn choice(name: &str) -> Option<&'static str> {
    match name {
        "conf_1" => Some("4"),
        "conf_2" => Some("5"),
        "conf_3" => Some("NA"),
        "conf_4" => Some("2"),
        "col_3" => None,
        _ => {
            let digit = name.bytes().last().unwrap_or(b'0').saturating_sub(b'0');
            Some(["1", "2", "3", "4", "5"][usize::from(digit) % 5])
        }
    }
}

async fn funnel_counts(b: &Client, base: &str) -> Result<BTreeMap<&'static str, u64>, Failed> {
    b.goto(&format!("{base}/campaigns/{CODE}/funnel")).await?;
    let mut counts = BTreeMap::new();
    for stage in STAGES {
        let css = format!("#funnel-total .n[data-stage='{stage}']");
        let n = b
            .wait()
            .for_element(Locator::Css(&css))
            .await?
            .text()
            .await?;
        let n = n
            .trim()
            .parse()
            .map_err(|e| format!("funnel {stage}: {n:?}: {e}"))?;
        counts.insert(stage, n);
    }
    Ok(counts)
}

/// The roster on a phone: the script shows the search box, typing a name
/// narrows the list, and choosing a level in an opened row shows on its
/// closed summary.
async fn roster_page(b: &Client) -> Result<(), Failed> {
    let search = b.find(Locator::Css("[data-roster-search]")).await?;
    ensure!(
        search.is_displayed().await?,
        "the search box shows with JavaScript"
    );
    let people = b.find_all(Locator::Css("details.roster-person")).await?;
    ensure!(
        people.len() >= 3,
        "the network's other members: {}",
        people.len()
    );
    let name = people[0]
        .find(Locator::Css("summary .who"))
        .await?
        .text()
        .await?;
    search.send_keys(&name).await?;
    let visible = b
        .execute(
            "return [...document.querySelectorAll('details.roster-person')].filter(d => !d.hidden).length;",
            vec![],
        )
        .await?
        .as_u64()
        .unwrap_or(0) as usize;
    ensure!(
        visible >= 1 && visible < people.len(),
        "searching {name:?} leaves {visible} of {}",
        people.len()
    );
    people[0]
        .find(Locator::Css("summary"))
        .await?
        .click()
        .await?;
    people[0]
        .find(Locator::Css("input[type=radio][value='4']"))
        .await?
        .click()
        .await?;
    let summary = people[0]
        .find(Locator::Css("[data-roster-summary]"))
        .await?
        .text()
        .await?;
    ensure!(
        summary.starts_with('4'),
        "the row says the level: {summary:?}"
    );
    no_sideways_scroll(b).await?;
    Ok(())
}

/// Waits until the browser shows questionnaire page `page`.
async fn on_page(b: &Client, token: &str, page: usize) -> Result<(), Failed> {
    let css = format!("form.questionnaire[action='/r/{token}/p/{page}']");
    b.wait().for_element(Locator::Css(&css)).await?;
    let url = b.current_url().await?;
    ensure!(
        url.path() == format!("/r/{token}/p/{page}"),
        "expected page {page}, at {url}"
    );
    Ok(())
}

async fn press(b: &Client, nav: &str) -> Result<(), Failed> {
    let css = format!("button[name=_nav][value={nav}]");
    b.find(Locator::Css(&css)).await?.click().await?;
    Ok(())
}

/// Rates every statement on the current page as [`choice`] says.
async fn rate_page(b: &Client, given: &mut BTreeMap<String, String>) -> Result<usize, Failed> {
    let sets = b.find_all(Locator::Css("fieldset.rating")).await?;
    for set in &sets {
        let id = set.attr("id").await?.unwrap_or_default();
        let name = id.trim_start_matches("q-").to_owned();
        let Some(value) = choice(&name) else {
            continue;
        };
        let radio = set
            .find(Locator::Css(&format!("input[type=radio][value='{value}']")))
            .await?;
        radio.click().await?;
        ensure!(radio.is_selected().await?, "{name}={value} was not checked");
        given.insert(name, value.to_owned());
    }
    Ok(sets.len())
}

async fn checked(b: &Client, name: &str, value: &str) -> Result<bool, Failed> {
    let css = format!("input[name='{name}'][value='{value}']");
    Ok(b.find(Locator::Css(&css)).await?.is_selected().await?)
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") || png.get(12..16) != Some(b"IHDR") {
        return None;
    }
    let be = |r: std::ops::Range<usize>| {
        png.get(r)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map(u32::from_be_bytes)
    };
    Some((be(16..20)?, be(20..24)?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_runs_a_campaign_and_a_participant_answers_on_a_phone() {
    let Some(session) = super::Session::start(phone()).await else {
        return;
    };
    let (base, b) = (session.base.clone(), session.client.clone());

    let started = Instant::now();
    let step = async {
        // 1. The national coordinator creates a campaign for three networks.
        b.goto(&format!("{base}/campaigns")).await?;
        sign_in(&b, "nacional@demo.trama.cl").await?;
        // Clicks return before the next page has loaded: every step waits
        // for what it expects to see.
        b.wait()
            .for_element(Locator::Css("a.button[href='/campaigns/new']"))
            .await?
            .click()
            .await?;
        let code = b.wait().for_element(Locator::Id("f-code")).await?;
        for date in ["f-opens_on", "f-closes_on"] {
            let value = b.find(Locator::Id(date)).await?.prop("value").await?;
            ensure!(
                value.is_some_and(|v| v.len() == 10),
                "{date} has a default date"
            );
        }
        code.clear().await?;
        code.send_keys(CODE).await?;
        b.find(Locator::Id("f-scope"))
            .await?
            .select_by_value("networks")
            .await?;
        let codes = b.find(Locator::Id("f-scope_codes")).await?;
        codes.clear().await?;
        codes.send_keys("RME1, RME2, RME3").await?;
        b.find(Locator::Css("main form.stack button.primary"))
            .await?
            .click()
            .await?;
        let invited: u64 = b
            .wait()
            .for_element(Locator::Id("invited-count"))
            .await?
            .text()
            .await?
            .trim()
            .parse()
            .map_err(|e| format!("invited count: {e}"))?;
        let url = b.current_url().await?;
        ensure!(
            url.path() == format!("/campaigns/{CODE}"),
            "campaign page, at {url}"
        );
        ensure!(invited > 0, "the three networks have people to invite");
        let status = b.find(Locator::Id("campaign-status")).await?.text().await?;
        ensure!(
            status == "Borrador",
            "a new campaign is a draft: {status:?}"
        );

        // 2. Open it: the button first says what will happen (no SMTP: the
        // invitations wait in the outbox), then opens on confirmation; the
        // campaign page then says plainly that nothing was sent yet.
        b.find(Locator::Id("open-campaign-start"))
            .await?
            .click()
            .await?;
        let confirm = b.wait().for_element(Locator::Id("open-campaign")).await?;
        no_sideways_scroll(&b).await?;
        let says = b
            .find(Locator::Css("#confirm-open .confirm-body p"))
            .await?
            .text()
            .await?;
        ensure!(
            says.contains(&format!("{invited} invitaciones")) && says.contains("bandeja de salida"),
            "the confirmation says what opening does: {says:?}"
        );
        confirm.click().await?;
        b.wait()
            .for_element(Locator::XPath(
                "//span[@id='campaign-status'][normalize-space(.)='Abierta']",
            ))
            .await?;
        b.find(Locator::Css("main p.notice")).await?;
        let warning = b.find(Locator::Id("delivery-warning")).await?.text().await?;
        ensure!(
            warning.contains(&format!("{invited} invitaciones NO se han enviado")),
            "the campaign page says nothing went out: {warning:?}"
        );
        no_sideways_scroll(&b).await?;

        // 3. The outbox: one message per invitation, no link on the page;
        // the links leave once, in the export for a mail merge.
        b.goto(&format!("{base}/campaigns/{CODE}/outbox")).await?;
        b.wait().for_element(Locator::Id("outbox")).await?;
        let rows = b.find_all(Locator::Css("#outbox tbody tr")).await?;
        ensure!(
            rows.len() as u64 == invited,
            "{} outbox rows for {invited} invitations",
            rows.len()
        );
        ensure!(
            b.find_all(Locator::Css("#outbox a")).await?.is_empty(),
            "the outbox page shows no personal link"
        );
        let preview = b
            .find(Locator::Css("details.preview pre.message-body"))
            .await?
            .text()
            .await?;
        ensure!(
            preview.contains("[enlace personal") && !preview.contains("/r/"),
            "the message previewed without its link: {preview:?}"
        );
        let first = rows.first().ok_or("an empty outbox")?;
        let email = first.find(Locator::Css("th .muted")).await?.text().await?;
        ensure!(
            email.contains('@'),
            "the outbox shows the address: {email:?}"
        );
        let exported = b
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                const form = document.querySelector('form[action$="/outbox.csv"]');
                fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) })
                  .then(r => r.text()).then(done, e => done('error: ' + e));"#,
                vec![],
            )
            .await?;
        let exported = exported.as_str().unwrap_or_default().to_owned();
        let mut reader = csv::Reader::from_reader(exported.as_bytes());
        let record = reader
            .records()
            .filter_map(Result::ok)
            .find(|r| r.get(1) == Some(email.as_str()))
            .ok_or_else(|| format!("the export has a row for {email}: {exported}"))?;
        let link = record.get(2).unwrap_or_default().to_owned();
        ensure!(
            record.get(7).is_some_and(|body| body.contains(&link) && body.contains("confidenciales")),
            "the mail merge carries the message with its link: {record:?}"
        );
        let token = link
            .strip_prefix(&format!("{base}/r/"))
            .ok_or_else(|| format!("a personal link on this server: {link:?}"))?
            .to_owned();
        ensure!(token.len() >= 20, "a long random link: {link}");

        // 4. The funnel before anyone answers.
        let before = funnel_counts(&b, &base).await?;
        ensure!(before["invited"] == invited, "funnel {before:?}");
        for stage in ["opened", "started", "complete", "valid"] {
            ensure!(before[stage] == 0, "nobody has {stage} yet: {before:?}");
        }

        // 5. The participant: no account, no coordinator cookies.
        b.delete_all_cookies().await?;
        b.goto(&link).await?;
        on_page(&b, &token, 1).await?;
        let h1 = b.find(Locator::Css("main h1")).await?.text().await?;
        ensure!(h1 == "Sobre usted", "the profile page first: {h1:?}");
        ensure!(
            b.find_all(Locator::Css(".who")).await?.is_empty(),
            "nobody is signed in"
        );
        no_sideways_scroll(&b).await?;
        b.find(Locator::Css("input[name=rol][value=docente]"))
            .await?
            .click()
            .await?;
        b.find(Locator::Id("f-anos_red"))
            .await?
            .send_keys("3")
            .await?;
        let mut given = BTreeMap::from([
            ("rol".to_owned(), "docente".to_owned()),
            ("anos_red".to_owned(), "3".to_owned()),
        ]);
        press(&b, "next").await?;
        on_page(&b, &token, 2).await?;
        let rated = rate_page(&b, &mut given).await?;
        ensure!(rated == 4, "four trust statements, found {rated}");
        press(&b, "stay").await?;
        let notice = b
            .wait()
            .for_element(Locator::Css("main p.notice"))
            .await?
            .text()
            .await?;
        ensure!(notice.contains("guardadas"), "saved notice: {notice:?}");
        ensure!(
            checked(&b, "conf_3", "NA").await?,
            "the saved page shows the answers"
        );
        // Phone layout: nothing scrolls sideways, options are stacked,
        // each one a full-width target at least 44 px tall.
        no_sideways_scroll(&b).await?;
        let set = b.find(Locator::Css("fieldset.rating")).await?;
        let (_, _, set_w, _) = set.rectangle().await?;
        let opts = set.find_all(Locator::Css("label.opt")).await?;
        ensure!(opts.len() == 6, "1..5 and No aplica: {}", opts.len());
        let (x1, y1, w1, h1) = opts[0].rectangle().await?;
        let (x2, y2, _, _) = opts[1].rectangle().await?;
        ensure!(
            y2 >= y1 + h1 - 1.0 && (x2 - x1).abs() < 1.0,
            "options stacked: ({x1}, {y1}) then ({x2}, {y2})"
        );
        ensure!(
            h1 >= 44.0 && w1 >= set_w * 0.8,
            "a full-width, 44 px target: {w1} × {h1} in {set_w}"
        );
        let png = b.screenshot().await?;
        super::save_screenshot("answer-phone.png", &png);
        let (w, h) = png_size(&png).ok_or("the screenshot is not a PNG")?;
        ensure!(
            png.len() > 10_000 && w < h && w <= PHONE.0 * 3,
            "a real phone-shaped screenshot: {w} × {h}, {} bytes",
            png.len()
        );

        // 6. Leave and come back: "save for later" keeps the page, so the
        // link resumes on page 2 with the answers checked; after "next"
        // it resumes on page 3.
        b.goto("about:blank").await?;
        b.goto(&link).await?;
        on_page(&b, &token, 2).await?;
        b.find(Locator::Id("welcome-back")).await?;
        for name in ["conf_1", "conf_2", "conf_3", "conf_4"] {
            let value = given.get(name).map(String::as_str).unwrap_or_default();
            ensure!(
                checked(&b, name, value).await?,
                "{name}={value} still checked"
            );
        }
        press(&b, "next").await?;
        on_page(&b, &token, 3).await?;
        b.goto("about:blank").await?;
        b.goto(&link).await?;
        on_page(&b, &token, 3).await?;
        press(&b, "prev").await?;
        on_page(&b, &token, 2).await?;
        ensure!(
            checked(&b, "conf_1", "4").await? && checked(&b, "conf_3", "NA").await?,
            "earlier answers still checked on page 2"
        );
        press(&b, "next").await?;

        // 6b. The review with only page 2 rated: it will not count, says so,
        // and sending needs a tick that says it will not count. (Page 3
        // first: the save of page 2 must land before leaving.)
        on_page(&b, &token, 3).await?;
        b.goto(&format!("{base}/r/{token}/review")).await?;
        let warning = b
            .wait()
            .for_element(Locator::Id("not-counting"))
            .await?
            .text()
            .await?;
        ensure!(
            warning.contains("no se contará") && warning.contains("28 de las 35"),
            "the review warns before a response that will not count: {warning:?}"
        );
        let tick = b.find(Locator::Id("confirm-not-counting")).await?;
        ensure!(
            tick.attr("required").await?.is_some(),
            "sending it anyway needs the tick"
        );
        no_sideways_scroll(&b).await?;
        b.goto(&format!("{base}/r/{token}/p/3")).await?;

        // 7. Answer the rest (one statement left blank) up to the review.
        for page in 3..=PAGES {
            on_page(&b, &token, page).await?;
            if page == PAGES - 1 {
                roster_page(&b).await?;
            }
            rate_page(&b, &mut given).await?;
            if page == PAGES {
                b.find(Locator::Id("f-facilita"))
                    .await?
                    .send_keys(COMMENT)
                    .await?;
                given.insert("facilita".into(), COMMENT.into());
            }
            press(&b, "next").await?;
        }
        b.wait().for_element(Locator::Id("submit-answers")).await?;
        let url = b.current_url().await?;
        ensure!(
            url.path() == format!("/r/{token}/review"),
            "review, at {url}"
        );
        let h1 = b.find(Locator::Css("main h1")).await?.text().await?;
        ensure!(h1 == "Revise sus respuestas", "review page: {h1:?}");
        let count = b.find(Locator::Css("p.count strong")).await?.text().await?;
        ensure!(count == "34 / 35", "34 of 35 statements rated: {count:?}");
        ensure!(
            b.find_all(Locator::Id("form-errors")).await?.is_empty(),
            "nothing required is missing"
        );
        no_sideways_scroll(&b).await?;
        b.find(Locator::Id("submit-answers")).await?.click().await?;
        b.wait()
            .for_element(Locator::XPath("//main//h1[.='¡Gracias!']"))
            .await?;
        b.goto("about:blank").await?;
        b.goto(&link).await?;
        let h1 = b
            .wait()
            .for_element(Locator::Css("main h1"))
            .await?
            .text()
            .await?;
        ensure!(h1 == "¡Gracias!", "the link now only thanks: {h1:?}");

        // 8. The coordinator again: the funnel moved by one.
        b.goto(&format!("{base}/campaigns/{CODE}/funnel")).await?;
        sign_in(&b, "nacional@demo.trama.cl").await?;
        b.wait().for_element(Locator::Id("funnel-total")).await?;
        let after = funnel_counts(&b, &base).await?;
        ensure!(after["invited"] == invited, "funnel {after:?}");
        ensure!(
            after["opened"] >= 1 && after["started"] >= 1,
            "funnel {after:?}"
        );
        ensure!(
            after["complete"] == before["complete"] + 1 && after["valid"] == before["valid"] + 1,
            "one more complete and valid response: {before:?} → {after:?}"
        );

        // 9. The researchers' response file: no row for a round of one.
        let v = b
            .execute(
                "var x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send(); \
                 return [x.status, x.getResponseHeader('Content-Type'), x.responseText];",
                vec![serde_json::json!(format!(
                    "/campaigns/{CODE}/responses.csv"
                ))],
            )
            .await?;
        let (status, kind, file): (u16, Option<String>, String) = serde_json::from_value(v)?;
        let kind = kind.unwrap_or_default();
        ensure!(
            status == 200 && kind.starts_with("text/csv"),
            "{status} {kind}"
        );
        ensure!(
            file.starts_with("response_id,region,deprov,network,role,submitted_at,"),
            "response file header: {file}"
        );
        ensure!(
            !file.contains(email.as_str()),
            "the file names the participant"
        );
        ensure!(!file.contains('@'), "an e-mail address in the file: {file}");
        ensure!(
            !file.contains(token.as_str()),
            "the personal link in the file"
        );
        let mut reader = csv::Reader::from_reader(file.as_bytes());
        let header = reader.headers()?.clone();
        let records = reader.records().collect::<Result<Vec<_>, _>>()?;
        // One respondent is fewer than K: the researchers' file keeps its
        // columns and withholds the row (what it releases is tested on
        // larger rounds in the web and export tests).
        ensure!(
            records.is_empty() && header.iter().any(|h| h == "facilita"),
            "a campaign of one respondent leaves no row: {file}"
        );

        // 10. The national round's pages a ministry reader quotes: the
        // response rate named as such (valid of invited), never 100 % by
        // construction; findings with their n; a long list paged.
        b.goto(&format!("{base}/campaigns/RME-2026/results")).await?;
        let head = b
            .wait()
            .for_element(Locator::Css("section[aria-labelledby=rates-h] thead"))
            .await?
            .text()
            .await?;
        ensure!(
            head.contains("Tasa de respuesta (válidas / invitadas)") && head.contains("Cobertura de redes"),
            "rate and coverage, each named: {head:?}"
        );
        let total = b
            .find(Locator::XPath(
                "//section[@aria-labelledby='rates-h']//tbody/tr[1]/td[3]",
            ))
            .await?
            .text()
            .await?;
        ensure!(total != "100,0", "the national response rate: {total}");
        for f in b.find_all(Locator::Css("ul.findings li")).await? {
            let text = f.text().await?;
            ensure!(text.contains("(n = "), "a finding with its base: {text:?}");
        }
        b.goto(&format!("{base}/campaigns/RME-2026")).await?;
        b.wait().for_element(Locator::Css("nav.pager a[rel=next]")).await?;
        no_sideways_scroll(&b).await?;
        Ok::<(), Failed>(())
    }
    .await;
    let took = started.elapsed();
    session.finish(step).await;
    eprintln!("campaign round in the browser took {took:.1?}");
}
