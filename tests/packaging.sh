#!/usr/bin/env bash
# The crates as a user of a registry gets them: awsgen-runtime, connectparticipant and
# connectparticipant-chat packaged (`cargo package`: the files a registry would hold, with
# versioned dependencies), then a one-call program checked against those packages in a
# fresh resolution (no lock file: the newest versions their requirements allow, as a new
# project gets), whose tree must hold one version of each crate. Needs crates.io.
#
#   bash tests/packaging.sh
set -euo pipefail
cd "$(dirname "$0")/.."
crates=(awsgen-runtime connectparticipant connectparticipant-chat)
args=()
for crate in "${crates[@]}"; do args+=(-p "$crate"); done
# Verified by the program's build below, which builds them from the packages.
cargo package --quiet --no-verify --allow-dirty "${args[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
patches=""
for crate in "${crates[@]}"; do
  version=$(cargo pkgid -p "$crate" | sed 's/.*[@#]//')
  tar -xzf "target/package/$crate-$version.crate" -C "$work"
  patches+="$crate = { path = \"$crate-$version\" }"$'\n'
done
cat > "$work/Cargo.toml" <<TOML
[package]
name = "one-call-from-packages"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
connectparticipant = "0.1"
connectparticipant-chat = "0.1"
tokio = { version = "1", features = ["macros", "rt"] }

[patch.crates-io]
$patches
[workspace]
TOML
cat > "$work/src/main.rs" <<'RUST'
//! One call, as a new user writes it; and the chat session type, so that the chat crate
//! is built too.
use connectparticipant::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .build()?;
    let client = Client::new(&config)?;
    let sent = client
        .send_message()
        .connection_token("token")
        .content_type("text/plain")
        .content("hello")
        .send()
        .await;
    println!("{}", sent.is_ok());
    let _session: Option<connectparticipant_chat::ChatSession> = None;
    Ok(())
}
RUST
cd "$work"
cargo generate-lockfile --quiet
duplicates=$(cargo tree --duplicates -e normal,build --prefix none 2>/dev/null | grep -v '^$' || true)
if [ -n "$duplicates" ]; then
  echo "a fresh resolution builds crates in two versions:" >&2
  echo "$duplicates" >&2
  exit 1
fi
# A target directory of its own each time: the packages' files carry a fixed mtime, so a
# cached build of an older package would look up to date.
cargo check --quiet
echo "packaged: ${crates[*]}; a one-call program builds against them with one version of each crate ($(cargo tree -e normal,build --prefix none | sed 's/ (\*)//' | sort -u | wc -l) crates)"
