//! CPU per SendMessage: the generated client against the floor, a hand-written reqwest
//! client that sends the same request (same headers, same JSON body with a fresh UUID
//! idempotency token, typed serde both ways) to the same local server.
//!
//! `cargo bench -p awsgen-tests --bench send_message`
//!
//! Each client runs on a single-threaded runtime in the measuring thread; the server runs
//! on other threads, so only the client's CPU is counted (Linux `schedstat` of the
//! thread). Prints nanoseconds of CPU per request and the ratio to the floor.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

const TOKEN: &str = "bench-connection-token";
const RESPONSE_BODY: &str =
    r#"{"Id":"d6b1c8f2-0d1f-4a39-9d3f-6f1b5b7d4a11","AbsoluteTime":"2024-05-01T10:00:00.000Z"}"#;
const WARMUP: usize = 300;
const ITERATIONS: usize = 10_000;
/// Rounds alternate between the clients, so drift on a shared machine hits both alike;
/// the median round is reported.
const ROUNDS: usize = 5;

/// A minimal keep-alive HTTP/1.1 server answering every request with one JSON body.
fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://{address}")
}

fn serve(stream: TcpStream) {
    stream.set_nodelay(true).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: bench\r\ncontent-length: {}\r\n\r\n{RESPONSE_BODY}",
        RESPONSE_BODY.len()
    );
    loop {
        let mut content_length = 0;
        let mut line = String::new();
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
        if reader.read_exact(&mut body).is_err() || writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// User-mode and kernel-mode CPU time of this thread, in nanoseconds. Kernel time on
/// loopback includes the TCP receive path of whichever side sent, which swings between
/// runs; user time is the client's own work, the part that differs between clients.
fn thread_cpu_ns() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("Linux /proc");
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    let after_name = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<u64> = after_name
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let tick_ns = 1_000_000_000 / clock_ticks_per_second();
    (fields[11] * tick_ns, fields[12] * tick_ns)
}

/// `USER_HZ`, which is 100 on Linux for every architecture this bench runs on.
fn clock_ticks_per_second() -> u64 {
    100
}

/// User and kernel CPU nanoseconds per request over one round of `ITERATIONS` calls.
async fn round<F: std::future::Future<Output = ()>>(run: &mut impl FnMut() -> F) -> (f64, f64) {
    let (user_start, kernel_start) = thread_cpu_ns();
    for _ in 0..ITERATIONS {
        run().await;
    }
    let (user_end, kernel_end) = thread_cpu_ns();
    let per = |ns: u64| ns as f64 / ITERATIONS as f64;
    (per(user_end - user_start), per(kernel_end - kernel_start))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct FloorBody<'a> {
    content_type: &'a str,
    content: &'a str,
    client_token: String,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)] // Fields are read by serde only: the floor parses what the client parses.
struct FloorOutput {
    id: Option<String>,
    absolute_time: Option<String>,
}

fn main() {
    let endpoint = start_server();
    let url = format!("{endpoint}/participant/message");
    let floor = reqwest::Client::new();
    let mut floor_call = || {
        let (floor, url) = (floor.clone(), url.clone());
        async move {
            let body = FloorBody {
                content_type: "text/plain",
                content: "Hello, I need help with my order.",
                client_token: uuid::Uuid::new_v4().to_string(),
            };
            let response = floor
                .post(&url)
                .header("x-amz-bearer", TOKEN)
                .header("content-type", "application/json")
                .body(serde_json::to_vec(&body).unwrap())
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            let output: FloorOutput = serde_json::from_slice(&bytes).unwrap();
            assert!(output.id.is_some());
        }
    };

    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url(&endpoint)
        .build()
        .unwrap();
    let client = connectparticipant::Client::new(&config).unwrap();
    let mut our_call = || {
        let client = client.clone();
        async move {
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
    };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Under callgrind (see instructions.sh): one client alone, for a fixed count.
    if let (Ok(which), Ok(count)) = (
        std::env::var("BENCH_CLIENT"),
        std::env::var("BENCH_REQUESTS"),
    ) {
        let count: usize = count.parse().expect("BENCH_REQUESTS is a number");
        runtime.block_on(async {
            for _ in 0..count {
                match which.as_str() {
                    "floor" => floor_call().await,
                    _ => our_call().await,
                }
            }
        });
        return;
    }
    let (floor_rounds, our_rounds) = runtime.block_on(async {
        for _ in 0..WARMUP {
            floor_call().await;
            our_call().await;
        }
        let (mut floor_rounds, mut our_rounds) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            floor_rounds.push(round(&mut floor_call).await);
            our_rounds.push(round(&mut our_call).await);
        }
        (floor_rounds, our_rounds)
    });
    let user = |rounds: &[(f64, f64)]| median(rounds.iter().map(|r| r.0).collect());
    let kernel = |rounds: &[(f64, f64)]| median(rounds.iter().map(|r| r.1).collect());
    let (floor_ns, ours_ns) = (user(&floor_rounds), user(&our_rounds));
    println!("median of {ROUNDS} rounds of {ITERATIONS} requests; user-mode CPU per request (kernel in brackets)");
    println!(
        "floor (reqwest)        {floor_ns:>8.0} ns  ({:.0} ns)",
        kernel(&floor_rounds)
    );
    println!(
        "connectparticipant     {ours_ns:>8.0} ns  ({:.0} ns)",
        kernel(&our_rounds)
    );
    println!("ratio to floor         {:>8.2}x", ours_ns / floor_ns);
}
