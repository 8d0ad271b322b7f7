//! `into_paginator()` against a local server playing GetTranscript: pages follow the
//! token, `items()` flattens them, a repeated token or an error ends the stream, and
//! `page_size(n)` is sent on every call.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connectparticipant::types::Item;
use connectparticipant::{Client, Config};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers each GetTranscript with the page its `NextToken` names (`None` = the first),
/// counting calls. A page is (item ids, next token); a page named `error` is a 400.
struct Pages {
    pages: Vec<(
        Option<&'static str>,
        Vec<&'static str>,
        Option<&'static str>,
    )>,
    calls: Arc<AtomicUsize>,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let token = body.get("NextToken").and_then(Value::as_str);
        let Some((_, ids, next)) = self.pages.iter().find(|(t, _, _)| *t == token) else {
            return ResponseTemplate::new(400)
                .insert_header("x-amzn-ErrorType", "ValidationException")
                .set_body_json(json!({"message": format!("unknown token {token:?}")}));
        };
        if ids == &["error"] {
            return ResponseTemplate::new(400)
                .insert_header("x-amzn-ErrorType", "ValidationException")
                .set_body_json(json!({"message": "page two is broken"}));
        }
        let items: Vec<Value> = ids
            .iter()
            .map(|id| json!({"Id": id, "Type": "MESSAGE", "Content": "hi"}))
            .collect();
        let mut page = json!({"InitialContactId": "c1", "Transcript": items});
        if let Some(next) = next {
            page["NextToken"] = json!(next);
        }
        ResponseTemplate::new(200).set_body_json(page)
    }
}

type Page = (
    Option<&'static str>,
    Vec<&'static str>,
    Option<&'static str>,
);

async fn serve(pages: Vec<Page>) -> (MockServer, Client, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/participant/transcript"))
        .respond_with(Pages {
            pages,
            calls: calls.clone(),
        })
        .mount(&server)
        .await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(server.uri())
        .max_attempts(1)
        .operation_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    (server, Client::new(&config).unwrap(), calls)
}

/// The request bodies the server received, in order.
async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn three_pages() -> Vec<Page> {
    vec![
        (None, vec!["a", "b"], Some("t1")),
        (Some("t1"), vec!["c"], Some("t2")),
        (Some("t2"), vec!["d", "e"], None),
    ]
}

#[tokio::test]
async fn three_pages_follow_the_token_and_items_flatten_them() {
    let (server, client, calls) = serve(three_pages()).await;
    let mut pages = client
        .get_transcript()
        .connection_token("secret-token")
        .into_paginator();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().transcript().len());
    }
    assert_eq!(sizes, [2, 1, 2]);
    assert!(pages.next().await.is_none(), "an ended stream stays ended");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let tokens: Vec<Option<String>> = bodies(&server)
        .await
        .iter()
        .map(|b| {
            b.get("NextToken")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
    for request in server.received_requests().await.unwrap() {
        assert_eq!(request.headers["x-amz-bearer"], "secret-token");
    }

    let mut items = client
        .get_transcript()
        .connection_token("secret-token")
        .into_paginator()
        .items();
    let mut ids = Vec::new();
    while let Some(item) = items.next().await {
        let item: Item = item.unwrap();
        ids.push(item.id().unwrap().to_owned());
    }
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_instead_of_looping() {
    // The service keeps answering "again": the second page repeats the first's token.
    let (_server, client, calls) = serve(vec![
        (None, vec!["a"], Some("again")),
        (Some("again"), vec!["b"], Some("again")),
    ])
    .await;
    let mut pages = client
        .get_transcript()
        .connection_token("t")
        .into_paginator();
    let mut count = 0;
    let outcome = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(page) = pages.next().await {
            page.unwrap();
            count += 1;
        }
    })
    .await;
    assert!(outcome.is_ok(), "the paginator never ended");
    assert_eq!(count, 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_then_ends_the_stream() {
    let (_server, client, calls) = serve(vec![
        (None, vec!["a", "b"], Some("t1")),
        (Some("t1"), vec!["error"], None),
    ])
    .await;
    let mut items = client
        .get_transcript()
        .connection_token("t")
        .into_paginator()
        .items();
    let mut seen = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = items.next().await {
        match item {
            Ok(item) => seen.push(item.id().unwrap().to_owned()),
            Err(error) => errors.push(error.code().map(str::to_owned)),
        }
    }
    assert_eq!(seen, ["a", "b"]);
    assert_eq!(errors, [Some("ValidationException".to_owned())]);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "nothing is called after the error"
    );
}

#[tokio::test]
async fn page_size_is_sent_on_every_call() {
    let (server, client, _calls) = serve(three_pages()).await;
    let mut pages = client
        .get_transcript()
        .connection_token("t")
        .into_paginator()
        .page_size(2);
    while let Some(page) = pages.next().await {
        page.unwrap();
    }
    let sizes: Vec<Value> = bodies(&server)
        .await
        .iter()
        .map(|b| b["MaxResults"].clone())
        .collect();
    assert_eq!(sizes, [json!(2), json!(2), json!(2)]);
}

/// The paginator is a `Stream` (the trait every async stream library reads), and its
/// `Debug` never shows the input, which holds the bearer token.
#[tokio::test]
async fn the_paginator_is_a_stream_and_its_debug_hides_the_input() {
    use std::pin::Pin;

    let (_server, client, _calls) = serve(three_pages()).await;
    let mut pages = client
        .get_transcript()
        .connection_token("secret-token")
        .into_paginator();
    let debug = format!("{pages:?}");
    assert!(!debug.contains("secret-token"), "{debug}");
    assert!(debug.contains("GetTranscript"), "{debug}");
    let mut count = 0;
    while let Some(page) =
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut pages), cx)).await
    {
        page.unwrap();
        count += 1;
    }
    assert_eq!(count, 3);
}
