//! `send-messages-official ENDPOINT_URL CALLS [IN_FLIGHT]`: call for call what
//! `tests/fixture-crates/send-messages` does with ours, with aws-sdk-connectparticipant.
//! That SDK signs SendMessage with SigV4 (its model's `auth` says so) although the
//! service authenticates the call by its connection token: without credentials it sends
//! nothing ("NoMatchingAuthSchemeError"), so it is given static ones, which the local
//! server ignores.

use std::sync::Arc;

use aws_sdk_connectparticipant::config::{BehaviorVersion, Credentials, Region};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: send-messages-official ENDPOINT_URL CALLS [IN_FLIGHT]";
    let endpoint = args.next().ok_or(usage)?;
    let calls: usize = args.next().ok_or(usage)?.parse()?;
    let in_flight: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let config = aws_sdk_connectparticipant::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "static",
        ))
        .build();
    let client = Arc::new(aws_sdk_connectparticipant::Client::from_conf(config));
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
                        .map_err(|e| format!("{e:?}"))?;
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
