//! Renders a chat as a list of lines that stays in time order: new items go after the
//! item their update names (`after`), so items the transcript recovers after a reconnect
//! land where they belong; an update (the next chunk of a streamed reply) replaces its
//! line in place; this participant's own messages are marked.
//!
//! ```sh
//! PARTICIPANT_TOKEN=… cargo run -p connectparticipant-chat --example render -- [--endpoint-url URL]
//! ```

use connectparticipant::{Client, Config};
use connectparticipant_chat::{Change, ChatSession, ChatUpdate, SessionEvent, Source};

/// One rendered line: the item's id and its text.
pub type Line = (String, String);

/// Applies one update to the rendered chat.
pub fn apply(lines: &mut Vec<Line>, update: &ChatUpdate) {
    let Some(id) = update.item().id() else {
        return;
    };
    let who = if update.own {
        "me"
    } else {
        update.item().display_name().unwrap_or("?")
    };
    let late = if update.source == Source::Transcript {
        " (recovered)"
    } else {
        ""
    };
    let text = format!(
        "{who}: {}{late}",
        update.item().content().unwrap_or_default()
    );
    let line = (id.to_owned(), text);
    match update.change {
        Change::Updated => {
            if let Some(old) = lines.iter_mut().find(|(line_id, _)| line_id == id) {
                *old = line;
                return;
            }
            lines.push(line);
        }
        _ => {
            // Right after the item it follows in time (or first).
            let at = update
                .after
                .as_deref()
                .and_then(|after| lines.iter().position(|(line_id, _)| line_id == after))
                .map_or(0, |position| position + 1);
            lines.insert(at, line);
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::from_env().region("us-east-1");
    let args: Vec<String> = std::env::args().collect();
    if let Some(url) = args.windows(2).find(|a| a[0] == "--endpoint-url") {
        config = config.endpoint_url(&url[1]);
    }
    let client = Client::new(&config.build()?)?;
    let mut session = ChatSession::start(&client, std::env::var("PARTICIPANT_TOKEN")?);
    let mut lines = Vec::new();
    while let Some(event) = session.next_event().await {
        if let SessionEvent::Chat(update) = event {
            apply(&mut lines, &update);
            println!("----");
            for (_, text) in &lines {
                println!("{text}");
            }
        }
    }
    Ok(())
}
