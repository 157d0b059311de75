//! What the phone tests share: a failing step that names what went wrong,
//! signing in, and the check that nothing scrolls sideways.

use fantoccini::{Client, Locator};

pub type Failed = Box<dyn std::error::Error>;

/// A phone: 390 × 844 CSS pixels.
pub const PHONE: (u32, u32) = (390, 844);

/// WebDriver capabilities of a phone (3 device pixels per CSS pixel).
pub fn phone() -> serde_json::Value {
    serde_json::json!({
        "mobileEmulation": {
            "deviceMetrics": {"width": PHONE.0, "height": PHONE.1, "pixelRatio": 3.0}
        },
        "args": [format!("--window-size={},{}", PHONE.0, PHONE.1)],
    })
}

/// Signs in as `email` (a demo account) on the login page the browser was
/// sent to.
pub async fn sign_in(b: &Client, email: &str) -> Result<(), Failed> {
    b.wait().for_element(Locator::Id("email")).await?;
    b.find(Locator::Id("email")).await?.send_keys(email).await?;
    b.find(Locator::Id("password"))
        .await?
        .send_keys(trama_store::demo::DEMO_PASSWORD)
        .await?;
    b.find(Locator::Css("main form.stack button[type=submit]"))
        .await?
        .click()
        .await?;
    Ok(())
}

/// Nothing on the page is wider than the phone's screen.
pub async fn no_sideways_scroll(b: &Client) -> Result<(), Failed> {
    // Measured once the page has loaded and laid out (styles applied).
    let _ = b
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             const ready = () => document.readyState === 'complete' \
               ? requestAnimationFrame(() => requestAnimationFrame(done)) \
               : setTimeout(ready, 20); ready();",
            vec![],
        )
        .await?;
    let v = b
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth, \
             document.documentElement.clientWidth];",
            vec![],
        )
        .await?;
    let n = |i: usize| v.get(i).and_then(|x| x.as_u64()).unwrap_or(u64::MAX);
    let (scroll, inner, client) = (n(0), n(1), n(2));
    let url = b.current_url().await?;
    // What sticks out, for the message: the outermost elements wider than
    // the phone.
    let wide = || async {
        let v = b
            .execute(
                &format!(
                    "return Array.from(document.querySelectorAll('body *')).filter(e => {{ \
                       const r = e.getBoundingClientRect(); \
                       const p = e.parentElement && e.parentElement.getBoundingClientRect(); \
                       const placed = ['absolute', 'fixed'].includes(getComputedStyle(e).position); \
                       return r.right > {w} + 1 && (placed || !(p && p.right > {w} + 1)); }}) \
                     .slice(0, 6).map(e => {{ const out = [getComputedStyle(e).position]; \
                       for (let x = e; x && x !== document.body; x = x.parentElement) \
                         out.push(x.tagName.toLowerCase() + '.' + x.className + ' ' + \
                           Math.round(x.getBoundingClientRect().right) + ':' + getComputedStyle(x).overflowX); \
                       return out.join(' < '); }});",
                    w = PHONE.0
                ),
                vec![],
            )
            .await
            .unwrap_or_default();
        v.to_string()
    };
    if !(inner <= u64::from(PHONE.0) && client <= inner) {
        return Err(format!(
            "not a phone-sized viewport on {url}: inner {inner}, client {client}; wide: {}",
            wide().await
        )
        .into());
    }
    if scroll > inner {
        return Err(format!(
            "{url} scrolls sideways: scrollWidth {scroll} > innerWidth {inner}; wide: {}",
            wide().await
        )
        .into());
    }
    Ok(())
}
