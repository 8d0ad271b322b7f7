//! The headers the AWS SDKs send with every call, read off a local server: who is
//! calling (`User-Agent`, `x-amz-user-agent`, with an optional app id), one invocation id
//! per call (the same on every attempt) and `amz-sdk-request: attempt=N; max=M`.

use std::time::Duration;

use connectparticipant::{Client, Config};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn header<'r>(request: &'r Request, name: &str) -> &'r str {
    request
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

async fn send(client: &Client) {
    client
        .send_message()
        .connection_token("token")
        .content_type("text/plain")
        .content("hi")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn user_agent_invocation_id_and_attempt_headers() {
    let server = MockServer::start().await;
    // The first call fails twice with a retryable error, then succeeds; the second call
    // succeeds at once.
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"Id":"m-1"}"#))
        .mount(&server)
        .await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .app_id("chat-bot_v2")
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let client = Client::new(&config).unwrap();
    send(&client).await;
    send(&client).await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);

    let version = env!("CARGO_PKG_VERSION"); // the workspace's crates share 0.1.0
    let user_agent = header(&requests[0], "user-agent");
    assert!(
        user_agent.starts_with(&format!(
            "awsgen/{version} connectparticipant/{version} os/"
        )),
        "{user_agent}"
    );
    assert!(user_agent.contains(" lang/rust#1."), "{user_agent}");
    assert!(user_agent.ends_with(" app/chat-bot_v2"), "{user_agent}");
    let amz = header(&requests[0], "x-amz-user-agent");
    assert!(
        amz.starts_with(&format!(
            "awsgen/{version} ua/2.1 api/connectparticipant#{version} os/"
        )),
        "{amz}"
    );
    assert!(amz.ends_with(" app/chat-bot_v2"), "{amz}");

    let ids: Vec<&str> = requests
        .iter()
        .map(|r| header(r, "amz-sdk-invocation-id"))
        .collect();
    assert_eq!(ids[0], ids[1], "the same call keeps its id");
    assert_eq!(ids[1], ids[2]);
    assert_ne!(ids[2], ids[3], "each call has its own id");
    assert_eq!(ids[0].len(), 36);

    let attempts: Vec<&str> = requests
        .iter()
        .map(|r| header(r, "amz-sdk-request"))
        .collect();
    assert_eq!(
        attempts,
        [
            "attempt=1; max=3",
            "attempt=2; max=3",
            "attempt=3; max=3",
            "attempt=1; max=3"
        ]
    );
}

#[test]
fn the_app_id_comes_from_the_environment_and_is_checked() {
    let vars = |app: &str| {
        vec![
            ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
            ("AWS_SDK_UA_APP_ID".to_owned(), app.to_owned()),
        ]
    };
    let config = Config::from_vars(vars("my-app")).build().unwrap();
    assert_eq!(config.app_id(), Some("my-app"));
    for bad in ["has space", "new\nline", "é", &"x".repeat(51)] {
        let error = Config::from_vars(vars(bad))
            .build()
            .unwrap_err()
            .to_string();
        assert!(error.contains("AWS_SDK_UA_APP_ID"), "{error}");
    }
    // The builder's value is checked the same way.
    let error = Config::builder()
        .region("us-east-1")
        .app_id("a/b")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("app id"), "{error}");
    // Without one, the user agent has no app part.
    assert_eq!(
        Config::builder()
            .region("us-east-1")
            .build()
            .unwrap()
            .app_id(),
        None
    );
}
