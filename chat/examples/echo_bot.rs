//! An echo bot: answers every message of the other participants with `echo: <message>`,
//! until the chat ends.
//!
//! ```sh
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example echo_bot -- [--endpoint-url URL]
//! ```

use connectparticipant::{Client, Config};
use connectparticipant_chat::{Change, ChatEvent, ChatSession, EndReason, SessionEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;
    // The participant token comes from StartChatContact or CreateParticipant (a backend
    // calls them: see the start_chat and chat_bot examples).
    let mut session = ChatSession::start(&client, std::env::var("PARTICIPANT_TOKEN")?);
    while let Some(event) = session.next_event().await {
        match event {
            SessionEvent::Connected => println!("connected"),
            // The session reconnects by itself and fills the gap from the transcript.
            SessionEvent::ConnectionLost => println!("connection lost, reconnecting"),
            SessionEvent::Chat(update) => {
                // Our own messages come back on the socket too (`own`): they are not
                // echoed; nor is a message again when a streamed one's next chunk updates it.
                if update.own || update.change != Change::Added {
                    continue;
                }
                if let ChatEvent::Message(item) = update.event {
                    let text = item.content().unwrap_or_default();
                    session
                        .send_message("text/plain", &format!("echo: {text}"))
                        .await?;
                }
            }
            SessionEvent::Ended(reason) => {
                match reason {
                    EndReason::ChatEnded => println!("the chat has ended"),
                    EndReason::TokenRefused(why) => println!("the token was refused: {why}"),
                    other => println!("the session ended: {other:?}"),
                }
                break;
            }
            _ => {}
        }
    }
    Ok(())
}
