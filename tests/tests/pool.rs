//! The client keeps a bounded number of idle connections per host: after a burst of
//! concurrent calls, the connections beyond the bound are closed, not kept for the pool's
//! idle timeout. (A raw keep-alive HTTP server on 127.0.0.1 counts the open connections.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use connectparticipant::{Client, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server answering every request `{}` (keep-alive, each answer 50 ms late so that
/// the calls overlap); the number of connections open now.
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let open = Arc::new(AtomicUsize::new(0));
    let count = open.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let count = count.clone();
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                let mut filled = 0;
                while let Ok(read) = stream.read(&mut buffer[filled..]).await {
                    if read == 0 {
                        break;
                    }
                    filled += read;
                    let text = String::from_utf8_lossy(&buffer[..filled]).into_owned();
                    let Some(end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length: usize = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if filled < end + 4 + length {
                        continue;
                    }
                    filled = 0;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                    if stream.write_all(answer.as_bytes()).await.is_err() {
                        break;
                    }
                }
                count.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (url, open)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_beyond_the_bound_are_closed_after_a_burst() {
    let (url, open) = counting_server().await;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(&url)
        .max_idle_connections(4)
        .build()
        .unwrap();
    let bound = config.max_idle_connections();
    let client = Client::new(&config).unwrap();
    let calls = (0..40).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .send_event()
                .connection_token("t")
                .content_type("application/vnd.amazonaws.connect.event.typing")
                .send()
                .await
                .unwrap();
        })
    });
    let calls: Vec<_> = calls.collect();
    tokio::time::sleep(Duration::from_millis(30)).await;
    let during = open.load(Ordering::SeqCst);
    for call in calls {
        call.await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = open.load(Ordering::SeqCst);
    assert!(during > 4, "the burst used {during} connections");
    assert!(
        after <= bound,
        "{after} connections stay open after the burst"
    );
}
