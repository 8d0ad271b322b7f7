#!/usr/bin/env bash
# The footprint of a program that makes one call (tests/fixture-crates/one-call): crates
# compiled, and the stripped release binary's size.
#
#   bash tests/benches/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
crates=$(cargo tree --offline -p one-call -e normal,build --prefix none \
  | awk '{print $1, $2}' | sort -u | wc -l)
cargo build -q --release -p one-call
stripped=$(mktemp)
strip -o "$stripped" target/release/one-call
bytes=$(stat -c %s "$stripped")
rm -f "$stripped"
echo "crates compiled: $crates"
awk -v b="$bytes" 'BEGIN { printf "stripped binary: %d bytes (%.2f MiB)\n", b, b / 1048576 }'
