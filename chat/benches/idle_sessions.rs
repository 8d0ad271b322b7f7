//! Thousands of idle chat sessions in one process: the heap each costs (a counting
//! allocator), the CPU they take while idle (heartbeats only), and that disconnecting
//! them all gives every socket and byte back.
//!
//! ```sh
//! cargo bench -p connectparticipant-chat --bench idle_sessions            # 10,000 sessions
//! cargo bench -p connectparticipant-chat --bench idle_sessions -- 2000    # another count
//! ```
//!
//! The mock service (REST and WebSocket, on 127.0.0.1) runs in a child process (this
//! binary with `--serve`), so that its memory and CPU are not counted. Every session
//! shares one client, as a bot host's would. The goals, checked at the end (the exit
//! status is 1 when one is missed): at most 24 KiB of heap per idle session; at most 1 %
//! of a core per 1,000 idle sessions; after disconnecting, the sockets closed and the
//! heap back to where it started.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use connectparticipant::{Client, Config};
use connectparticipant_chat::ChatSession;
use connectparticipant_chat::{EndReason, SessionEvent};

/// Counts the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const GOAL_HEAP_PER_SESSION: f64 = 24.0 * 1024.0;
const GOAL_CPU_PER_THOUSAND: f64 = 1.0;
const IDLE_WINDOW: Duration = Duration::from_secs(30);
const BATCH: usize = 250;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--serve") {
        return serve();
    }
    let sessions = args
        .iter()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the mock service starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let rest = line.trim().to_owned();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let passed = runtime.block_on(run(sessions, &rest));
    drop(child.stdin.take()); // The mock service ends when its input does.
    let _ = child.wait();
    std::process::exit(if passed { 0 } else { 1 });
}

fn heap() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn open_files() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// User and system CPU time of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) end with ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux.
}

async fn connected(session: &mut ChatSession) {
    let event = tokio::time::timeout(Duration::from_secs(60), session.next_event()).await;
    match event {
        Ok(Some(SessionEvent::Connected)) => {}
        other => panic!("a session did not connect: {other:?}"),
    }
}

async fn run(count: usize, rest: &str) -> bool {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(rest)
        .build()
        .unwrap();
    let client = Client::new(&config).unwrap();
    // One session first, so that what is built once per process (the TLS roots, the
    // connection pool, the runtime's buffers) is not counted per session.
    let mut warm = ChatSession::start(&client, "participant-token");
    connected(&mut warm).await;
    warm.disconnect().await.unwrap();
    drop(warm);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (heap_start, files_start) = (heap(), open_files());

    let started = Instant::now();
    let mut sessions = Vec::with_capacity(count);
    while sessions.len() < count {
        let batch: Vec<ChatSession> = (0..BATCH.min(count - sessions.len()))
            .map(|_| ChatSession::start(&client, "participant-token"))
            .collect();
        let mut batch = futures_util::future::join_all(batch.into_iter().map(|mut s| async {
            connected(&mut s).await;
            s
        }))
        .await;
        sessions.append(&mut batch);
    }
    let joined = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let heap_idle = heap();
    let files_idle = open_files();
    let per_session = (heap_idle - heap_start) as f64 / count as f64;

    let cpu_before = cpu_time();
    tokio::time::sleep(IDLE_WINDOW).await;
    let cpu = cpu_time() - cpu_before;
    let core_percent = 100.0 * cpu.as_secs_f64() / IDLE_WINDOW.as_secs_f64();
    let per_thousand = core_percent / (count as f64 / 1000.0);
    let heap_after_idle = heap();

    let leaving = Instant::now();
    for chunk in sessions.chunks(BATCH) {
        let left = futures_util::future::join_all(chunk.iter().map(|s| s.disconnect())).await;
        assert!(left.iter().all(Result::is_ok), "a disconnect failed");
    }
    let mut ended = 0;
    for session in &mut sessions {
        let event = tokio::time::timeout(Duration::from_secs(10), session.next_event()).await;
        if matches!(
            event,
            Ok(Some(SessionEvent::Ended(EndReason::Disconnected)))
        ) {
            ended += 1;
        }
    }
    let left = leaving.elapsed();
    drop(sessions);
    // Closing frames are bounded by the send timeout (5 s); the pool's idle connections
    // stay (up to the client's bound).
    tokio::time::sleep(Duration::from_secs(6)).await;
    let heap_end = heap();
    let files_end = open_files();

    let mib = |bytes: isize| bytes as f64 / (1024.0 * 1024.0);
    println!("idle chat sessions: {count} (joined in {joined:.1?}, left in {left:.1?})");
    println!(
        "heap: {:.1} MiB before, {:.1} MiB idle, {:.1} MiB after {IDLE_WINDOW:?} idle, {:.1} MiB after leaving",
        mib(heap_start),
        mib(heap_idle),
        mib(heap_after_idle),
        mib(heap_end)
    );
    println!(
        "heap per idle session: {:.1} KiB (goal <= {:.0} KiB)",
        per_session / 1024.0,
        GOAL_HEAP_PER_SESSION / 1024.0
    );
    println!(
        "idle CPU: {cpu:.2?} in {IDLE_WINDOW:?} = {core_percent:.2} % of a core, {per_thousand:.3} % per 1,000 sessions (goal <= {GOAL_CPU_PER_THOUSAND} %)"
    );
    println!("open files: {files_start} before, {files_idle} idle, {files_end} after leaving");
    println!("sessions ended with Disconnected: {ended} of {count}");
    let heap_back = heap_end - heap_start < 1024 * 1024;
    let files_back = files_end <= files_start + 32;
    let goals = [
        (
            "heap per idle session",
            per_session <= GOAL_HEAP_PER_SESSION,
        ),
        (
            "idle CPU per 1,000 sessions",
            per_thousand <= GOAL_CPU_PER_THOUSAND,
        ),
        ("every session ended", ended == count),
        ("sockets closed after leaving", files_back),
        ("heap back to the start (within 1 MiB)", heap_back),
    ];
    let mut passed = true;
    for (goal, met) in goals {
        println!("{}: {goal}", if met { "met" } else { "MISSED" });
        passed &= met;
    }
    let _ = std::io::stdout().flush();
    passed
}

/// The mock service: a REST API (CreateParticipantConnection, DisconnectParticipant) and
/// a WebSocket server that acknowledges subscriptions and answers heartbeats. Prints the
/// REST URL, then serves until its standard input closes.
fn serve() {
    use futures_util::{SinkExt, StreamExt};
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let websocket = format!("ws://{}/chat", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let Ok(mut socket) = tokio_websockets::ServerBuilder::new().accept(stream).await
                    else {
                        return;
                    };
                    while let Some(Ok(message)) = socket.next().await {
                        let Some(text) = message.as_text() else {
                            continue;
                        };
                        let answer = if text.contains("aws/subscribe") {
                            r#"{"topic":"aws/subscribe","content":{"status":"success","topics":["aws/chat"]}}"#
                        } else if text.contains("aws/heartbeat") {
                            r#"{"topic":"aws/heartbeat"}"#
                        } else {
                            continue;
                        };
                        if socket.send(tokio_websockets::Message::text(answer)).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        let rest = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/participant/connection"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "Websocket": {"Url": websocket, "ConnectionExpiry": "2099-01-01T00:00:00.000Z"},
                "ConnectionCredentials": {"ConnectionToken": "connection-token", "Expiry": "2099-01-01T00:00:00.000Z"}
            })))
            .mount(&rest)
            .await;
        Mock::given(method("POST"))
            .and(path("/participant/disconnect"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .mount(&rest)
            .await;
        println!("{}", rest.uri());
        let _ = std::io::stdout().flush();
        // Serve until the parent is gone.
        tokio::task::spawn_blocking(|| {
            let mut sink = String::new();
            while std::io::stdin().read_line(&mut sink).unwrap_or(0) > 0 {}
        })
        .await
        .unwrap();
    });
}
