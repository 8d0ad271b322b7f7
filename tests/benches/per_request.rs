//! CPU per request, SendMessage and GetTranscript: the generated client against the
//! floor, a carefully hand-written reqwest client that sends the same request (same
//! headers, same JSON body, a fresh UUID idempotency token for SendMessage, typed serde
//! both ways): its URLs are parsed once, its constant headers built once as the client's
//! default headers, and each UUID is encoded into a stack buffer.
//!
//! `cargo bench -p awsgen-tests --bench per_request`
//!
//! The server is another process (this binary, re-run with `BENCH_ROLE=server`), so the
//! client process's CPU is the client's alone: all of its threads, the tokio worker that
//! runs hyper's connection task included. Each client runs on a multi-thread runtime with
//! one worker, calls made one at a time. Prints CPU nanoseconds per request (medians of
//! rounds that alternate between the clients) and the ratio to the floor; then the same
//! under load: [`IN_FLIGHT`] calls at once, each in a task of one shared runtime with a
//! worker per core.
//! `tests/benches/instructions.sh` counts instructions of the same runs with callgrind.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};

const TOKEN: &str = "bench-connection-token";
/// The generated client's user agents, as long as its own (made once, like the client's).
const FLOOR_USER_AGENT: &str = "awsgen/0.1.0 connectparticipant/0.1.0 os/linux lang/rust#1.95.0";
const FLOOR_AMZ_USER_AGENT: &str =
    "awsgen/0.1.0 ua/2.1 api/connectparticipant#0.1.0 os/linux lang/rust#1.95.0";
const SEND_MESSAGE_RESPONSE: &str =
    r#"{"Id":"d6b1c8f2-0d1f-4a39-9d3f-6f1b5b7d4a11","AbsoluteTime":"2024-05-01T10:00:00.000Z"}"#;
/// StartChatContact's response, for `tests/benches/signed_cost.sh` (which runs this
/// binary's server role for both SDKs' `start-chat` programs).
const START_CHAT_RESPONSE: &str = r#"{"ContactId":"c0ffee00-0000-4000-8000-000000000001","ParticipantId":"a1b2c3d4-0000-4000-8000-000000000002","ParticipantToken":"QVFJREFIaGVyZS1pcy1hLXBhcnRpY2lwYW50LXRva2VuLW9mLXR5cGljYWwtbGVuZ3Ro"}"#;
/// Items per GetTranscript page: a busy chat's page.
const TRANSCRIPT_ITEMS: usize = 50;
const WARMUP: usize = 300;
const ITERATIONS: usize = 5_000;
const ROUNDS: usize = 5;
/// Calls in flight at once in the concurrent rounds: a bot host's load.
const IN_FLIGHT: usize = 64;
/// Requests per concurrent round (a multiple of `IN_FLIGHT`).
const CONCURRENT_REQUESTS: usize = 12_800;

/// GetTranscript's response: `TRANSCRIPT_ITEMS` messages and events from both sides.
fn transcript_response() -> String {
    let items: Vec<String> = (0..TRANSCRIPT_ITEMS)
        .map(|i| {
            let (role, name, kind, content_type, content) = if i % 5 == 4 {
                ("AGENT", "Agent", "EVENT", "application/vnd.amazonaws.connect.event.typing", "")
            } else if i % 2 == 0 {
                ("CUSTOMER", "Customer", "MESSAGE", "text/plain", "Hello, I need help with my order, it has not arrived yet.")
            } else {
                ("AGENT", "Agent", "MESSAGE", "text/plain", "Thanks for waiting. Let me look up your order number.")
            };
            format!(
                r#"{{"AbsoluteTime":"2024-05-01T10:{:02}:{:02}.000Z","Content":"{content}","ContentType":"{content_type}","Id":"6f1b5b7d-0d1f-4a39-9d3f-{i:012}","Type":"{kind}","ParticipantId":"{role}-participant","DisplayName":"{name}","ParticipantRole":"{role}","ContactId":"c0ffee00-0000-4000-8000-000000000001"}}"#,
                i / 60,
                i % 60
            )
        })
        .collect();
    format!(
        r#"{{"InitialContactId":"c0ffee00-0000-4000-8000-000000000001","NextToken":"page-2","Transcript":[{}]}}"#,
        items.join(",")
    )
}

/// The server role: a keep-alive HTTP/1.1 server on 127.0.0.1 answering each path with
/// its fixed body. Prints its port, then serves until killed.
fn serve_forever() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    println!("{}", listener.local_addr().unwrap().port());
    std::io::stdout().flush().unwrap();
    let transcript: &'static str = Box::leak(transcript_response().into_boxed_str());
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream, transcript));
    }
}

fn serve(stream: TcpStream, transcript: &str) {
    stream.set_nodelay(true).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let response = |body: &str| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: bench\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let (message, transcript) = (response(SEND_MESSAGE_RESPONSE), response(transcript));
    let start_chat = response(START_CHAT_RESPONSE);
    loop {
        let mut content_length = 0;
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let answer = if line.contains("/participant/transcript") {
            &transcript
        } else if line.contains("/contact/chat") {
            &start_chat
        } else {
            &message
        };
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() || writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// Starts the server process; it is killed when the returned guard drops.
struct Server(Child);

impl Server {
    fn start() -> (Server, String) {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env("BENCH_ROLE", "server")
            .stdout(Stdio::piped())
            .spawn()
            .expect("server process starts");
        let mut port = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut port)
            .unwrap();
        (Server(child), format!("http://127.0.0.1:{}", port.trim()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// CPU nanoseconds of this whole process so far (every thread, user and kernel).
fn process_cpu_ns() -> u64 {
    // Every thread's time on a CPU in nanoseconds (`/proc/self/task/*/schedstat`, user and
    // kernel together), where the process's tick counts would be 10 ms coarse.
    let threads = std::fs::read_dir("/proc/self/task").expect("Linux /proc");
    let on_cpu: u64 = threads
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    on_cpu
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct FloorMessage<'a> {
    content_type: &'a str,
    content: &'a str,
    client_token: &'a str,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)] // Read by serde only: the floor parses what the client parses.
struct FloorSent {
    id: Option<String>,
    absolute_time: Option<String>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct FloorTranscriptRequest {
    max_results: i32,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct FloorTranscript {
    initial_contact_id: Option<String>,
    next_token: Option<String>,
    transcript: Option<Vec<FloorItem>>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct FloorItem {
    absolute_time: Option<String>,
    content: Option<String>,
    content_type: Option<String>,
    id: Option<String>,
    r#type: Option<String>,
    participant_id: Option<String>,
    display_name: Option<String>,
    participant_role: Option<String>,
    contact_id: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Call {
    SendMessage,
    GetTranscript,
}

/// The floor: reqwest with the same bytes on the wire, written with care.
struct Floor {
    client: reqwest::Client,
    message_url: reqwest::Url,
    transcript_url: reqwest::Url,
}

impl Floor {
    fn new(endpoint: &str) -> Self {
        use reqwest::header::{HeaderMap, HeaderValue};
        // The headers every call sends the same, made once.
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("content-type", "application/json"),
            ("user-agent", FLOOR_USER_AGENT),
            ("x-amz-user-agent", FLOOR_AMZ_USER_AGENT),
            ("amz-sdk-request", "attempt=1; max=3"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        let url = |path: &str| reqwest::Url::parse(&format!("{endpoint}{path}")).unwrap();
        Floor {
            client: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .unwrap(),
            message_url: url("/participant/message"),
            transcript_url: url("/participant/transcript"),
        }
    }
}

/// A UUIDv4 in a stack buffer.
fn uuid_text(buffer: &mut [u8; 36]) -> &str {
    uuid::Uuid::new_v4().as_hyphenated().encode_lower(buffer)
}

async fn floor_call(floor: &Floor, call: Call) {
    match call {
        Call::SendMessage => {
            let mut token = [0; 36];
            let body = FloorMessage {
                content_type: "text/plain",
                content: "Hello, I need help with my order.",
                client_token: uuid_text(&mut token),
            };
            let bytes = floor_post(floor, floor.message_url.clone(), &body)
                .await
                .unwrap();
            let output: FloorSent = serde_json::from_slice(bytes.as_ref()).unwrap();
            assert!(output.id.is_some());
        }
        Call::GetTranscript => {
            let body = FloorTranscriptRequest {
                max_results: TRANSCRIPT_ITEMS as i32,
            };
            let bytes = floor_post(floor, floor.transcript_url.clone(), &body)
                .await
                .unwrap();
            let output: FloorTranscript = serde_json::from_slice(bytes.as_ref()).unwrap();
            assert_eq!(output.transcript.map(|t| t.len()), Some(TRANSCRIPT_ITEMS));
        }
    }
}

/// POSTs `body` as JSON with the bearer token, as the service expects, and returns the
/// response body. The SDK headers the generated client sends are the client's defaults,
/// so the bytes are the same.
async fn floor_post(
    floor: &Floor,
    url: reqwest::Url,
    body: &impl serde::Serialize,
) -> reqwest::Result<impl AsRef<[u8]>> {
    use reqwest::header::HeaderValue;
    let mut invocation = [0; 36];
    let invocation = HeaderValue::from_str(uuid_text(&mut invocation)).unwrap();
    floor
        .client
        .post(url)
        .header("x-amz-bearer", HeaderValue::from_static(TOKEN))
        .header("amz-sdk-invocation-id", invocation)
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await?
        .bytes()
        .await
}

async fn our_call(client: &connectparticipant::Client, call: Call) {
    match call {
        Call::SendMessage => {
            let output = client
                .send_message()
                .connection_token(TOKEN)
                .content_type("text/plain")
                .content("Hello, I need help with my order.")
                .send()
                .await
                .unwrap();
            assert!(output.id().is_some());
        }
        Call::GetTranscript => {
            let output = client
                .get_transcript()
                .connection_token(TOKEN)
                .max_results(TRANSCRIPT_ITEMS as i32)
                .send()
                .await
                .unwrap();
            assert_eq!(output.transcript().len(), TRANSCRIPT_ITEMS);
        }
    }
}

struct Clients {
    floor: Floor,
    ours: connectparticipant::Client,
}

impl Clients {
    /// `count` calls of `which`, [`IN_FLIGHT`] at a time, each in a task of the runtime.
    async fn run_concurrently(
        self: &std::sync::Arc<Self>,
        which: &'static str,
        call: Call,
        count: usize,
    ) {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..IN_FLIGHT {
            let clients = std::sync::Arc::clone(self);
            tasks.spawn(async move { clients.run(which, call, count / IN_FLIGHT).await });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("a call task panicked");
        }
    }

    async fn run(&self, which: &str, call: Call, count: usize) {
        for _ in 0..count {
            match which {
                "floor" => floor_call(&self.floor, call).await,
                _ => our_call(&self.ours, call).await,
            }
        }
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    if std::env::var("BENCH_ROLE").as_deref() == Ok("server") {
        serve_forever();
        return;
    }
    let (_server, endpoint) = Server::start();
    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url(&endpoint)
        .build()
        .unwrap();
    let clients = Clients {
        floor: Floor::new(&endpoint),
        ours: connectparticipant::Client::new(&config).unwrap(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    // Under callgrind (see instructions.sh): one client, one operation, a fixed count.
    if let (Ok(which), Ok(operation), Ok(count)) = (
        std::env::var("BENCH_CLIENT"),
        std::env::var("BENCH_OPERATION"),
        std::env::var("BENCH_REQUESTS"),
    ) {
        let call = match operation.as_str() {
            "send_message" => Call::SendMessage,
            "get_transcript" => Call::GetTranscript,
            other => panic!("BENCH_OPERATION is send_message or get_transcript, not {other}"),
        };
        let count: usize = count.parse().expect("BENCH_REQUESTS is a number");
        runtime.block_on(clients.run(&which, call, count));
        return;
    }
    println!("median of {ROUNDS} rounds of {ITERATIONS} requests; CPU of the client process per request (every thread, user and kernel)");
    for (label, call) in [
        ("SendMessage", Call::SendMessage),
        ("GetTranscript", Call::GetTranscript),
    ] {
        let per_request = |which: &'static str| {
            let clients = &clients;
            async move {
                let start = process_cpu_ns();
                clients.run(which, call, ITERATIONS).await;
                (process_cpu_ns() - start) as f64 / ITERATIONS as f64
            }
        };
        let (floor, ours) = runtime.block_on(async {
            clients.run("floor", call, WARMUP).await;
            clients.run("ours", call, WARMUP).await;
            let (mut floor, mut ours) = (Vec::new(), Vec::new());
            for _ in 0..ROUNDS {
                floor.push(per_request("floor").await);
                ours.push(per_request("ours").await);
            }
            (median(floor), median(ours))
        });
        println!(
            "{label:<14} floor (reqwest) {floor:>8.0} ns   connectparticipant {ours:>8.0} ns   ratio {:.2}x",
            ours / floor
        );
    }
    concurrent(clients);
}

/// The same calls, [`IN_FLIGHT`] at a time on one shared runtime (a worker per core):
/// client CPU per request, medians of rounds that alternate between the clients.
fn concurrent(clients: Clients) {
    let clients = std::sync::Arc::new(clients);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("median of {ROUNDS} rounds of {CONCURRENT_REQUESTS} requests, {IN_FLIGHT} in flight on a shared runtime; client CPU per request");
    for (label, call) in [
        ("SendMessage", Call::SendMessage),
        ("GetTranscript", Call::GetTranscript),
    ] {
        let per_request = |which: &'static str| {
            let clients = &clients;
            async move {
                let start = process_cpu_ns();
                clients
                    .run_concurrently(which, call, CONCURRENT_REQUESTS)
                    .await;
                (process_cpu_ns() - start) as f64 / CONCURRENT_REQUESTS as f64
            }
        };
        let (floor, ours) = runtime.block_on(async {
            clients
                .run_concurrently("floor", call, IN_FLIGHT * 20)
                .await;
            clients.run_concurrently("ours", call, IN_FLIGHT * 20).await;
            let (mut floor, mut ours) = (Vec::new(), Vec::new());
            for _ in 0..ROUNDS {
                floor.push(per_request("floor").await);
                ours.push(per_request("ours").await);
            }
            (median(floor), median(ours))
        });
        println!(
            "{label:<14} floor (reqwest) {floor:>8.0} ns   connectparticipant {ours:>8.0} ns   ratio {:.2}x",
            ours / floor
        );
    }
}
