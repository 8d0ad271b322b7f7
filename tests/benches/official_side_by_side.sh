#!/usr/bin/env bash
# connectparticipant against the official AWS SDK for Rust (aws-sdk-connectparticipant):
# the same SendMessage calls (tests/fixture-crates/send-messages and
# tests/compare/official's send-messages-official) against the same local server (the
# server role of benches/per_request.rs, another process, not measured).
#
#   bash tests/benches/official_side_by_side.sh          # instructions, throughput, binary
#   bash tests/benches/official_side_by_side.sh --cold   # and each program's cold build
#
# - instructions per call: callgrind over the whole program, 100 and 400 calls one at a
#   time, the difference over the extra calls (setup excluded), as instructions.sh does;
# - throughput: 12,800 calls, 64 in flight on one runtime with a worker per core, wall
#   time, best of three runs (the server shares the machine's cores);
# - binary: the stripped release program;
# - cold build: `cargo build --release` of each program into an empty target directory,
#   sources already downloaded, one after the other.
# The official SDK comes from crates.io at the versions tests/compare/official/Cargo.lock
# pins; this needs the registry, so CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/../.."
official_manifest=tests/compare/official/Cargo.toml
official_target=target/compare-official

cargo build -q --release -p send-messages
cargo build -q --release --locked --manifest-path "$official_manifest" --target-dir "$official_target"
cargo bench -q -p awsgen-tests --bench per_request --no-run
bench=$(ls -t target/release/deps/per_request-* | grep -v '\.d$' | head -n 1)
ours=target/release/send-messages
official=$official_target/release/send-messages-official

out=$(mktemp -d)
coproc SERVER { BENCH_ROLE=server exec "$bench"; }
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$out"' EXIT
read -r port <&"${SERVER[0]}"
endpoint="http://127.0.0.1:$port"
# No credentials, profile or metadata lookups from this machine's environment.
isolated=(env -i PATH="$PATH" HOME="$out" AWS_EC2_METADATA_DISABLED=true)
"${isolated[@]}" "$ours" "$endpoint" 1
"${isolated[@]}" "$official" "$endpoint" 1

count() { # program calls -> instructions of the whole process
  "${isolated[@]}" valgrind --tool=callgrind --trace-children=no \
    --callgrind-out-file="$out/cg" "$1" "$endpoint" "$2" >/dev/null 2>&1
  grep -m1 '^summary:' "$out/cg" | awk '{print $2}'
}
per_call() { echo $(( ($(count "$1" 400) - $(count "$1" 100)) / 300 )); }
throughput() { # program -> calls per second, best of three runs
  local best=0 start end rate
  for _ in 1 2 3; do
    start=$(date +%s%N)
    "${isolated[@]}" "$1" "$endpoint" 12800 64
    end=$(date +%s%N)
    rate=$(( 12800 * 1000000000 / (end - start) ))
    if (( rate > best )); then best=$rate; fi
  done
  echo "$best"
}
stripped() { cp "$1" "$out/bin"; strip "$out/bin"; stat -c %s "$out/bin"; }

ours_calls=$(per_call "$ours"); official_calls=$(per_call "$official")
ours_rate=$(throughput "$ours"); official_rate=$(throughput "$official")
ours_size=$(stripped "$ours"); official_size=$(stripped "$official")
row() { awk -v what="$1" -v o="$2" -v f="$3" -v unit="$4" \
  'BEGIN { printf "%-44s %14s %14s   %.2fx\n", what, o unit, f unit, o / f }'; }
printf "%-44s %14s %14s   ratio\n" "" "connectparticipant" "official SDK"
row "instructions per SendMessage" "$ours_calls" "$official_calls" ""
row "SendMessage calls/s, 64 in flight" "$ours_rate" "$official_rate" ""
row "stripped program, bytes" "$ours_size" "$official_size" ""

if [ "${1:-}" = "--cold" ]; then
  cargo fetch -q
  cargo fetch -q --locked --manifest-path "$official_manifest"
  cold() { # label, cargo arguments... -> seconds
    local start end
    start=$(date +%s%N)
    cargo build -q --release "$@"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000000 ))
  }
  ours_cold=$(cold -p send-messages --target-dir "$out/cold-ours")
  official_cold=$(cold --locked --manifest-path "$official_manifest" --target-dir "$out/cold-official")
  row "cold release build, seconds" "$ours_cold" "$official_cold" ""
fi
