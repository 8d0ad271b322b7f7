//! Starts a chat, signed: `start-chat ENDPOINT_URL [CALLS]`. The same program as
//! `tests/compare/official` (the official SDK), call for call: static credentials, region
//! `us-east-1`, one client, `CALLS` calls (1 unless given) made one after another.
//! `tests/benches/signed_cost.sh` builds both cold and counts their instructions.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let endpoint = args
        .next()
        .ok_or("usage: start-chat ENDPOINT_URL [CALLS]")?;
    let calls: u32 = args.next().map_or(Ok(1), |n| n.parse())?;
    let config = connect::Config::from_env()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials(connect::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ))
        .build()?;
    let client = connect::Client::new(&config)?;
    for _ in 0..calls {
        let started = client
            .start_chat_contact()
            .instance_id("12345678-aaaa-bbbb-cccc-123456789012")
            .contact_flow_id("87654321-aaaa-bbbb-cccc-123456789012")
            .participant_details(
                connect::types::ParticipantDetails::builder()
                    .display_name("Customer")
                    .build(),
            )
            .send()
            .await?;
        if started.participant_token().is_none() {
            return Err("no participant token".into());
        }
    }
    Ok(())
}
