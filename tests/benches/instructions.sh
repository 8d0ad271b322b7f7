#!/usr/bin/env bash
# Instructions per SendMessage, counted by callgrind: deterministic, unlike CPU time on a
# shared machine. Each client runs alone in its own process, on the main thread (the
# server's threads are counted separately), at two request counts; the difference divided
# by the extra requests is the per-request cost, setup excluded.
#
#   bash tests/benches/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench -q -p awsgen-tests --bench send_message --no-run
bench=$(ls -t target/release/deps/send_message-* | grep -v '\.d$' | head -n 1)
out=$(mktemp -d)
count() { # client requests -> instructions on the main thread
  BENCH_CLIENT=$1 BENCH_REQUESTS=$2 valgrind --tool=callgrind --separate-threads=yes \
    --callgrind-out-file="$out/cg.$1.$2" "$bench" >/dev/null 2>&1
  grep -m1 '^summary:' "$out/cg.$1.$2-01" | awk '{print $2}'
}
low=100; high=600
declare -A per
for client in floor ours; do
  a=$(count "$client" "$low"); b=$(count "$client" "$high")
  per[$client]=$(( (b - a) / (high - low) ))
  echo "$client: ${per[$client]} instructions per request (main thread)"
done
awk -v o="${per[ours]}" -v f="${per[floor]}" 'BEGIN { printf "ratio to floor: %.2fx\n", o / f }'
rm -rf "$out"
