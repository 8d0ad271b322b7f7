//! Proxy environment variables are ignored, as the client ignores them: with every one
//! of them pointing at a recording proxy, a session's REST calls, WebSocket and
//! attachment transfer go directly. (A file of its own: it sets the process's
//! environment.)

mod common;

use std::time::Duration;

use common::{client, rest_server, websocket_server, Script};
use connectparticipant_chat::{ChatSession, SessionEvent};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxy_environment_variables_are_ignored() {
    let (proxy, lines) = common::proxy().await;
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        std::env::set_var(name, &proxy);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let (url, _ended) = websocket_server(vec![Script::SendThenWait(Vec::new())]).await;
    let rest = rest_server(&url).await;
    Mock::given(method("POST"))
        .and(path("/participant/attachment"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Url": format!("{}/bucket/file?X-Amz-Signature=s", rest.uri()), "AttachmentSizeInBytes": 2
        })))
        .mount(&rest)
        .await;
    Mock::given(method("GET"))
        .and(path("/bucket/file"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"hi".to_vec()))
        .mount(&rest)
        .await;
    let mut session = ChatSession::start(&client(&rest), "participant-token");
    let first = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
    assert_eq!(first.unwrap(), Some(SessionEvent::Connected));
    assert_eq!(session.download("a1").await.unwrap(), b"hi");
    assert_eq!(
        lines.lock().unwrap().len(),
        0,
        "{:?}",
        lines.lock().unwrap()
    );
}
