#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SEED_DIR WORK_DIR SECONDS: runs one libFuzzer target for
# SECONDS, starting from the seeds; new inputs and any crash go to WORK_DIR
# (the seeds stay as committed). Exit status: the fuzzer's (non-zero on a finding).
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
mkdir -p "$work/corpus" "$work/artifacts"
# Name the symbolizer: left to find it, the clang 16 runtime fails to restart it
# after the first report ("invalid path to external symbolizer") and a finding's
# stack comes out as bare addresses.
if [[ -z ${ASAN_SYMBOLIZER_PATH:-} ]] && symbolizer=$(command -v llvm-symbolizer); then
  export ASAN_SYMBOLIZER_PATH=$symbolizer
fi
# -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a memory blow-up.
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
