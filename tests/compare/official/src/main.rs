//! Starts a chat with the official SDK: `start-chat-official ENDPOINT_URL [CALLS]`, call
//! for call what `tests/fixture-crates/start-chat` does with ours.

use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::types::ParticipantDetails;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let endpoint = args
        .next()
        .ok_or("usage: start-chat-official ENDPOINT_URL [CALLS]")?;
    let calls: u32 = args.next().map_or(Ok(1), |n| n.parse())?;
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "static",
        ))
        .load()
        .await;
    let client = aws_sdk_connect::Client::new(&config);
    for _ in 0..calls {
        let started = client
            .start_chat_contact()
            .instance_id("12345678-aaaa-bbbb-cccc-123456789012")
            .contact_flow_id("87654321-aaaa-bbbb-cccc-123456789012")
            .participant_details(ParticipantDetails::builder().display_name("Customer").build()?)
            .send()
            .await?;
        if started.participant_token().is_none() {
            return Err("no participant token".into());
        }
    }
    Ok(())
}
