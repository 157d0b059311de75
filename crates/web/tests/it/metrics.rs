//! `/metrics`: who may read it, and that what it reports is true without
//! carrying a personal link.

use crate::common::*;
use trama_web::{MetricsAccess, Settings};

const TOKEN: &str = "scrape-token-for-tests";

fn value(body: &str, series: &str) -> Option<f64> {
    body.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_saves_and_messages_by_route_template_for_the_token_only() {
    let app = app_with(Settings {
        metrics: MetricsAccess {
            allow: vec![],
            token: Some(TOKEN.into()),
        },
        ..Default::default()
    })
    .await;
    let (campaign, links) = open_campaign(&app, "metrics-1", &["RME1"]).await;
    let anon = app.client(None).await;
    let national = app.client(Some(NATIONAL)).await;
    let link = &links[0];
    for _ in 0..2 {
        let r = app
            .send(
                &anon,
                "POST",
                &format!("{link}/p/1"),
                Some("rol=director&anos_red=4&_nav=next"),
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }

    // No token: refused, whoever asks (a national coordinator included).
    for client in [&anon, &national] {
        let r = app.get(client, "/metrics").await;
        assert_eq!(r.status, 403);
        assert!(!r.body.contains("trama_"), "{}", r.body);
    }
    let wrong = app
        .send(
            &anon,
            "GET",
            "/metrics",
            None,
            &[("authorization", "Bearer nope")],
        )
        .await;
    assert_eq!(wrong.status, 403);

    let bearer = format!("Bearer {TOKEN}");
    let r = app
        .send(
            &anon,
            "GET",
            "/metrics",
            None,
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let content_type = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(r.body.trim_end().ends_with("# EOF"), "{}", r.body);

    assert_eq!(
        value(
            &r.body,
            "trama_http_requests_total{method=\"POST\",route=\"/r/{token}/p/{page}\",status=\"303\"}"
        ),
        Some(2.0),
        "{}",
        r.body
    );
    assert_eq!(
        value(
            &r.body,
            "trama_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"403\"}"
        ),
        Some(3.0),
        "{}",
        r.body
    );
    assert_eq!(value(&r.body, "trama_answer_pages_saved_total"), Some(2.0));
    assert!(
        r.body
            .contains("trama_http_request_duration_seconds_bucket{le=\"+Inf\",method=\"POST\",route=\"/r/{token}/p/{page}\"} 2")
            || r.body.contains("trama_http_request_duration_seconds_count{method=\"POST\",route=\"/r/{token}/p/{page}\"} 2"),
        "{}",
        r.body
    );

    // The queue as the database holds it (the invitations were handed
    // over from the outbox, so they count as sent).
    let counts = app.store.message_counts(campaign).await.unwrap_or_default();
    assert!(
        counts.iter().map(|(_, n)| n).sum::<i64>() >= 5,
        "{counts:?}"
    );
    for (status, n) in counts {
        assert_eq!(
            value(&r.body, &format!("trama_messages{{status=\"{status}\"}}")),
            Some(n as f64),
            "{status}: {}",
            r.body
        );
    }
    assert_eq!(value(&r.body, "trama_worker_lag_seconds"), Some(0.0));
    assert_eq!(value(&r.body, "trama_reminder_runs_due"), Some(0.0));
    assert_eq!(value(&r.body, "trama_reminder_lag_seconds"), Some(0.0));
    assert!(value(&r.body, "trama_db_pool_max_connections").is_some_and(|n| n >= 1.0));

    // No personal link reaches the monitoring system.
    let token = link.trim_start_matches("/r/");
    assert!(!r.body.contains(token), "a personal link in the metrics");

    // A status that no message has any more is no longer reported: every
    // message back in the queue leaves no "sent" from the scrape before.
    let moved = trama_store::testing::requeue_messages(&app.store, campaign, trama_store::now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let again = app
        .send(
            &anon,
            "GET",
            "/metrics",
            None,
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(
        value(&again.body, "trama_messages{status=\"sent\"}"),
        None,
        "{}",
        again.body
    );
    assert_eq!(
        value(&again.body, "trama_messages{status=\"queued\"}"),
        Some(moved as f64),
        "{}",
        again.body
    );
}

async fn queue_stats(app: &App, now: i64) -> trama_store::campaigns::mail_queue::QueueStats {
    app.store
        .queue_stats(now)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_queued_message_past_due_shows_as_worker_lag() {
    let app = app().await;
    let (campaign, _) = open_campaign(&app, "metrics-2", &["RME1"]).await;
    // Make the outbox a queue that fell ten minutes behind.
    let now = trama_store::now();
    trama_store::testing::requeue_messages(&app.store, campaign, now - 600)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stats = queue_stats(&app, now).await;
    assert!((600..610).contains(&stats.oldest_due_secs), "{stats:?}");
    assert!(
        stats
            .by_status
            .iter()
            .any(|(s, n)| s == "queued" && *n >= 5)
    );
    assert_eq!(
        (stats.reminder_runs_due, stats.oldest_reminder_run_secs),
        (0, 0)
    );

    // A reminder run due five minutes ago and not done (a worker holds it,
    // or none has run since) is lag as well, until it is finished.
    app.store
        .start_reminder_run(campaign, now - 300)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stats = queue_stats(&app, now).await;
    assert_eq!(
        (stats.reminder_runs_due, stats.oldest_reminder_run_secs),
        (1, 300),
        "{stats:?}"
    );
    app.store
        .finish_reminder_run(campaign, now - 300)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let stats = queue_stats(&app, now).await;
    assert_eq!(stats.reminder_runs_due, 0, "{stats:?}");
}
