//! A full-screen terminal chat participant: the transcript with roles and times, who is
//! typing, delivered and read marks on your messages, streamed replies growing in place,
//! shared files, a banner while the connection is lost, and scroll-back through the
//! chat's history (PgUp past the top loads older messages).
//!
//! ```sh
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example participant
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example participant -- --endpoint-url http://127.0.0.1:8080
//! ```
//!
//! The participant token comes from `StartChatContact` (your backend calls it; see the
//! `start_chat` example). Enter sends, Esc leaves the chat (and quits once it has
//! ended), Ctrl-C quits at once. Times are UTC.

mod ui;

use connectparticipant::{Client, Config};
use connectparticipant_chat::ChatSession;
use ratatui::crossterm::event;
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;
    let token = std::env::var("PARTICIPANT_TOKEN")?;
    // A person reads this screen: the others may see what was delivered and read.
    let session = ChatSession::builder(&client, token)
        .automatic_receipts(true)
        .start();
    // The terminal's events are read on a thread of their own (crossterm's reads block).
    let (events_tx, events) = mpsc::channel(64);
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            if events_tx.blocking_send(event).is_err() {
                return;
            }
        }
    });
    let mut terminal = ratatui::init();
    let result = ui::run(&mut terminal, session, events).await;
    ratatui::restore();
    Ok(result?)
}
