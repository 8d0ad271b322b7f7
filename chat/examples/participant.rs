//! A terminal chat participant: prints what the others say, sends what you type.
//!
//! ```sh
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example participant
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example participant -- --endpoint-url http://127.0.0.1:8080
//! ```
//!
//! The participant token comes from `StartChatContact` (your backend calls it). End the
//! chat with Ctrl-D.

use connectparticipant::{Client, Config};
use connectparticipant_chat::{ChatEvent, ChatSession, SessionEvent};
use tokio::io::{AsyncBufReadExt, BufReader};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;
    let mut session = ChatSession::start(&client, std::env::var("PARTICIPANT_TOKEN")?);
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        tokio::select! {
            event = session.next_event() => match event {
                Some(SessionEvent::Chat(event)) => show(&event),
                Some(SessionEvent::Connected) => println!("* connected; type to chat, Ctrl-D to leave"),
                Some(SessionEvent::ConnectionLost) => println!("* connection lost, reconnecting…"),
                Some(SessionEvent::ConnectionRestored) => println!("* back"),
                Some(SessionEvent::Lagged(n)) => println!("* {n} events skipped; the transcript brings the messages again"),
                Some(SessionEvent::GapNotFilled(why)) => println!("* some messages may be missing: {why}"),
                Some(SessionEvent::Ended(reason)) => {
                    println!("* the session has ended: {reason:?}");
                    return Ok(());
                }
                None => return Ok(()),
                Some(_) => {}
            },
            line = lines.next_line() => match line? {
                Some(text) if !text.trim().is_empty() => {
                    session.send_message("text/plain", &text).await?;
                }
                Some(_) => {}
                None => {
                    session.disconnect().await?;
                    return Ok(());
                }
            },
        }
    }
}

fn show(event: &ChatEvent) {
    let item = event.item();
    let who = item.display_name().unwrap_or("?");
    match event {
        ChatEvent::Message(_) => println!("{who}: {}", item.content().unwrap_or_default()),
        ChatEvent::Attachment(_) => println!("{who} shared a file"),
        ChatEvent::Typing(_) => {}
        ChatEvent::ParticipantJoined(_) => println!("* {who} joined"),
        ChatEvent::ParticipantLeft(_) => println!("* {who} left"),
        _ => {}
    }
}
