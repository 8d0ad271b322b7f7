//! A bot joins a running chat (`CreateParticipant` with the `CUSTOM_BOT` role, signed
//! with the credentials of the default chain) and answers every message of the others
//! over its own `ChatSession`, until the chat ends.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run -p connectparticipant-chat --example chat_bot -- \
//!     --instance-id INSTANCE --contact-id CONTACT [--endpoint-url http://127.0.0.1:8080]
//! ```

use std::collections::HashSet;

use connectparticipant_chat::{ChatEvent, ChatSession, SessionEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.windows(2)
            .find(|pair| pair[0] == name)
            .map(|pair| pair[1].clone())
    };
    let instance = arg("--instance-id").ok_or("--instance-id is required")?;
    let contact = arg("--contact-id").ok_or("--contact-id is required")?;
    let mut backend = connect::Config::from_env();
    let mut participant = connectparticipant::Config::from_env();
    if let Some(url) = arg("--endpoint-url") {
        backend = backend.endpoint_url(&url);
        participant = participant.endpoint_url(&url);
    }

    let added = connect::Client::new(&backend.build()?)?
        .create_participant()
        .instance_id(instance)
        .contact_id(contact)
        .participant_details(
            connect::types::ParticipantDetailsToAdd::builder()
                .participant_role(connect::types::ParticipantRole::CustomBot)
                .display_name("Bot")
                .build(),
        )
        .send()
        .await?;
    let token = added
        .participant_credentials()
        .and_then(|c| c.participant_token())
        .ok_or("no participant token")?;

    let client = connectparticipant::Client::new(&participant.build()?)?;
    let mut session = ChatSession::start(&client, token);
    // The bot's own messages come back on the socket too: they are not answered.
    let mut sent = HashSet::new();
    while let Some(event) = session.next_event().await {
        let SessionEvent::Chat(event) = event else {
            continue;
        };
        let ChatEvent::Message(item) = event.event else {
            continue;
        };
        let (Some(id), Some(text)) = (item.id(), item.content()) else {
            continue;
        };
        if sent.contains(id) {
            continue;
        }
        let answer = format!("You said: {text}");
        if let Some(id) = session.send_message("text/plain", &answer).await? {
            sent.insert(id);
        }
    }
    println!("the chat has ended");
    Ok(())
}
