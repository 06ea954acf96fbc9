#!/usr/bin/env bash
# The local cluster's pod network: a network namespace of its own, the pod
# CIDR (kwok's --cidr) routed to it over a veth pair and made local inside it,
# so every pod IP kwok hands out is an address something can answer on; and
# the engine simulator (tests/engine_sim, a test fixture) answering there.
#   pod-network.sh up                     create namespace, veth, routes; print the pod CIDR
#   pod-network.sh down                   stop the simulator, remove routes, veth and namespace
#   pod-network.sh start-simulator BIN    start BIN in the namespace (once; waits until it answers)
#   pod-network.sh probe-ip               an address of the pod CIDR no pod gets (for checks)
# Names derive from $LLM_CLUSTER_DIR, and each cluster takes its own /17 of
# 10.100-199.0.0/16, so several clusters on one machine never collide. Only
# addresses inside that namespace are used. Needs root (CAP_NET_ADMIN).
# Interface: tests/cluster/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${LLM_CLUSTER_DIR:-${TMPDIR:-/tmp}/kubectl-llm-cluster}
mkdir -p "$state"
state=$(cd "$state" && pwd)
source "$here/lib.sh"
log() { echo "pod-network.sh: $*" >&2; }

id=$(printf '%s' "$state" | sha256sum | cut -c1-8)
netns=llm-pods-$id
host_if=llmh$id
pod_if=llmp$id
env_file=$state/pod-network.env
lock=/tmp/kubectl-llm-pod-network.lock

# The second octet of a 10.X.0.0/16 no route or address of this machine touches.
free_octet() {
  local x used
  used=$( { ip -o route show; ip -o addr show; } | grep -oE '\b10\.[0-9]+\.' | cut -d. -f2 | sort -u)
  for x in $(seq 100 199); do
    grep -qx "$x" <<<"$used" || { echo "$x"; return 0; }
  done
  return 1
}

up() {
  if [[ -f $env_file ]] && ip netns list | grep -qw "$netns"; then
    source "$env_file"
    echo "$POD_CIDR"
    return 0
  fi
  down_network 2>/dev/null || true
  exec 9>"$lock"
  flock 9  # choosing a range and claiming it with its route is one step across clusters
  local x
  x=$(free_octet) || { log "no free 10.X.0.0/16 in 10.100-199 for the pod network"; return 1; }
  local cidr=10.$x.0.0/17 host_ip=10.$x.255.1 pod_ip=10.$x.255.2
  ip netns add "$netns"
  ip link add "$host_if" type veth peer name "$pod_if" netns "$netns"
  ip addr add "$host_ip/30" dev "$host_if"
  ip link set "$host_if" up
  ip -n "$netns" link set lo up
  ip -n "$netns" addr add "$pod_ip/30" dev "$pod_if"
  ip -n "$netns" link set "$pod_if" up
  # Every address of the pod CIDR is local inside the namespace (AnyIP): one
  # listener on 0.0.0.0 answers for every pod, and sees which one was dialled.
  ip -n "$netns" route add local "$cidr" dev lo
  ip route add "$cidr" via "$pod_ip" dev "$host_if"
  flock -u 9
  cat >"$env_file" <<ENV
POD_CIDR=$cidr
NETNS=$netns
HOST_IF=$host_if
PROBE_IP=10.$x.127.254
ENV
  echo "$cidr"
}

down_network() {
  local cidr=""
  [[ -f $env_file ]] && cidr=$(source "$env_file" && echo "$POD_CIDR")
  [[ -n $cidr ]] && ip route del "$cidr" dev "$host_if" 2>/dev/null || true
  ip link del "$host_if" 2>/dev/null || true  # takes its peer in the namespace with it
  ip netns del "$netns" 2>/dev/null || true
  rm -f "$env_file"
}

stop_simulator() {
  local pid
  if pid=$(live_pid "$state/pids/llm-engine-sim.pid"); then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/pids/llm-engine-sim.pid"
}

start_simulator() {
  local bin=${1:?usage: pod-network.sh start-simulator BINARY}
  [[ -f $env_file ]] || { log "no pod network in $state (up.sh creates it; it needs root)"; return 1; }
  source "$env_file"
  exec 9>"$state/.engine-sim.lock"
  flock 9
  live_pid "$state/pids/llm-engine-sim.pid" >/dev/null && return 0
  [[ $(basename "$bin") == llm-engine-sim ]] || { log "the simulator binary must be named llm-engine-sim, got $bin"; return 1; }
  mkdir -p "$state/engine-sim/pods" "$state/pids" "$state/logs"
  # Without fd 9, our lock: held for the simulator's life, it would block every later start-simulator.
  { start_daemon llm-engine-sim "$state" ip netns exec "$NETNS" "$bin" --control "$state/engine-sim" --port 8000; } 9>&-
  local deadline=$((SECONDS + 20))
  until curl -s -o /dev/null --max-time 1 "http://$PROBE_IP:8000/health"; do
    if ((SECONDS >= deadline)); then
      log "the engine simulator did not answer at $PROBE_IP:8000; see $state/logs/llm-engine-sim.log"
      return 1
    fi
    sleep 0.1
  done
  log "engine simulator answering on $POD_CIDR port 8000 (control $state/engine-sim)"
}

case ${1:-} in
  up) up ;;
  down) stop_simulator; down_network ;;
  start-simulator) start_simulator "${2:-}" ;;
  probe-ip) source "$env_file"; echo "$PROBE_IP" ;;
  *) echo "usage: pod-network.sh up|down|start-simulator BINARY|probe-ip" >&2; exit 64 ;;
esac
