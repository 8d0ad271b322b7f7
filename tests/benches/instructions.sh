#!/usr/bin/env bash
# Instructions per request, counted by callgrind: deterministic, unlike CPU time on a
# shared machine. Each client runs alone in its own process (the server is another
# process, not traced), and every thread of the client process is counted: the caller's
# and the tokio worker's, where hyper's connection task runs. Two request counts are run;
# the difference divided by the extra requests is the per-request cost, setup excluded.
#
#   bash tests/benches/instructions.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench -q -p awsgen-tests --bench per_request --no-run
bench=$(ls -t target/release/deps/per_request-* | grep -v '\.d$' | head -n 1)
out=$(mktemp -d)
count() { # operation client requests -> instructions of the whole client process
  BENCH_OPERATION=$1 BENCH_CLIENT=$2 BENCH_REQUESTS=$3 valgrind --tool=callgrind \
    --trace-children=no --callgrind-out-file="$out/cg.$1.$2.$3" "$bench" >/dev/null 2>&1
  grep -m1 '^summary:' "$out/cg.$1.$2.$3" | awk '{print $2}'
}
for operation in send_message get_transcript; do
  low=100; high=400
  declare -A per
  for client in floor ours; do
    a=$(count "$operation" "$client" "$low"); b=$(count "$operation" "$client" "$high")
    per[$client]=$(( (b - a) / (high - low) ))
  done
  awk -v op="$operation" -v o="${per[ours]}" -v f="${per[floor]}" \
    'BEGIN { printf "%-15s floor %9d   ours %9d   ratio %.3fx\n", op, f, o, o / f }'
done
rm -rf "$out"
