//! An echo bot: answers every message of the other participants with `echo: <message>`,
//! until the chat ends.
//!
//! ```sh
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example echo_bot -- [--endpoint-url URL]
//! ```

use std::collections::HashSet;

use connectparticipant::{Client, Config};
use connectparticipant_chat::{ChatEvent, ChatSession, SessionEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;
    let mut session = ChatSession::start(&client, std::env::var("PARTICIPANT_TOKEN")?);
    // Our own messages come back on the socket too: they are not echoed.
    let mut sent = HashSet::new();
    while let Some(event) = session.next_event().await {
        let SessionEvent::Chat(event) = event else {
            continue;
        };
        let ChatEvent::Message(item) = *event else {
            continue;
        };
        let (Some(id), Some(text)) = (item.id(), item.content()) else {
            continue;
        };
        if sent.contains(id) {
            continue;
        }
        if let Some(id) = session
            .send_message("text/plain", &format!("echo: {text}"))
            .await?
        {
            sent.insert(id);
        }
    }
    println!("the chat has ended");
    Ok(())
}
