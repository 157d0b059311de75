//! Sign-in, CSRF, language, imports from the browser and API errors.

use crate::common::*;

fn set_cookies(r: &Reply) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn login_issues_a_fresh_httponly_session_and_logout_ends_it() {
    let app = app().await;
    let anon = app.client(None).await;
    let bad = app
        .send(
            &anon,
            "POST",
            "/login",
            Some("email=nacional%40demo.trama.cl&password=nope&next=%2Fnetworks"),
            &[],
        )
        .await;
    assert_eq!(bad.status, 401);
    assert!(
        bad.body.contains("Correo o contraseña incorrectos."),
        "error in Spanish"
    );
    // A session id planted before login is discarded, not upgraded.
    let planted = app.client(Some(RESEARCHER)).await;
    let ok = app
        .send(
            &planted,
            "POST",
            "/login",
            Some(&format!(
                "_csrf={}&email=nacional%40demo.trama.cl&password={}&next=%2Fnetworks",
                planted
                    .session
                    .as_ref()
                    .map(|s| s.1.clone())
                    .unwrap_or_default(),
                trama_store::demo::DEMO_PASSWORD
            )),
            &[],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.location(), "/networks");
    let cookie = set_cookies(&ok)
        .into_iter()
        .find(|c| c.starts_with("trama_session="))
        .unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let new_token = cookie
        .trim_start_matches("trama_session=")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    let old_token = planted
        .session
        .as_ref()
        .map(|s| s.0.clone())
        .unwrap_or_default();
    assert_ne!(new_token, old_token);
    assert!(
        app.store.session(&old_token).await.ok().flatten().is_none(),
        "old session deleted"
    );
    let session = app
        .store
        .session(&new_token)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("new session"));
    assert_eq!(session.user.email, NATIONAL);
    let client = Client {
        name: NATIONAL,
        session: Some((new_token.clone(), session.csrf_token.clone())),
    };
    assert_eq!(app.get(&client, "/networks").await.status, 200);
    let out = app.send(&client, "POST", "/logout", Some(""), &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        app.get(&client, "/networks").await.status,
        303,
        "session gone"
    );
}

/// Failures slow further attempts down (per account and per client), but a
/// correct password still signs in: nobody can lock another person out by
/// failing on purpose. Successes count for nothing, so many people behind
/// one proxy never slow each other.
#[tokio::test]
async fn sign_in_is_slowed_after_failures_but_never_refuses_the_right_password() {
    let app = app_with(trama_web::Settings {
        login: trama_app::accounts::LoginSettings {
            free_failures: 2,
            first_delay: std::time::Duration::from_millis(20),
            max_delay: std::time::Duration::from_millis(80),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let anon = app.client(None).await;
    let attempt = |password: &str| {
        format!("email=regional%40demo.trama.cl&password={password}&next=%2Fnetworks")
    };
    for _ in 0..8 {
        let r = app
            .send(
                &anon,
                "POST",
                "/login",
                Some(&attempt("wrong-password")),
                &[],
            )
            .await;
        assert_eq!(
            r.status, 401,
            "a wrong password is refused, not rate limited"
        );
    }
    let started = std::time::Instant::now();
    let r = app
        .send(
            &anon,
            "POST",
            "/login",
            Some(&attempt(trama_store::demo::DEMO_PASSWORD)),
            &[],
        )
        .await;
    assert_eq!(
        r.status, 303,
        "the right password still signs in: {}",
        r.body
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(80),
        "after eight failures the attempt waited the longest delay"
    );
    // Twelve successful sign-ins in a row (one proxy, many people) are
    // never slowed or refused.
    for _ in 0..12 {
        let r = app
            .send(
                &anon,
                "POST",
                "/login",
                Some(&format!(
                    "email=nacional%40demo.trama.cl&password={}",
                    trama_store::demo::DEMO_PASSWORD
                )),
                &[],
            )
            .await;
        assert_eq!(r.status, 303);
    }
}

#[tokio::test]
async fn state_changes_need_the_csrf_token() {
    let app = app().await;
    let nat = app.client(Some(NATIONAL)).await;
    let form = "code=RMEZ&name=Red+Z&region_code=8&deprov_code=&year_formed=";
    let none = app
        .send(
            &nat,
            "POST",
            "/networks",
            Some(&format!("_csrf=&{form}")),
            &[],
        )
        .await;
    assert_eq!(none.status, 403);
    assert!(
        none.body.contains("El formulario expiró"),
        "explained in Spanish"
    );
    let wrong = app
        .send(
            &nat,
            "POST",
            "/networks",
            Some(&format!("_csrf={ANON_CSRF}&{form}")),
            &[],
        )
        .await;
    assert_eq!(
        wrong.status, 403,
        "the anonymous token is not the session's"
    );
    let right = app.send(&nat, "POST", "/networks", Some(form), &[]).await;
    assert_eq!(right.status, 303);
    // JSON with a session cookie sends the header (see below for without);
    // with a bearer token no header is needed.
    let json = app
        .send(
            &nat,
            "POST",
            "/api/v1/networks",
            Some(r#"{"code":"RMEV","name":"V","region_code":8}"#),
            &[],
        )
        .await;
    assert_eq!(json.status, 201);
    let user = app
        .store
        .user_by_email(NATIONAL)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("user"));
    let token = app
        .store
        .write(async |tx| tx.create_api_token(user.id, "t").await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let anon = app.client(None).await;
    let r = app
        .send(
            &anon,
            "POST",
            "/api/v1/networks",
            Some(r#"{"code":"RMEU","name":"U","region_code":8}"#),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let bad = app
        .send(
            &anon,
            "GET",
            "/api/v1/networks",
            None,
            &[("authorization", "Bearer trama_wrong")],
        )
        .await;
    assert_eq!(bad.status, 401);
}

#[tokio::test]
async fn api_session_writes_without_header_are_refused() {
    let app = app().await;
    let nat = app.client(Some(NATIONAL)).await;
    let (token, _) = nat.session.clone().unwrap_or_default();
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/networks")
        .header("cookie", format!("trama_session={token}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            r#"{"code":"RMET","name":"T","region_code":8}"#,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn language_follows_cookie_then_accept_language() {
    let app = app().await;
    let nat = app.client(Some(NATIONAL)).await;
    let es = app.get(&nat, "/networks").await;
    assert!(es.body.contains(r#"<html lang="es">"#) && es.body.contains("Redes"));
    let en = app
        .send(
            &nat,
            "GET",
            "/networks",
            None,
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    assert!(
        en.body.contains(r#"<html lang="en">"#) && en.body.contains("Networks"),
        "Accept-Language"
    );
    let switch = app
        .send(
            &nat,
            "POST",
            "/lang",
            Some("lang=en&next=%2Fnetworks%2FRME1"),
            &[],
        )
        .await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location(), "/networks/RME1");
    assert!(
        set_cookies(&switch)
            .iter()
            .any(|c| c.starts_with("trama_lang=en"))
    );
    // The choice is remembered on the account for the next sign-in.
    let user = app
        .store
        .user_by_email(NATIONAL)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("user"));
    assert_eq!(user.lang.as_deref(), Some("en"));
    let evil = app
        .send(
            &nat,
            "POST",
            "/lang",
            Some("lang=en&next=https%3A%2F%2Fevil.example"),
            &[],
        )
        .await;
    assert_eq!(evil.location(), "/", "no open redirect");
    let api = app
        .send(
            &nat,
            "GET",
            "/api/v1/networks/NOPE",
            None,
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(api.status, 404);
    assert!(api.body.contains("\"title\":\"Not found\""), "{}", api.body);
}

fn multipart(csrf: &str, kind: &str, file: &str, content: &str) -> (String, String) {
    let boundary = "XtramaBoundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n\
         --{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &App, client: &Client, kind: &str, file: &str, content: &str) -> Reply {
    let csrf = client
        .session
        .as_ref()
        .map(|s| s.1.clone())
        .unwrap_or_default();
    let (ctype, body) = multipart(&csrf, kind, file, content);
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/import")
        .header(
            "cookie",
            format!(
                "trama_session={}",
                client
                    .session
                    .as_ref()
                    .map(|s| s.0.clone())
                    .unwrap_or_default()
            ),
        )
        .header("content-type", ctype)
        .body(axum::body::Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        raw: bytes.to_vec(),
    }
}

#[tokio::test]
async fn web_import_previews_errors_by_line_and_column_then_confirms() {
    let app = app().await;
    let nat = app.client(Some(NATIONAL)).await;
    let bad = "RBD;NOM_RBD;COD_REG_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPE2;RURAL_RBD\n\
               500;Escuela Uno;8;8101;CONCEPCIÓN;1;0\n10A48;Escuela Dos;8;8101;CONCEPCIÓN;1;0\n";
    let r = upload(&app, &nat, "schools", "escuelas.csv", bad).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("escuelas.csv:3: RBD: &#34;10A48&#34; no es un número entero"),
        "{}",
        r.body
    );
    assert!(
        app.store
            .get_school(trama_domain::school::Rbd(500))
            .await
            .ok()
            .flatten()
            .is_none()
    );
    let good = bad.replace("10A48", "501");
    let r = upload(&app, &nat, "schools", "escuelas.csv", &good).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("2 insertados"), "{}", r.body);
    assert!(
        app.store
            .get_school(trama_domain::school::Rbd(500))
            .await
            .ok()
            .flatten()
            .is_none(),
        "preview writes nothing"
    );
    let id = r
        .body
        .split("/import/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_default()
        .to_owned();
    // Another coordinator cannot confirm someone else's upload.
    let other = app.client(Some(REGIONAL)).await;
    assert_eq!(
        app.send(
            &other,
            "POST",
            &format!("/import/{id}/confirm"),
            Some(""),
            &[]
        )
        .await
        .status,
        403
    );
    let done = app
        .send(
            &nat,
            "POST",
            &format!("/import/{id}/confirm"),
            Some(""),
            &[],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        app.store
            .get_school(trama_domain::school::Rbd(501))
            .await
            .ok()
            .flatten()
            .is_some()
    );
    // The same id cannot be confirmed twice.
    assert_eq!(
        app.send(
            &nat,
            "POST",
            &format!("/import/{id}/confirm"),
            Some(""),
            &[]
        )
        .await
        .status,
        404
    );
    // A network file pointing to an unknown school names the line.
    let r = upload(
        &app,
        &nat,
        "networks",
        "redes.csv",
        "network;rbd;from_year\nRME1;424242;2024\n",
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "redes.csv:2: rbd: &#34;424242&#34; no existe un establecimiento con ese RBD"
        ),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn api_bodies_of_the_wrong_shape_get_problem_details() {
    let app = app().await;
    let nat = app.client(Some(NATIONAL)).await;
    let r = app
        .send(
            &nat,
            "POST",
            "/api/v1/networks",
            Some(r#"{"code":"X1","name":"X","region_code":"ocho"}"#),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert!(
        r.body.contains("region_code"),
        "names the member: {}",
        r.body
    );
    let r = app
        .send(
            &nat,
            "POST",
            "/api/v1/networks",
            Some(r#"{"code":"X 1","name":"","region_code":99}"#),
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let fields: Vec<_> = v["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["code", "name", "region_code"]);
    let r = app
        .send(
            &nat,
            "POST",
            "/api/v1/people",
            Some(r#"{"name":"A","email":"no-es-correo"}"#),
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("no es un correo electrónico válido"));
    let form = app
        .send(
            &nat,
            "POST",
            "/people",
            Some("name=&email=malo&national_id="),
            &[],
        )
        .await;
    assert_eq!(form.status, 422);
    assert!(
        form.body.contains("aria-invalid=\"true\"")
            && form.body.contains("no es un correo electrónico válido")
    );
}

#[tokio::test]
async fn openapi_describes_the_registry() {
    let app = app().await;
    let anon = app.client(None).await;
    let r = app.get(&anon, "/api/v1/openapi.json").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    assert!(v["openapi"].as_str().unwrap_or_default().starts_with("3.1"));
    for path in [
        "/api/v1/networks",
        "/api/v1/networks/{network}",
        "/api/v1/schools",
        "/api/v1/people/{person}",
        "/api/v1/regions",
    ] {
        assert!(v["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(v["components"]["securitySchemes"].get("bearer").is_some());
}
