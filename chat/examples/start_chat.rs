//! The whole chat flow in Rust: a backend starts a chat (`StartChatContact`, signed with
//! SigV4 and the credentials of the default chain) and joins it as the customer with a
//! `ChatSession`, says hello, and prints the chat until it ends.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run -p connectparticipant-chat --example start_chat -- \
//!     --instance-id INSTANCE --contact-flow-id FLOW [--endpoint-url http://127.0.0.1:8080]
//! ```
//!
//! `--endpoint-url` sends both APIs (Amazon Connect and the participant service) to one
//! local server, for testing.

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
    let flow = arg("--contact-flow-id").ok_or("--contact-flow-id is required")?;
    let mut backend = connect::Config::from_env();
    let mut participant = connectparticipant::Config::from_env();
    if let Some(url) = arg("--endpoint-url") {
        backend = backend.endpoint_url(&url);
        participant = participant.endpoint_url(&url);
    }

    // The backend half: signed, with the caller's AWS credentials.
    let started = connect::Client::new(&backend.build()?)?
        .start_chat_contact()
        .instance_id(instance)
        .contact_flow_id(flow)
        .participant_details(
            connect::types::ParticipantDetails::builder()
                .display_name("Customer")
                .build(),
        )
        .send()
        .await?;
    let token = started.participant_token().ok_or("no participant token")?;
    println!("started contact {}", started.contact_id().unwrap_or("?"));

    // The customer half: the participant token is all it needs.
    let client = connectparticipant::Client::new(&participant.build()?)?;
    let mut session = ChatSession::start(&client, token);
    while let Some(event) = session.next_event().await {
        match event {
            SessionEvent::Connected => {
                session
                    .send_message("text/plain", "Hello from Rust!")
                    .await?;
            }
            SessionEvent::Chat(event) => {
                if let ChatEvent::Message(item) = event.event {
                    let who = item.display_name().unwrap_or("?");
                    println!("{who}: {}", item.content().unwrap_or_default());
                }
            }
            SessionEvent::Ended(reason) => println!("the chat has ended: {reason:?}"),
            _ => {}
        }
    }
    Ok(())
}
