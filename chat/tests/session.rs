//! A chat session against local mocks of both halves on 127.0.0.1: the REST API
//! (wiremock) and the WebSocket (a tokio-websockets server). It subscribes, receives,
//! sends, survives a dropped socket (reconnecting, the transcript filling the gap without
//! duplicates) and ends on `chat.ended`; a dropped session closes its socket.

mod common;

use std::time::Duration;

use common::{chat_frame, client, creations, rest_server, websocket_server, Script};
use connectparticipant_chat::{ChatEvent, EVENT_CONTENT_TYPE};
use connectparticipant_chat::{ChatSession, SessionEvent};

/// The ids (or names) of the next `n` events.
async fn next(session: &mut ChatSession, n: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..n {
        let event = tokio::time::timeout(Duration::from_secs(15), session.next_event())
            .await
            .expect("an event within 15 s");
        seen.push(match event {
            Some(SessionEvent::Chat(event)) => {
                let kind = match event.event {
                    ChatEvent::Message(_) => "message",
                    ChatEvent::ChatEnded(_) => "ended",
                    _ => "other",
                };
                format!("{kind}:{}", event.item().id().unwrap_or("?"))
            }
            Some(other) => format!("{other:?}"),
            None => "None".to_owned(),
        });
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_survives_a_dropped_socket_and_ends_with_the_chat() {
    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let (url, _ended) = websocket_server(vec![
        Script::SendThenDrop(vec![chat_frame("m1", 1, "text/plain", "hello")]),
        Script::SendThenWait(vec![
            // Replayed after the reconnect: not shown again.
            chat_frame("m1", 1, "text/plain", "hello"),
            chat_frame("e1", 9, &ended, ""),
        ]),
    ])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");

    assert_eq!(next(&mut session, 2).await, ["Connected", "message:m1"]);
    assert_eq!(
        session
            .send_message("text/plain", "hi!")
            .await
            .unwrap()
            .as_deref(),
        Some("sent-1")
    );
    // The server dropped the socket; after 2 s the session is back, and the transcript
    // brings what was said meanwhile (and nothing twice).
    assert_eq!(
        next(&mut session, 3).await,
        ["ConnectionLost", "ConnectionRestored", "message:m2"]
    );
    assert_eq!(
        next(&mut session, 3).await,
        ["ended:e1", "Ended(ChatEnded)", "None"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_session_closes_its_socket() {
    let (url, mut ended) = websocket_server(vec![Script::SendThenWait(vec![chat_frame(
        "m1",
        1,
        "text/plain",
        "hello",
    )])])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 2).await, ["Connected", "message:m1"]);
    drop(session);
    let closed = tokio::time::timeout(Duration::from_secs(5), ended.recv()).await;
    assert_eq!(closed.expect("the socket closed within 5 s"), Some(0));
}

/// A frame over the 256 KiB limit is never read into memory: the socket is dropped as
/// broken and the session reconnects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_frame_breaks_the_socket_not_the_session() {
    let huge = chat_frame("big", 2, "text/plain", &"x".repeat(300 * 1024));
    let (url, _ended) = websocket_server(vec![
        Script::SendThenWait(vec![huge]),
        Script::SendThenWait(Vec::new()),
    ])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(
        next(&mut session, 5).await,
        [
            "Connected",
            "ConnectionLost",
            "ConnectionRestored",
            "message:m1",
            "message:m2"
        ]
    );
}

/// A streamed reply sends chunks under one `Id`: each chunk updates the message; the same
/// chunk again changes nothing. Read here through the session's `Stream`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chunks_under_one_id_update_the_message_and_repeats_are_dropped() {
    use futures_util::StreamExt;

    let (url, _ended) = websocket_server(vec![Script::SendThenWait(vec![
        chat_frame("bot-1", 1, "text/plain", "Hel"),
        chat_frame("bot-1", 1, "text/plain", "Hello, how can"),
        chat_frame("bot-1", 1, "text/plain", "Hello, how can"),
        chat_frame("bot-1", 1, "text/plain", "Hello, how can I help?"),
    ])])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    let mut contents = Vec::new();
    while contents.len() < 4 {
        let event = tokio::time::timeout(Duration::from_secs(10), session.next())
            .await
            .expect("an event within 10 s")
            .expect("the session is running");
        contents.push(match event {
            SessionEvent::Chat(event) => event.item().content().unwrap_or_default().to_owned(),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(
        contents,
        [
            "Connected",
            "Hel",
            "Hello, how can",
            "Hello, how can I help?"
        ]
    );
}

/// A send that failed is sent again with its `ClientToken` (the one its error gives), so
/// that the service, which deduplicates by it, keeps the message once; a new send gets a
/// token of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_send_is_resent_with_the_same_client_token() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let (url, _ended) = websocket_server(vec![Script::SendThenWait(vec![])]).await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&rest)
        .await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 1).await, ["Connected"]);

    let failed = session
        .send_message("text/plain", "hi!")
        .await
        .expect_err("the first send is answered 500");
    let token = failed
        .client_token()
        .expect("a failed send names its token")
        .to_owned();
    let sent = session
        .resend_message(&token, "text/plain", "hi!")
        .await
        .expect("the resend is answered");
    assert_eq!(sent.as_deref(), Some("sent-1"));
    session.send_message("text/plain", "next").await.unwrap();

    let tokens: Vec<String> = rest
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/participant/message")
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body["ClientToken"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 3, "{tokens:?}");
    assert_eq!(tokens[0], token);
    assert_eq!(
        tokens[1], token,
        "the resend carries the failed send's token"
    );
    assert_ne!(tokens[2], token, "a new send has a token of its own");
    assert_eq!(tokens[2].len(), 36, "a UUID");
}

/// A send that failed while the socket was being lost is resent after the reconnect with
/// its token; the service keeps one message, and its echo (twice on the new socket) is
/// shown once among what the gap fill brings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_failed_across_a_reconnect_is_resent_and_its_echo_shown_once() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let echo = || chat_frame("sent-1", 3, "text/plain", "hi!");
    let (url, _ended) = websocket_server(vec![
        Script::SendThenDrop(vec![]),
        Script::Paced(
            vec![echo(), echo(), chat_frame("e1", 9, &ended, "")],
            Duration::from_millis(300),
        ),
    ])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&rest)
        .await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 2).await, ["Connected", "ConnectionLost"]);
    let failed = session
        .send_message("text/plain", "hi!")
        .await
        .expect_err("the send is answered 500");
    let token = failed.client_token().expect("its token").to_owned();
    assert_eq!(next(&mut session, 1).await, ["ConnectionRestored"]);
    let sent = session
        .resend_message(&token, "text/plain", "hi!")
        .await
        .expect("the resend is answered");
    assert_eq!(sent.as_deref(), Some("sent-1"));

    let mut rest_of_chat = Vec::new();
    while rest_of_chat.last().map(String::as_str) != Some("None") {
        rest_of_chat.extend(next(&mut session, 1).await);
    }
    let echoes = rest_of_chat
        .iter()
        .filter(|e| *e == "message:sent-1")
        .count();
    assert_eq!(echoes, 1, "{rest_of_chat:?}");
    assert!(
        rest_of_chat.contains(&"message:m2".to_owned()),
        "the gap is filled: {rest_of_chat:?}"
    );
    let tokens: Vec<String> = rest
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/participant/message")
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            body["ClientToken"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(
        tokens,
        [token.clone(), token],
        "one token across the reconnect"
    );
}

/// `disconnect()` leaves the chat and keeps delivering what it still sends (a post-chat
/// survey) until `chat.ended`; `close()` stops at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disconnect_delivers_the_post_chat_messages_until_chat_ended() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let ended = format!("{EVENT_CONTENT_TYPE}chat.ended");
    let (url, mut closed) = websocket_server(vec![Script::Paced(
        vec![
            chat_frame("survey-1", 4, "text/plain", "How did we do?"),
            chat_frame("e1", 5, &ended, ""),
        ],
        Duration::from_millis(500),
    )])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/disconnect"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&rest)
        .await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 1).await, ["Connected"]);
    session.disconnect().await.expect("left the chat");
    let mut after = Vec::new();
    while after.last().map(String::as_str) != Some("None") {
        after.extend(next(&mut session, 1).await);
    }
    let end = after.iter().position(|e| e == "Ended(Disconnected)");
    let survey = after.iter().position(|e| e == "message:survey-1");
    assert!(
        survey.is_some() && survey < end,
        "the survey comes before the end: {after:?}"
    );
    assert!(after.contains(&"ended:e1".to_owned()), "{after:?}");
    tokio::time::timeout(Duration::from_secs(5), closed.recv())
        .await
        .expect("the socket is closed");
    rest.verify().await;

    // close(): no leaving, the socket closes at once.
    let (url, mut closed) = websocket_server(vec![Script::SendThenWait(vec![])]).await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 1).await, ["Connected"]);
    session.close();
    tokio::time::timeout(Duration::from_secs(5), closed.recv())
        .await
        .expect("the socket is closed at once");
    let requests = rest.received_requests().await.unwrap();
    assert!(
        !requests
            .iter()
            .any(|r| r.url.path() == "/participant/disconnect"),
        "close does not leave the chat"
    );
}

/// Each chat update says whose it is: the echo of a message this session sent is its
/// own, and so, from then on, is anything else from the same participant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_say_which_messages_are_this_participants_own() {
    let from = |id: &str, participant: &str| {
        let item = serde_json::json!({
            "Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": id,
            "ParticipantId": participant, "AbsoluteTime": "2026-12-01T12:00:05.000Z",
        });
        tokio_websockets::Message::text(
            serde_json::json!({"topic": "aws/chat", "content": item.to_string()}).to_string(),
        )
    };
    let (url, _ended) = websocket_server(vec![Script::Paced(
        vec![
            from("sent-1", "me"),
            from("other-device", "me"),
            from("agent-1", "agent"),
        ],
        Duration::from_millis(400),
    )])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 1).await, ["Connected"]);
    session.send_message("text/plain", "sent-1").await.unwrap();
    let mut own = Vec::new();
    while own.len() < 3 {
        let event = tokio::time::timeout(Duration::from_secs(10), session.next_event())
            .await
            .expect("an event");
        if let Some(SessionEvent::Chat(update)) = event {
            own.push((update.item().id().unwrap_or("?").to_owned(), update.own));
        }
    }
    let expected = [("sent-1", true), ("other-device", true), ("agent-1", false)];
    let expected: Vec<(String, bool)> = expected
        .iter()
        .map(|(id, own)| ((*id).to_owned(), *own))
        .collect();
    assert_eq!(own, expected);
}

/// Scrolling back: `history` reads older items backward from the oldest the session has;
/// they come placed in time, from `Source::History`, none twice; a previous contact's
/// transcript (a persistent chat) pages the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_pages_older_items_into_the_same_chat() {
    use connectparticipant_chat::{ChatUpdate, Source};
    use wiremock::matchers::{body_partial_json, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let item = |id: &str, second: u32| {
        serde_json::json!({"Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": id,
               "AbsoluteTime": format!("2026-12-01T11:59:{second:02}.000Z")})
    };
    let (url, _ended) = websocket_server(vec![Script::SendThenWait(vec![chat_frame(
        "m1",
        1,
        "text/plain",
        "hello",
    )])])
    .await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .and(body_partial_json(serde_json::json!({
            "ScanDirection": "BACKWARD", "StartPosition": {"Id": "m1"}, "MaxResults": 2
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            // The start position comes back too: not shown again.
            "Transcript": [item("h1", 10), item("h2", 20), {"Id": "m1", "Type": "MESSAGE",
                "ContentType": "text/plain", "Content": "hello",
                "AbsoluteTime": "2026-12-01T12:00:01.000Z"}]
        })))
        .with_priority(1)
        .mount(&rest)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .and(body_partial_json(
            serde_json::json!({"ContactId": "previous-contact"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Transcript": [item("p1", 1)], "NextToken": "page-2"
        })))
        .with_priority(1)
        .mount(&rest)
        .await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 2).await, ["Connected", "message:m1"]);

    assert_eq!(session.history(2).await.unwrap(), 3);
    let mut older: Vec<Box<ChatUpdate>> = Vec::new();
    while older.len() < 2 {
        let event = tokio::time::timeout(Duration::from_secs(5), session.next_event()).await;
        if let Ok(Some(SessionEvent::Chat(update))) = event {
            older.push(update);
        }
    }
    let placed: Vec<(&str, Option<&str>, Source)> = older
        .iter()
        .map(|u| (u.item().id().unwrap(), u.after.as_deref(), u.source))
        .collect();
    assert_eq!(
        placed,
        [
            ("h1", None, Source::History),
            ("h2", Some("h1"), Source::History)
        ]
    );
    let again = tokio::time::timeout(Duration::from_millis(300), session.next_event()).await;
    assert!(again.is_err(), "m1 is not shown twice: {again:?}");

    let next_page = session
        .contact_history("previous-contact", None, 10)
        .await
        .unwrap();
    assert_eq!(next_page.as_deref(), Some("page-2"));
    let event = tokio::time::timeout(Duration::from_secs(5), session.next_event())
        .await
        .unwrap();
    let Some(SessionEvent::Chat(update)) = event else {
        panic!("{event:?}")
    };
    assert_eq!(
        (update.item().id(), update.after.as_deref()),
        (Some("p1"), None)
    );
}

/// A connection provider stands in for `CreateParticipantConnection` (a backend of the
/// application's own); its refusal ends the session as the service's would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_provider_replaces_create_participant_connection() {
    use connectparticipant_chat::{EndReason, Failure, ProvidedConnection, ProviderError};

    let (url, _ended) = websocket_server(vec![Script::SendThenWait(vec![chat_frame(
        "m1",
        1,
        "text/plain",
        "hello",
    )])])
    .await;
    let rest = rest_server(&url).await;
    let provider = move || {
        let url = url.clone();
        async move {
            Ok(ProvidedConnection {
                url,
                token: "connection-token".into(),
                expiry: None,
            })
        }
    };
    let mut session = ChatSession::builder(&client(&rest), "unused-participant-token")
        .connection_provider(provider)
        .start();
    assert_eq!(next(&mut session, 2).await, ["Connected", "message:m1"]);
    session.send_message("text/plain", "hi").await.unwrap();
    let requests = rest.received_requests().await.unwrap();
    assert_eq!(creations(&requests), 0, "the provider gave the connection");

    let refusing = || async {
        Err::<ProvidedConnection, _>(ProviderError {
            kind: Failure::Refused,
            message: "not this participant".into(),
        })
    };
    let mut session = ChatSession::builder(&client(&rest), "t")
        .connection_provider(refusing)
        .start();
    let event = tokio::time::timeout(Duration::from_secs(5), session.next_event())
        .await
        .unwrap();
    let Some(SessionEvent::Ended(EndReason::TokenRefused(why))) = event else {
        panic!("{event:?}")
    };
    assert!(why.contains("not this participant"), "{why}");
}

/// Suspended (a mobile app in the background), the session closes its socket; resumed,
/// it reconnects and the transcript fills the gap. For failover, a session is started
/// against another region's client with the same participant token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_suspends_resumes_and_fails_over_to_another_region() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let (url, mut closed) = websocket_server(vec![
        Script::SendThenWait(vec![chat_frame("m1", 1, "text/plain", "hello")]),
        Script::SendThenWait(vec![]),
    ])
    .await;
    let rest = rest_server(&url).await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    assert_eq!(next(&mut session, 2).await, ["Connected", "message:m1"]);
    session.suspend();
    tokio::time::timeout(Duration::from_secs(5), closed.recv())
        .await
        .expect("the socket closes when suspended");
    session.resume();
    assert_eq!(
        next(&mut session, 2).await,
        ["ConnectionRestored", "message:m2"],
        "reconnected, and the gap filled"
    );

    // Failover: the primary region refuses the join; the same token joins through a
    // client of another region.
    let primary = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/participant/connection"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&primary)
        .await;
    let mut session = ChatSession::start(&client(&primary), "participant-token");
    let event = tokio::time::timeout(Duration::from_secs(5), session.next_event())
        .await
        .unwrap();
    assert!(matches!(event, Some(SessionEvent::Ended(_))), "{event:?}");
    let (url, _ended) = websocket_server(vec![Script::SendThenWait(vec![])]).await;
    let replica = rest_server(&url).await;
    let config = connectparticipant::Config::builder()
        .region("us-west-2")
        .endpoint_url(replica.uri())
        .max_attempts(1)
        .build()
        .unwrap();
    let other_region = connectparticipant::Client::new(&config).unwrap();
    let mut session = ChatSession::start(&other_region, "participant-token");
    assert_eq!(next(&mut session, 1).await, ["Connected"]);
}
