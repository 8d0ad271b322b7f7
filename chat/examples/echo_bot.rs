//! An echo bot: answers every message of the other participants with `echo: <message>`,
//! until the chat ends.
//!
//! ```sh
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example echo_bot -- [--endpoint-url URL]
//! ```

use connectparticipant::{Client, Config};
use connectparticipant_chat::{Change, ChatEvent, ChatSession, SessionEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;
    let mut session = ChatSession::start(&client, std::env::var("PARTICIPANT_TOKEN")?);
    while let Some(event) = session.next_event().await {
        let SessionEvent::Chat(update) = event else {
            continue;
        };
        // Our own messages come back on the socket too (`own`): they are not echoed; nor
        // is a message again when the next chunk of a streamed one updates it.
        if update.own || update.change != Change::Added {
            continue;
        }
        let ChatEvent::Message(item) = update.event else {
            continue;
        };
        if let Some(text) = item.content() {
            session
                .send_message("text/plain", &format!("echo: {text}"))
                .await?;
        }
    }
    println!("the chat has ended");
    Ok(())
}
