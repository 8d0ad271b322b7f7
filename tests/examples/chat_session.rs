//! The README's example, a chat participant: connect as the customer, send a message,
//! read the whole transcript through the paginator, disconnect. Run it against a real
//! contact with `PARTICIPANT_TOKEN=… cargo run -p awsgen-tests --example chat_session`,
//! or against a local server with `-- --endpoint-url http://127.0.0.1:8080`
//! (`tests/tests/examples.rs` does that with a mock of the service).

use connectparticipant::types::{ConnectionType, ScanDirection};
use connectparticipant::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Region from code or from AWS_REGION; no AWS credentials are needed: this API
    // authenticates with the participant and connection tokens alone (no SigV4).
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;

    // The participant token comes from StartChatContact (called by your backend).
    let participant_token = std::env::var("PARTICIPANT_TOKEN")?;
    chat(&client, &participant_token).await
}

pub async fn chat(
    client: &Client,
    participant_token: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let connection = client
        .create_participant_connection()
        .participant_token(participant_token)
        .r#type(ConnectionType::ConnectionCredentials)
        .connect_participant(true)
        .send()
        .await?;
    let token = connection
        .connection_credentials()
        .and_then(|c| c.connection_token())
        .ok_or("no connection token")?;

    let sent = client
        .send_message()
        .connection_token(token)
        .content_type("text/plain")
        .content("Hello, I need help with my order.")
        .send()
        .await?;
    println!("sent message {:?}", sent.id());

    // The whole transcript, newest first: the paginator calls GetTranscript page after
    // page (20 items each), following the token each page returns.
    let mut items = client
        .get_transcript()
        .connection_token(token)
        .scan_direction(ScanDirection::Backward)
        .into_paginator()
        .page_size(20)
        .items();
    while let Some(item) = items.next().await {
        let item = item?;
        println!(
            "{:?} {:?}: {:?}",
            item.participant_role(),
            item.display_name(),
            item.content()
        );
    }

    client
        .disconnect_participant()
        .connection_token(token)
        .send()
        .await?;
    Ok(())
}
