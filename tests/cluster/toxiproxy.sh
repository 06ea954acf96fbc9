#!/usr/bin/env bash
# Starts toxiproxy (built by build.sh from its Go module at TOXIPROXY_VERSION),
# the TCP fault proxy of the fault-injection suite (tests/faults), for the local
# control plane that up.sh started, unless it runs already. It listens on a
# free loopback port and writes its API's URL to $LLM_CLUSTER_DIR/toxiproxy-api;
# the tests create their proxies (127.0.0.1 -> the API server) and toxics
# through that API. down.sh stops it with the rest.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
log() { echo "toxiproxy.sh: $*" >&2; }
die() { log "$*"; exit 1; }
source "$here/lib.sh"

[[ -d $state ]] && state=$(cd "$state" && pwd)
lock_running_cluster "$state" toxiproxy
answers() { curl -sf "$(<"$state/toxiproxy-api")/version" >/dev/null 2>&1; }
if live_pid "$state/pids/toxiproxy-server.pid" >/dev/null && [[ -f $state/toxiproxy-api ]] && answers; then
  exit 0
fi
stop_stale_daemon "$state" toxiproxy-server

dir=$(addon_dir "$state" toxiproxy toxiproxy-server)
[[ -x $dir/toxiproxy-server ]] || die "build.sh did not build toxiproxy into $dir"
port=$(free_port)
# Not holding our lock (fd 7): a later toxiproxy.sh must get it.
{ start_daemon toxiproxy-server "$state" "$dir/toxiproxy-server" -host 127.0.0.1 -port "$port"; } 7>&-
echo "http://127.0.0.1:$port" > "$state/toxiproxy-api"
wait_until 30 "toxiproxy" answers || die "toxiproxy did not answer on port $port; see $state/logs/toxiproxy-server.log"
log "toxiproxy listening at http://127.0.0.1:$port"
