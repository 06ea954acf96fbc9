#!/usr/bin/env bash
# The sanitizer stage, meant to run after ./scripts/test.sh in CI (on the same
# machine, with what test.sh installed and built; not wired into test.sh yet,
# see tests/README.md): one clang tree
# (the asan preset, build/asan) with AddressSanitizer + UndefinedBehaviorSanitizer
# and libFuzzer's coverage instrumentation, then
#  1. the unit and integration suites in it (a sanitizer report aborts the
#     process, so the test that triggered it fails; the fault suite is left
#     to the main stage: its timings assume an unsanitized plugin), against a
#     control plane of its own that CTest starts and stops;
#  2. each libFuzzer target of tests/fuzz for LLM_FUZZ_SECONDS (30 s) over its
#     seed corpus.
# Extra arguments go to the first ctest, e.g. `scripts/test-sanitized.sh -L unit`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -x /usr/local/go/bin/go ]] && export PATH="/usr/local/go/bin:$PATH"

scripts/install-deps.sh --sanitizers
cmake --preset asan >/dev/null
# What the two suites and the fuzz runs use (not the fault suite's binary, nor the bench tools).
cmake --build --preset asan --target kubectl-llm llm-engine-sim llm_unit_tests llm_integration_tests fuzzers
trap 'LLM_CLUSTER_DIR="$PWD/build/asan/test-cluster" tests/cluster/down.sh >/dev/null 2>&1' EXIT
ctest --preset asan -j2 "$@"
ctest --preset fuzz
