//! `send-messages ENDPOINT_URL CALLS [IN_FLIGHT]`: CALLS SendMessage calls, IN_FLIGHT (1
//! unless given) at a time, each in a task of one runtime with a worker per core. The
//! official SDK's program in `tests/compare/official` makes the same calls.

use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: send-messages ENDPOINT_URL CALLS [IN_FLIGHT]";
    let endpoint = args.next().ok_or(usage)?;
    let calls: usize = args.next().ok_or(usage)?.parse()?;
    let in_flight: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .build()?;
    let client = Arc::new(connectparticipant::Client::new(&config)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..in_flight.max(1) {
            let client = Arc::clone(&client);
            let share = calls / in_flight.max(1) + usize::from(task < calls % in_flight.max(1));
            tasks.spawn(async move {
                for _ in 0..share {
                    client
                        .send_message()
                        .connection_token("bench-connection-token")
                        .content_type("text/plain")
                        .content("Hello")
                        .send()
                        .await
                        .map_err(|e| e.to_string())?;
                }
                Ok::<_, String>(())
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.map_err(|e| e.to_string())??;
        }
        Ok(())
    })
}
