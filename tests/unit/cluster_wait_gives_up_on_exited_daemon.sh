#!/usr/bin/env bash
# tests/cluster/lib.sh's wait_until, which every start script waits with: it
# must give up at once, naming the daemon and printing the end of its log, when
# a daemon the script started has exited (a kwok that could not bind its port
# will not make its nodes Ready), keep waiting while its daemons run, and time
# out naming the script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state=$(mktemp -d)
trap 'kill "${steady_pid:-}" 2>/dev/null || true; rm -rf "$state"' EXIT
mkdir -p "$state/logs" "$state/pids"
# shellcheck source=../cluster/lib.sh
source "$here/../cluster/lib.sh"
fail() { echo "$*" >&2; exit 1; }

start_daemon steady "$state" sleep 60
steady_pid=$(<"$state/pids/steady.pid")
# A daemon that runs: waits on for a command that succeeds later, and times out.
flag=$state/flag
(sleep 1 && touch "$flag") &
wait_until 20 "the flag" test -e "$flag" || fail "wait_until gave up while its daemon ran"
if wait_until 1 "nothing" false 2>"$state/err"; then fail "wait_until passed a command that always fails"; fi
grep -q "^${0##*/}: timed out after 1s waiting for nothing; logs in $state/logs" "$state/err" ||
  fail "the timeout did not name the script: $(<"$state/err")"

# A daemon that exits: the wait ends at once (not after 60 s), naming it.
start_daemon crasher "$state" sh -c 'echo "listen tcp 127.0.0.1:4000: bind: address already in use"; exit 1'
began=$SECONDS
if wait_until 60 "the nodes to be Ready" false 2>"$state/err"; then fail "wait_until passed with an exited daemon"; fi
((SECONDS - began < 10)) || fail "wait_until waited $((SECONDS - began)) s for an exited daemon"
grep -q "crasher exited; the end of $state/logs/crasher.log:" "$state/err" || fail "no name: $(<"$state/err")"
grep -q "address already in use" "$state/err" || fail "no log tail: $(<"$state/err")"
grep -q "gave up waiting for the nodes to be Ready" "$state/err" || fail "no reason: $(<"$state/err")"
grep -q steady "$state/err" && fail "named the daemon that runs: $(<"$state/err")"
echo "wait_until gives up on an exited daemon, naming it, and waits while daemons run"
