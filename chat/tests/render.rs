//! The render example's `apply` keeps a chat in time order whatever the order items
//! arrive in: live, recovered by the transcript after a gap, updated by a streamed reply.

#[path = "../examples/render.rs"]
#[allow(dead_code)] // Its `main` is the example's.
mod render;

use std::time::{Duration, Instant, SystemTime};

use connectparticipant_chat::machine::{Action, Input, Machine};
use connectparticipant_chat::{Change, SessionEvent, Source};
use serde_json::json;

fn frame(id: &str, second: u32, content: &str) -> String {
    let item = json!({
        "Id": id, "Type": "MESSAGE", "ContentType": "text/plain", "Content": content,
        "DisplayName": "Agent", "AbsoluteTime": format!("2026-12-01T12:00:{second:02}.000Z"),
    });
    json!({"topic": "aws/chat", "content": item.to_string()}).to_string()
}

fn item(id: &str, second: u32, content: &str) -> connectparticipant::types::Item {
    connectparticipant::types::Item::builder()
        .id(id)
        .r#type("MESSAGE")
        .content_type("text/plain")
        .content(content)
        .display_name("Agent")
        .absolute_time(format!("2026-12-01T12:00:{second:02}.000Z"))
        .build()
}

#[test]
fn recovered_and_updated_items_render_in_time_order() {
    let start = Instant::now();
    let mut machine = Machine::new();
    let mut lines = Vec::new();
    let mut updates = Vec::new();
    // What reaches the application; `false`: dropped before it read it (a lag).
    let shown = std::cell::Cell::new(true);
    let mut feed = |machine: &mut Machine, input: Input| {
        for action in machine.handle(start + Duration::from_secs(1), input) {
            if let Action::Emit(SessionEvent::Chat(update)) = action {
                if shown.get() {
                    render::apply(&mut lines, &update);
                }
                updates.push((update.change, update.source, update.after.clone()));
            }
        }
    };
    machine.start();
    feed(
        &mut machine,
        Input::Created {
            url: "wss://chat".into(),
            token: "t".into(),
            expiry: None,
            wall_now: SystemTime::now(),
        },
    );
    feed(&mut machine, Input::Opened(1));
    let ack = json!({"topic": "aws/subscribe", "content": {"status": "success"}});
    feed(&mut machine, Input::Text(1, ack.to_string()));
    // Live: the first message, the first chunk of a streamed reply, then the third
    // message, which the application does not get to read.
    feed(&mut machine, Input::Text(1, frame("m1", 1, "hello")));
    feed(&mut machine, Input::Text(1, frame("r4", 4, "Thin")));
    shown.set(false);
    feed(&mut machine, Input::Text(1, frame("m3", 3, "third")));
    shown.set(true);
    // The application fell behind on m3: the transcript brings it again, with the second
    // message, which the socket never delivered.
    feed(&mut machine, Input::Lagged(vec!["m3".into()]));
    feed(
        &mut machine,
        Input::TranscriptPage(vec![
            item("m1", 1, "hello"),
            item("m2", 2, "second"),
            item("m3", 3, "third"),
        ]),
    );
    feed(&mut machine, Input::TranscriptDone(Ok(())));
    // The streamed reply grows in place.
    feed(
        &mut machine,
        Input::Text(1, frame("r4", 4, "Thinking done")),
    );

    let texts: Vec<&str> = lines.iter().map(|(_, text)| text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Agent: hello",
            "Agent: second (recovered)",
            "Agent: third (recovered)",
            "Agent: Thinking done"
        ]
    );
    assert!(updates.contains(&(Change::Added, Source::Transcript, Some("m1".into()))));
    assert_eq!(
        updates.last(),
        Some(&(Change::Updated, Source::Live, Some("m3".into())))
    );
}
