//! Fault injection: a raw HTTP server on 127.0.0.1 plays one fault per test (redirects,
//! hangs, drips, resets, truncated, malformed, huge and endless bodies, proxy pages,
//! broken headers, encodings nobody asked for, TLS failures), and each test asserts the
//! exact typed outcome, the number of attempts, a bound on wall time and, for bodies, a
//! bound on memory. The README's fault table is this file in prose.
//!
//! Every server connection is bounded in time (`CONNECTION_LIFETIME`) and the servers die
//! with each test's runtime.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use awsgen_runtime::{SdkError, TimeoutKind, TransportErrorKind};
use connectparticipant::operation::send_message::{SendMessageError, SendMessageOutput};
use connectparticipant::{Client, Config, ConfigBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "fault-connection-token-5e1f";
const CONNECTION_LIFETIME: Duration = Duration::from_secs(45);

/// What the server does once it has read a request.
#[derive(Clone)]
enum Reply {
    /// Writes these bytes and closes the connection.
    Raw(Vec<u8>),
    /// Says nothing until the connection is dropped.
    Hang,
    /// Writes `head`, then one byte of body every `every`.
    Drip { head: Vec<u8>, every: Duration },
    /// Writes `head` and the start of the body, then resets the connection (RST).
    Reset(Vec<u8>),
    /// Writes `head`, then chunked body chunks for as long as the client reads, up to
    /// `max_bytes`.
    Endless { head: Vec<u8>, max_bytes: usize },
}

/// A server that answers its `n`-th request (from 0) with `script(n)`.
struct FaultServer {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl FaultServer {
    async fn start(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (counter, script) = (counter.clone(), script.clone());
                tokio::spawn(tokio::time::timeout(CONNECTION_LIFETIME, async move {
                    serve(stream, &counter, &*script).await;
                }));
            }
        });
        FaultServer { url, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    counter: &AtomicUsize,
    script: &(dyn Fn(usize) -> Reply + Send + Sync),
) {
    if !read_request(&mut stream).await {
        return;
    }
    let n = counter.fetch_add(1, Ordering::SeqCst);
    match script(n) {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Hang => {
            let mut sink = [0u8; 64];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
        Reply::Drip { head, every } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            loop {
                tokio::time::sleep(every).await;
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
            }
        }
        Reply::Reset(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(20)).await;
            // Linger 0: closing sends RST instead of FIN (and, with a zero time, does not
            // block, which is what the deprecation warns of).
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        Reply::Endless { head, max_bytes } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            let chunk = format!("10000\r\n{}\r\n", "a".repeat(0x10000));
            let mut sent = 0;
            while sent < max_bytes {
                if stream.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
                sent += 0x10000;
            }
        }
    }
}

/// Reads one request's head and its `Content-Length` body; false if the client left.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => buf.push(byte[0]),
            _ => return false,
        }
        if buf.len() > 64 * 1024 {
            return false;
        }
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.is_ok()
}

/// A complete response with `Connection: close`.
fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nconnection: close\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

fn json_response(status: &str, body: &str) -> Vec<u8> {
    response(
        status,
        &[("content-type", "application/json")],
        body.as_bytes(),
    )
}

fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
}

async fn send_message(
    builder: ConfigBuilder,
) -> Result<SendMessageOutput, SdkError<SendMessageError>> {
    let client = Client::new(&builder.build().unwrap()).unwrap();
    client
        .send_message()
        .connection_token(TOKEN)
        .content_type("text/plain")
        .content("my card number is 4111 1111 1111 1111")
        .send()
        .await
}

/// Asserts the call ended within `limit`, and returns its result.
async fn within<T>(limit: Duration, call: impl std::future::Future<Output = T>) -> T {
    let started = Instant::now();
    let result = call.await;
    let took = started.elapsed();
    assert!(took < limit, "took {took:?}, more than {limit:?}");
    result
}

// ---- redirects ----

#[tokio::test]
async fn redirects_are_never_followed_to_another_host_or_the_same_one() {
    let elsewhere =
        FaultServer::start(|_| Reply::Raw(json_response("200 OK", r#"{"Id":"stolen"}"#))).await;
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        for (target, host) in [
            (
                format!(
                    "{}/steal?token=x",
                    elsewhere.url.replace("127.0.0.1", "localhost")
                ),
                Some("localhost"),
            ),
            ("/participant/message-again".to_owned(), None),
        ] {
            let location = target.clone();
            let server = FaultServer::start(move |_| {
                Reply::Raw(response(
                    status,
                    &[("location", &location), ("x-amzn-requestid", "r-3xx")],
                    b"",
                ))
            })
            .await;
            let error = within(Duration::from_secs(5), send_message(config(&server.url)))
                .await
                .unwrap_err();
            match &error {
                SdkError::Redirect(redirect) => {
                    assert_eq!(redirect.status().to_string(), status[..3]);
                    assert_eq!(redirect.location_host(), host, "{target}");
                }
                other => panic!("{status} to {target}: expected a redirect error, got {other:?}"),
            }
            let text = error.to_string();
            assert!(
                !text.contains("steal") && !text.contains("token=x"),
                "{text}"
            );
            assert_eq!(server.requests(), 1, "{status}: a redirect is not retried");
        }
    }
    assert_eq!(elsewhere.requests(), 0, "nothing reached the other host");
}

// ---- time ----

#[tokio::test]
async fn a_server_that_never_answers_times_out_per_attempt_and_is_retried() {
    let server = FaultServer::start(|_| Reply::Hang).await;
    let builder = config(&server.url)
        .attempt_timeout(Duration::from_millis(300))
        .max_attempts(2);
    let error = within(Duration::from_secs(3), send_message(builder))
        .await
        .unwrap_err();
    match &error {
        SdkError::Timeout(t) => assert_eq!((t.kind(), t.attempts()), (TimeoutKind::Attempt, 2)),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_dripping_body_times_out() {
    let head =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"
            .to_vec();
    let server = FaultServer::start(move |_| Reply::Drip {
        head: head.clone(),
        every: Duration::from_millis(50),
    })
    .await;
    let builder = config(&server.url)
        .attempt_timeout(Duration::from_millis(400))
        .operation_timeout(Duration::from_millis(1000));
    let error = within(Duration::from_secs(3), send_message(builder))
        .await
        .unwrap_err();
    match &error {
        SdkError::Timeout(t) => {
            assert_eq!(
                t.kind(),
                TimeoutKind::Operation,
                "the operation deadline cuts the third attempt"
            );
            assert!((2..=3).contains(&t.attempts()), "{t:?}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

/// The defaults alone end a hang and a drip: within the 30 s operation timeout, after
/// three attempts of at most 10 s.
#[tokio::test]
async fn with_the_default_configuration_hangs_and_drips_end_within_30_seconds() {
    let hang = FaultServer::start(|_| Reply::Hang).await;
    let head = b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n".to_vec();
    let drip = FaultServer::start(move |_| Reply::Drip {
        head: head.clone(),
        every: Duration::from_secs(2),
    })
    .await;
    let defaults = |url: &str| Config::builder().region("us-east-1").endpoint_url(url);
    let (hung, dripped) = within(Duration::from_secs(33), async {
        tokio::join!(
            send_message(defaults(&hang.url)),
            send_message(defaults(&drip.url))
        )
    })
    .await;
    for (name, result, server) in [("hang", hung, &hang), ("drip", dripped, &drip)] {
        match result {
            Err(SdkError::Timeout(t)) => {
                assert_eq!(t.kind(), TimeoutKind::Operation, "{name}");
                assert_eq!(t.attempts(), 3, "{name}");
            }
            other => panic!("{name}: expected a timeout, got {other:?}"),
        }
        assert_eq!(server.requests(), 3, "{name}");
    }
}

#[tokio::test]
async fn the_connect_timeout_fires_when_the_server_cannot_accept() {
    // A listener whose accept queue is full drops new SYNs, so connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    let _listener = socket.listen(1).unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let filler = tokio::net::TcpSocket::new_v4().unwrap();
        if let Ok(Ok(stream)) =
            tokio::time::timeout(Duration::from_millis(200), filler.connect(address)).await
        {
            fillers.push(stream);
        }
    }
    let builder = config(&format!("http://{address}"))
        .connect_timeout(Duration::from_millis(300))
        .max_attempts(2);
    let error = within(Duration::from_secs(4), send_message(builder))
        .await
        .unwrap_err();
    match &error {
        SdkError::Timeout(t) => assert_eq!((t.kind(), t.attempts()), (TimeoutKind::Connect, 2)),
        other => panic!("expected a connect timeout, got {other:?}"),
    }
}

// ---- broken connections and bodies ----

#[tokio::test]
async fn a_reset_mid_body_is_a_dispatch_error_after_three_attempts() {
    let head = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"Id\":".to_vec();
    let server = FaultServer::start(move |_| Reply::Reset(head.clone())).await;
    let error = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap_err();
    match &error {
        SdkError::Dispatch(e) => {
            assert_eq!(e.attempts(), 3);
            assert_eq!(e.transport_error().kind(), TransportErrorKind::Io);
        }
        other => panic!("expected a dispatch error, got {other:?}"),
    }
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_truncated_body_is_a_dispatch_error_after_three_attempts() {
    let mut truncated = response("200 OK", &[], br#"{"Id":"m-1","AbsoluteTime":"2024"}"#);
    truncated.truncate(truncated.len() - 10);
    let server = FaultServer::start(move |_| Reply::Raw(truncated.clone())).await;
    let error = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Dispatch(e) if e.attempts() == 3),
        "{error:?}"
    );
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn malformed_and_wrong_typed_json_are_response_errors_not_retried() {
    for body in [r#"{"Id": "m-1""#, r#"{"Id": 17}"#, "\u{feff}garbage"] {
        let reply = json_response("200 OK", body);
        let server = FaultServer::start(move |_| Reply::Raw(reply.clone())).await;
        let error = within(Duration::from_secs(5), send_message(config(&server.url)))
            .await
            .unwrap_err();
        assert!(
            matches!(&error, SdkError::Response(e) if e.status() == 200),
            "{body}: {error:?}"
        );
        assert_eq!(server.requests(), 1, "{body}");
    }
}

#[tokio::test]
async fn an_html_502_from_a_proxy_is_retried_then_a_response_error() {
    let page = response(
        "502 Bad Gateway",
        &[("content-type", "text/html")],
        b"<html><body>Bad Gateway</body></html>",
    );
    let server = FaultServer::start(move |_| Reply::Raw(page.clone())).await;
    let error = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap_err();
    match &error {
        SdkError::Response(e) => {
            assert_eq!(e.status(), 502);
            assert!(e.message().contains("not JSON"), "{}", e.message());
        }
        other => panic!("expected a response error, got {other:?}"),
    }
    assert_eq!(server.requests(), 3, "502 is transient");
}

#[tokio::test]
async fn a_200_with_an_error_body_is_a_success_as_the_status_says() {
    let reply = json_response(
        "200 OK",
        r#"{"__type":"ThrottlingException","message":"slow down"}"#,
    );
    let server = FaultServer::start(move |_| Reply::Raw(reply.clone())).await;
    let output = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap();
    assert_eq!((output.id(), output.absolute_time()), (None, None));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn invalid_utf8_headers_are_ignored_not_fatal() {
    let mut reply = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\nx-amzn-requestid: \xff\xfe\r\nx-amzn-errortype: \xc3\x28\r\n".to_vec();
    let body = br#"{"__type":"AccessDeniedException","Message":"no"}"#;
    reply.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    reply.extend_from_slice(body);
    let server = FaultServer::start(move |_| Reply::Raw(reply.clone())).await;
    let error = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap_err();
    assert!(
        matches!(error.as_service_error(), Some(SendMessageError::AccessDeniedException(e)) if e.message() == Some("no")),
        "{error:?}"
    );
    assert_eq!(error.request_id(), None);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_gzip_body_nobody_asked_for_is_refused_by_name() {
    let gzip = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab, 0xae, 0x05, 0x00,
    ];
    let reply = response(
        "200 OK",
        &[
            ("content-encoding", "gzip"),
            ("content-type", "application/json"),
        ],
        &gzip,
    );
    let server = FaultServer::start(move |_| Reply::Raw(reply.clone())).await;
    let error = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap_err();
    match &error {
        SdkError::Response(e) => assert!(e.message().contains("gzip"), "{}", e.message()),
        other => panic!("expected a response error, got {other:?}"),
    }
    assert_eq!(server.requests(), 1);
}

// ---- error bodies ----

#[tokio::test]
async fn modeled_errors_survive_messy_bodies() {
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, Option<&'a str>);
    let cases: [Case; 5] = [
        (
            &[("x-amzn-errortype", "AccessDeniedException")],
            r#"{"message":"lower","Message":"upper"}"#,
            Some("lower"),
        ),
        (
            &[],
            r#"{"code":403,"__type":"AccessDeniedException","Message":"typed","extra":{"a":[1]}}"#,
            Some("typed"),
        ),
        (
            &[("x-amzn-errortype", "AccessDeniedException:http://internal")],
            "",
            None,
        ),
        (
            &[("x-amzn-errortype", "AccessDeniedException")],
            "<html>denied</html>",
            None,
        ),
        (
            &[("x-amzn-errortype", "AccessDeniedException")],
            r#"{"Message":["not","a","string"],"message":"m"}"#,
            Some("m"),
        ),
    ];
    for (headers, body, message) in cases {
        let reply = response("403 Forbidden", headers, body.as_bytes());
        let server = FaultServer::start(move |_| Reply::Raw(reply.clone())).await;
        let error = within(Duration::from_secs(5), send_message(config(&server.url)))
            .await
            .unwrap_err();
        match error.as_service_error() {
            Some(SendMessageError::AccessDeniedException(e)) => {
                assert_eq!(e.message(), message, "{body}")
            }
            _ => panic!("{body}: expected AccessDeniedException, got {error:?}"),
        }
        assert_eq!(server.requests(), 1);
    }
}

// ---- size ----

/// Peak resident memory of this process, in bytes.
fn peak_rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[tokio::test]
async fn huge_and_endless_bodies_are_refused_with_bounded_memory_and_not_retried() {
    const MIB: usize = 1024 * 1024;
    // A Content-Length over the limit fails before reading anything.
    let huge = b"HTTP/1.1 200 OK\r\ncontent-length: 10000000000\r\n\r\n{".to_vec();
    let server = FaultServer::start(move |_| Reply::Endless {
        head: huge.clone(),
        max_bytes: 64 * MIB,
    })
    .await;
    let error = within(Duration::from_secs(5), send_message(config(&server.url)))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::Response(e) if e.status() == 200 && e.message().contains("limit")),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1);

    // An endless chunked body stops at the limit (the default, 16 MiB, here), success
    // and error responses alike (error bodies stop at 1 MiB).
    let before = peak_rss();
    for status in ["200 OK", "503 Service Unavailable"] {
        let head = format!("HTTP/1.1 {status}\r\ntransfer-encoding: chunked\r\n\r\n").into_bytes();
        let server = FaultServer::start(move |_| Reply::Endless {
            head: head.clone(),
            max_bytes: 256 * MIB,
        })
        .await;
        let error = within(Duration::from_secs(20), send_message(config(&server.url)))
            .await
            .unwrap_err();
        match &error {
            SdkError::Response(e) => {
                assert!(e.message().contains("limit"), "{status}: {}", e.message())
            }
            other => panic!("{status}: expected a response error, got {other:?}"),
        }
        assert_eq!(server.requests(), 1, "{status}: not retried");
    }
    let grown = peak_rss().saturating_sub(before);
    assert!(
        grown < 16 * MIB + 8 * MIB,
        "peak memory grew by {} MiB",
        grown / MIB
    );
}

#[tokio::test]
async fn the_largest_legitimate_transcript_fits_the_default_limit() {
    // 100 messages of 16,384 four-byte characters, the most GetTranscript can return.
    let content = "😀".repeat(16_384);
    let items: Vec<String> = (0..100)
        .map(|i| format!(r#"{{"Id":"m-{i}","Type":"MESSAGE","ContentType":"text/plain","Content":"{content}"}}"#))
        .collect();
    let body = format!(
        r#"{{"InitialContactId":"c","Transcript":[{}]}}"#,
        items.join(",")
    );
    assert!(body.len() > 6 * 1024 * 1024);
    let reply = json_response("200 OK", &body);
    let server = FaultServer::start(move |_| Reply::Raw(reply.clone())).await;
    let client = Client::new(&config(&server.url).build().unwrap()).unwrap();
    let output = within(
        Duration::from_secs(5),
        client.get_transcript().connection_token(TOKEN).send(),
    )
    .await
    .unwrap();
    assert_eq!(output.transcript().len(), 100);
    assert_eq!(
        output.transcript()[99].content().map(str::len),
        Some(16_384 * 4)
    );
}

// ---- retries ----

#[tokio::test]
async fn x_amz_retry_after_is_honoured_within_the_backoff_cap() {
    let throttled = |wait: &'static str| {
        move |n: usize| {
            Reply::Raw(if n == 0 {
                response(
                    "429 Too Many Requests",
                    &[("x-amz-retry-after", wait)],
                    b"{}",
                )
            } else {
                json_response("200 OK", r#"{"Id":"m"}"#)
            })
        }
    };
    let server = FaultServer::start(throttled("400")).await;
    let started = Instant::now();
    let builder = config(&server.url).backoff(Duration::from_millis(1), Duration::from_secs(5));
    send_message(builder).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 2);

    // Asked for a minute, capped at the configured 200 ms.
    let server = FaultServer::start(throttled("60000")).await;
    let builder = config(&server.url).backoff(Duration::from_millis(1), Duration::from_millis(200));
    within(Duration::from_secs(3), send_message(builder))
        .await
        .unwrap();
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn the_retry_quota_runs_out_across_calls_on_one_client() {
    let server =
        FaultServer::start(|_| Reply::Raw(response("503 Service Unavailable", &[], b""))).await;
    let config = config(&server.url)
        .backoff(Duration::ZERO, Duration::ZERO)
        .build()
        .unwrap();
    let client = Client::new(&config).unwrap();
    let mut attempts = Vec::new();
    for _ in 0..60 {
        let before = server.requests();
        let error = client
            .send_message()
            .connection_token(TOKEN)
            .content_type("t")
            .content("c")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (
                error.as_service_error().and_then(|e| e.code()),
                error.to_string().contains("HTTP 503")
            ),
            (None, true),
            "{error:?}"
        );
        attempts.push(server.requests() - before);
    }
    // 500 units, 5 a retry: 100 retries, two per call for 50 calls, then none.
    assert!(attempts[..50].iter().all(|&n| n == 3), "{attempts:?}");
    assert!(attempts[50..].iter().all(|&n| n == 1), "{attempts:?}");
}

// ---- TLS ----

#[tokio::test]
async fn tls_failures_are_not_retried() {
    // A server that does not speak TLS at all.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let plain_hits = Arc::new(AtomicUsize::new(0));
    let hits = plain_hits.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            hits.fetch_add(1, Ordering::SeqCst);
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    // A TLS server whose certificate nobody trusts.
    let untrusted = start_untrusted_tls_server().await;
    for (name, url, hits, reason) in [
        (
            "not TLS",
            format!("https://{address}"),
            &plain_hits,
            "InvalidContentType",
        ),
        (
            "untrusted certificate",
            untrusted.0.clone(),
            &untrusted.1,
            "certificate",
        ),
    ] {
        let error = within(Duration::from_secs(5), send_message(config(&url)))
            .await
            .unwrap_err();
        match &error {
            SdkError::Dispatch(e) => {
                assert_eq!(
                    e.transport_error().kind(),
                    TransportErrorKind::Tls,
                    "{name}: {error}"
                );
                assert_eq!(e.attempts(), 1, "{name}");
                assert!(error.to_string().contains(reason), "{name}: {error}");
            }
            other => panic!("{name}: expected a dispatch error, got {other:?}"),
        }
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "{name}: one connection, no retry"
        );
    }
}

async fn start_untrusted_tls_server() -> (String, Arc<AtomicUsize>) {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::{self, ServerConfig};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls");
    let cert = CertificateDer::from_pem_file(format!("{dir}/cert.pem")).unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{dir}/key.pem")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(tokio::time::timeout(CONNECTION_LIFETIME, async move {
                let _ = acceptor.accept(stream).await;
            }));
        }
    });
    (url, hits)
}
