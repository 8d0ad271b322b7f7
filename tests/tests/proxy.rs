//! The proxy policy: proxy environment variables are never read (so no environment can
//! route the bearer token through a host the code did not name, and the other tests pass
//! whatever the machine sets); a proxy is used only when the code names one.
//!
//! One test in its own binary, because it sets process-wide environment variables.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use connectparticipant::{Client, Config};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A listener that counts connections and closes them.
async fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

async fn send(config: Config) -> Option<String> {
    Client::new(&config)
        .unwrap()
        .send_message()
        .connection_token("proxy-test-token")
        .content_type("text/plain")
        .content("hi")
        .send()
        .await
        .unwrap()
        .id()
        .map(str::to_owned)
}

#[tokio::test]
async fn proxy_variables_are_ignored_and_an_explicit_proxy_is_used() {
    let (trap, trapped) = counting_listener().await;
    for name in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        std::env::set_var(name, &trap);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "direct"})))
        .mount(&server)
        .await;
    let direct = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(send(direct).await.as_deref(), Some("direct"));
    let from_env = Config::from_env()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(send(from_env).await.as_deref(), Some("direct"));
    assert_eq!(
        trapped.load(Ordering::SeqCst),
        0,
        "the environment's proxy was used"
    );

    // Named in code: the request goes to the proxy, in absolute form, for the endpoint's
    // host (which nothing resolves: the proxy here answers itself).
    let proxy = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/participant/message"))
        .and(header("host", "participant.example.invalid"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": "proxied"})))
        .expect(1)
        .mount(&proxy)
        .await;
    let proxied = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://participant.example.invalid")
        .proxy(proxy.uri())
        .build()
        .unwrap();
    assert_eq!(send(proxied).await.as_deref(), Some("proxied"));

    let error = Config::builder()
        .region("us-east-1")
        .proxy("not a proxy url")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("proxy"), "{error}");
}
