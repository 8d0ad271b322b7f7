//! The session's timing over real sockets, with a clock the test moves forward (no real
//! waiting): heartbeats and a missed one, a refused subscription, the rollover before an
//! hour, the token refresh, and automatic receipts and typing by ChatJS's rules.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::{client, creations, reporting_server, rest_server, Reports, Script};
use connectparticipant_chat::{ChatSession, ManualClock, SessionEvent};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The next report of the WebSocket server, within 5 s of real time.
async fn report(reports: &mut Reports) -> (usize, &'static str) {
    tokio::time::timeout(Duration::from_secs(5), reports.recv())
        .await
        .expect("the server reported within 5 s")
        .expect("the server is running")
}

async fn event(session: &mut ChatSession) -> SessionEvent {
    tokio::time::timeout(Duration::from_secs(5), session.next_event())
        .await
        .expect("an event within 5 s")
        .expect("the session is running")
}

/// Lets the session read what the server just sent (an answered heartbeat).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

/// A session on a manual clock, connected to a server playing `scripts`.
async fn started(scripts: Vec<Script>) -> (ChatSession, Arc<ManualClock>, Reports, MockServer) {
    let (url, mut reports) = reporting_server(scripts).await;
    let rest = rest_server(&url).await;
    let clock = Arc::new(ManualClock::new());
    let mut session =
        ChatSession::start_with_clock(&client(&rest), "participant-token", clock.clone());
    assert_eq!(report(&mut reports).await, (0, "accepted"));
    assert_eq!(event(&mut session).await, SessionEvent::Connected);
    (session, clock, reports, rest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_every_ten_seconds_and_a_missed_one_reconnects() {
    let (mut session, clock, mut reports, rest) = started(vec![
        Script::Serve {
            answer_heartbeats: false,
        },
        Script::Serve {
            answer_heartbeats: true,
        },
    ])
    .await;

    clock.advance(Duration::from_secs(10));
    assert_eq!(report(&mut reports).await, (0, "heartbeat"));
    // Unanswered at the next tick: the socket is dead.
    clock.advance(Duration::from_secs(10));
    assert_eq!(event(&mut session).await, SessionEvent::ConnectionLost);
    assert_eq!(report(&mut reports).await, (0, "closed"));
    // Reconnection after 2 s of backoff (the URL is 22 s old: opened again).
    clock.advance(Duration::from_secs(2));
    assert_eq!(report(&mut reports).await, (1, "accepted"));
    assert_eq!(event(&mut session).await, SessionEvent::ConnectionRestored);
    assert_eq!(creations(&rest.received_requests().await.unwrap()), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_subscription_is_tried_again_on_a_new_socket() {
    let (url, mut reports) = reporting_server(vec![
        Script::Refuse,
        Script::Serve {
            answer_heartbeats: true,
        },
    ])
    .await;
    let rest = rest_server(&url).await;
    let clock = Arc::new(ManualClock::new());
    let mut session =
        ChatSession::start_with_clock(&client(&rest), "participant-token", clock.clone());
    assert_eq!(report(&mut reports).await, (0, "accepted"));
    assert_eq!(report(&mut reports).await, (0, "closed"));
    clock.advance(Duration::from_secs(2));
    assert_eq!(report(&mut reports).await, (1, "accepted"));
    assert_eq!(event(&mut session).await, SessionEvent::Connected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_socket_rolls_over_before_an_hour_without_losing_the_connection() {
    let (mut session, clock, mut reports, rest) = started(vec![
        Script::Serve {
            answer_heartbeats: true,
        },
        Script::Serve {
            answer_heartbeats: true,
        },
    ])
    .await;

    clock.advance(Duration::from_secs(58 * 60));
    assert_eq!(report(&mut reports).await, (0, "heartbeat"));
    settle().await;
    // At 59 minutes: a new connection, a new socket, then the old one closes.
    clock.advance(Duration::from_secs(60));
    let mut seen = Vec::new();
    while !seen.contains(&(0, "closed")) {
        seen.push(report(&mut reports).await);
    }
    assert!(seen.contains(&(1, "accepted")), "{seen:?}");
    assert_eq!(creations(&rest.received_requests().await.unwrap()), 2);
    // No loss was seen by the user.
    let quiet = tokio::time::timeout(Duration::from_millis(200), session.next_event()).await;
    assert!(quiet.is_err(), "unexpected event: {quiet:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_refreshed_a_minute_before_it_expires() {
    let (url, mut reports) = reporting_server(vec![Script::Serve {
        answer_heartbeats: true,
    }])
    .await;
    let rest = MockServer::start().await;
    let expiry = awsgen_runtime::DateTime::from_secs(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 600,
    )
    .to_iso8601();
    for token in ["connection-token-1", "connection-token-2"] {
        Mock::given(method("POST"))
            .and(path("/participant/connection"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "Websocket": {"Url": url},
                "ConnectionCredentials": {"ConnectionToken": token, "Expiry": expiry}
            })))
            .up_to_n_times(1)
            .mount(&rest)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(header("x-amz-bearer", "connection-token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "m-2"})))
        .mount(&rest)
        .await;
    let clock = Arc::new(ManualClock::new());
    let mut session =
        ChatSession::start_with_clock(&client(&rest), "participant-token", clock.clone());
    assert_eq!(report(&mut reports).await, (0, "accepted"));
    assert_eq!(event(&mut session).await, SessionEvent::Connected);

    clock.advance(Duration::from_secs(530));
    assert_eq!(report(&mut reports).await, (0, "heartbeat"));
    settle().await;
    assert_eq!(creations(&rest.received_requests().await.unwrap()), 1);
    clock.advance(Duration::from_secs(10));
    // 540 s: a minute before the expiry, the token is refreshed on the same socket.
    for _ in 0..100 {
        if creations(&rest.received_requests().await.unwrap()) == 2 {
            break;
        }
        settle().await;
    }
    assert_eq!(creations(&rest.received_requests().await.unwrap()), 2);
    settle().await;
    assert_eq!(
        session
            .send_message("text/plain", "still here")
            .await
            .unwrap()
            .as_deref(),
        Some("m-2")
    );
    // The socket stayed: nothing else was accepted or closed.
    assert_eq!(report(&mut reports).await, (0, "heartbeat"));
}

/// The receipts and typing events the REST mock received: (content type's last part,
/// message id).
async fn events_sent(rest: &MockServer) -> Vec<(String, String)> {
    rest.received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/participant/event")
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            let kind = body["ContentType"].as_str().unwrap_or_default();
            let kind = kind.rsplit('.').next().unwrap_or_default().to_owned();
            let content: serde_json::Value =
                serde_json::from_str(body["Content"].as_str().unwrap_or("{}")).unwrap_or_default();
            (
                kind,
                content["messageId"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Waits (real time, up to 5 s) until the REST mock has received `n` events.
async fn until_sent(rest: &MockServer, n: usize) -> Vec<(String, String)> {
    for _ in 0..100 {
        let sent = events_sent(rest).await;
        if sent.len() >= n {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    events_sent(rest).await
}

fn message_from(id: &str, participant: &str) -> tokio_websockets::Message {
    let item = json!({
        "Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": "hi",
        "ParticipantId": participant, "AbsoluteTime": "2026-12-01T12:00:01.000Z",
    });
    tokio_websockets::Message::text(
        json!({"topic": "aws/chat", "content": item.to_string()}).to_string(),
    )
}

/// With automatic receipts on: a delivered receipt for the others' message after
/// 300 ms, none for this participant's own; the read receipt at the end of the 5 s
/// window; one typing event per 10 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_receipts_and_typing_follow_chatjs_rules() {
    let (url, mut reports) = reporting_server(vec![Script::ServeAfter(vec![
        message_from("m1", "agent-1"),
        message_from("own-1", "me"),
    ])])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/event"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&rest)
        .await;
    let clock = Arc::new(ManualClock::new());
    let mut session = ChatSession::builder(&client(&rest), "participant-token")
        .clock(clock.clone())
        .automatic_receipts(true)
        .participant_id("me")
        .start();
    assert_eq!(report(&mut reports).await, (0, "accepted"));
    assert_eq!(event(&mut session).await, SessionEvent::Connected);
    for _ in 0..2 {
        assert!(matches!(event(&mut session).await, SessionEvent::Chat(_)));
    }
    settle().await;
    assert!(events_sent(&rest).await.is_empty(), "held 300 ms");
    clock.advance(Duration::from_millis(300));
    assert_eq!(
        until_sent(&rest, 1).await,
        [("delivered".to_owned(), "m1".to_owned())],
        "for the agent's message only"
    );
    session.mark_read("m1");
    settle().await;
    assert_eq!(events_sent(&rest).await.len(), 1, "inside the 5 s window");
    clock.advance(Duration::from_secs(5));
    assert_eq!(
        until_sent(&rest, 2).await[1],
        ("read".to_owned(), "m1".to_owned())
    );
    assert!(session.typing().await.unwrap());
    assert!(!session.typing().await.unwrap(), "one per 10 s");
    clock.advance(Duration::from_secs(10));
    assert!(session.typing().await.unwrap());
    let sent = until_sent(&rest, 4).await;
    assert_eq!(
        sent.iter().filter(|(kind, _)| kind == "typing").count(),
        2,
        "{sent:?}"
    );
}
