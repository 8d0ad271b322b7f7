#!/usr/bin/env bash
# A signed call's cost, ours against the official AWS SDK for Rust: the same program,
# StartChatContact with static credentials (tests/fixture-crates/start-chat with the
# generated `connect` crate; tests/compare/official with aws-sdk-connect + aws-config).
#
#   bash tests/benches/signed_cost.sh           # instructions per request (callgrind)
#   bash tests/benches/signed_cost.sh --cold    # and the cold release build of each
#
# Instructions: the method of instructions.sh. Each program runs alone under callgrind
# against the local server of benches/per_request.rs (another process, not traced); two
# call counts are run and the difference over the extra calls is the cost of one call,
# setup excluded. Cold build: `cargo build --release` of each program into an empty target
# directory, sources already downloaded (`cargo fetch`), one after the other on this
# machine; crates compiled are the distinct crates of its normal and build dependencies.
# The official SDK comes from crates.io at the versions tests/compare/official/Cargo.lock
# pins; this needs the registry, so CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/../.."
official_manifest=tests/compare/official/Cargo.toml
official_target=target/compare-official

cargo build -q --release -p start-chat
cargo build -q --release --locked --manifest-path "$official_manifest" --target-dir "$official_target"
cargo bench -q -p awsgen-tests --bench per_request --no-run
bench=$(ls -t target/release/deps/per_request-* | grep -v '\.d$' | head -n 1)
ours=target/release/start-chat
official=$official_target/release/start-chat-official

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
  local file
  file="$out/cg.$(basename "$1").$2"
  "${isolated[@]}" valgrind --tool=callgrind --trace-children=no \
    --callgrind-out-file="$file" "$1" "$endpoint" "$2" >/dev/null 2>&1
  grep -m1 '^summary:' "$file" | awk '{print $2}'
}
low=100; high=400
declare -A per
for name in ours official; do
  program=${!name}
  a=$(count "$program" "$low"); b=$(count "$program" "$high")
  per[$name]=$(( (b - a) / (high - low) ))
done
awk -v o="${per[ours]}" -v f="${per[official]}" 'BEGIN {
  printf "StartChatContact, signed: instructions per request\n"
  printf "  official aws-sdk-connect %9d\n  ours (connect)           %9d   ratio %.3fx\n", f, o, o / f
}'

[[ "${1:-}" == "--cold" ]] || exit 0
crates() { cargo tree "$@" -e normal,build --prefix none | awk '{print $1, $2}' | sort -u | wc -l; }
tls() { cargo tree "$@" -e normal,build --prefix none | awk '{print $1}' | sort -u \
  | grep -xE 'ring|aws-lc-rs|aws-lc-sys|openssl|openssl-sys|native-tls' | paste -sd ' ' -; }
cold() { # label, then cargo build arguments -> seconds
  local dir start
  dir=$(mktemp -d)
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" cargo build -q --release "$@"
  awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
  rm -rf "$dir"
}
cargo fetch -q
cargo fetch -q --manifest-path "$official_manifest"
ours_s=$(cold -p start-chat)
official_s=$(cold --locked --manifest-path "$official_manifest")
printf "Cold release build of the one-call program (%s cores)\n" "$(nproc)"
printf "  official aws-sdk-connect + aws-config %7ss  %4d crates  crypto: %s\n" \
  "$official_s" "$(crates --manifest-path "$official_manifest")" "$(tls --manifest-path "$official_manifest")"
printf "  ours (connect)                        %7ss  %4d crates  crypto: %s\n" \
  "$ours_s" "$(crates -p start-chat)" "$(tls -p start-chat)"
awk -v o="$ours_s" -v f="$official_s" 'BEGIN { printf "  ratio %.3fx\n", o / f }'
