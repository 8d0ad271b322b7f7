//! Sends one chat message: `one-call ENDPOINT_URL CONNECTION_TOKEN`. Kept minimal on
//! purpose: its dependency tree and stripped binary are the crate's footprint
//! (`tests/tests/footprint.rs`, `tests/benches/footprint.sh`).

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(token)) = (args.next(), args.next()) else {
        return Err("usage: one-call ENDPOINT_URL CONNECTION_TOKEN".into());
    };
    let config = connectparticipant::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .build()?;
    let client = connectparticipant::Client::new(&config)?;
    let sent = client
        .send_message()
        .connection_token(token)
        .content_type("text/plain")
        .content("Hello")
        .send()
        .await?;
    println!("{}", sent.id().unwrap_or("(no id)"));
    Ok(())
}
