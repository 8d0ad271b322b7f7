//! The README's example: connect as the customer, send a message, read the transcript.
//! Run it against a real contact with `PARTICIPANT_TOKEN=… cargo run --example chat_session`
//! (or point `AWS_ENDPOINT_URL_CONNECTPARTICIPANT` at a local server).

use connectparticipant::types::{ConnectionType, ScanDirection};
use connectparticipant::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Region from code or from AWS_REGION; no AWS credentials are needed: this API
    // authenticates with the participant and connection tokens alone (no SigV4).
    let config = Config::from_env().region("us-east-1").build()?;
    let client = Client::new(&config)?;

    // The participant token comes from StartChatContact (called by your backend).
    let participant_token = std::env::var("PARTICIPANT_TOKEN")?;
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
    Ok(())
}
