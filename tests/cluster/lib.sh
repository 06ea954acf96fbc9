# Helpers shared by the scripts here that start and stop the local cluster and its
# add-ons (sourced, not run).

# free_ports N: N distinct TCP ports on 127.0.0.1 that nothing listens on right
# now, on one line. Drawn outside the kernel's ephemeral range
# (ip_local_port_range): a port from bind(0) is one the kernel also hands out
# as the source port of outgoing connections, and between the choice and the
# daemon's bind the API server's own connections to etcd took one (kwok then
# failed with "address already in use" and its nodes never became Ready).
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    low, high = map(int, f.read().split())
candidates = range(max(1024, low // 2), low) if low > 4096 else range(high + 1, 65536)
held = []
for port in random.sample(candidates, len(candidates)):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        continue
    held.append(s)  # kept bound until all are chosen, so no port is drawn twice
    if len(held) == int(sys.argv[1]):
        break
print(*(s.getsockname()[1] for s in held))
PY
}
free_port() { free_ports 1; }

openssl_quiet() { openssl "$@" 2>/dev/null; }
new_key() { openssl_quiet genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1"; }
# signed_cert STEM SUBJECT EXTENSIONS: a new key STEM.key and its certificate
# STEM.crt, signed by the cluster CA in $pki (the caller's) with EXTENSIONS
# (printf %b escapes).
signed_cert() {
  new_key "$1.key"
  openssl_quiet req -new -key "$1.key" -subj "$2" -out "$1.csr"
  openssl_quiet x509 -req -in "$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 3650 -out "$1.crt" -extfile <(printf '%b' "$3")
  rm -f "$1.csr"
}

# start_daemon NAME STATE_DIR PROGRAM ARGS...: runs PROGRAM in its own session,
# detached from our stdin/stdout (so a caller such as ctest does not wait on it),
# logging to STATE_DIR/logs/NAME.log, its pid in STATE_DIR/pids/NAME.pid;
# wait_until watches it from then on.
start_daemon() {
  local name=$1 state=$2
  shift 2
  # fd 8 is up.sh's lock: the daemon must not hold it after up.sh ends.
  setsid "$@" </dev/null >"$state/logs/$name.log" 2>&1 8>&- &
  echo $! >"$state/pids/$name.pid"
  started_daemons+=("$name:$!:$state/logs/$name.log")
}

# NAME:PID:LOG of each daemon start_daemon started in this script.
started_daemons=()

# True while every daemon this script started runs; otherwise names the first
# that exited and prints the end of its log. The pid alone is checked, not the
# command line as live_pid does: right after the start the process can still be
# the forked shell, or setsid, unshare or sh before they exec the daemon.
started_daemons_alive() {
  local daemon name pid log
  for daemon in "${started_daemons[@]}"; do
    IFS=: read -r name pid log <<<"$daemon"
    kill -0 "$pid" 2>/dev/null && continue
    echo "${0##*/}: $name exited; the end of $log:" >&2
    tail -n 20 "$log" >&2
    return 1
  done
}

# wait_until SECONDS WHAT COMMAND...: retries COMMAND until it succeeds. Gives
# up at once when a daemon this script started has exited: it will not make
# COMMAND succeed.
wait_until() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ! started_daemons_alive; then
      echo "${0##*/}: gave up waiting for $what" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "${0##*/}: timed out after ${limit}s waiting for $what; logs in ${state:-?}/logs" >&2
      return 1
    fi
    sleep 0.2
  done
}

# The pid in FILE, if that process is alive and is the program named in the file name.
live_pid() {
  local file=$1 pid name
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  name=$(basename "$file" .pid)
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "/$name " || return 1
  echo "$pid"
}

# True when every component of the cluster in STATE is alive and the API server is ready.
cluster_running() {
  local state=$1 c
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    live_pid "$state/pids/$c.pid" >/dev/null || return 1
  done
  [[ -f $state/ready && -x $state/bin/kubectl ]] || return 1
  "$state/bin/kubectl" --kubeconfig="$state/admin.kubeconfig" get --raw=/readyz --request-timeout=5s >/dev/null 2>&1
}

# For the scripts that start add-on ADDON (ADDON.sh: kueue.sh, toxiproxy.sh) in
# a running cluster: takes the add-on's lock on fd 7 for the rest of the script
# (a concurrent start waits here, then finds it running) and exits unless the
# cluster in STATE (an absolute path) runs.
lock_running_cluster() {
  local state=$1 addon=$2
  [[ -d $state ]] || { echo "$addon.sh: no cluster in $state (start it with tests/cluster/up.sh)" >&2; exit 1; }
  exec 7>"$state/.$addon.lock"
  flock 7
  cluster_running "$state" ||
    { echo "$addon.sh: the cluster in $state is not running (start it with tests/cluster/up.sh)" >&2; exit 1; }
}

# Stops what is left of a daemon start_daemon started in STATE (a stale or a
# half-started one) before it is started again.
stop_stale_daemon() {
  local pid
  pid=$(live_pid "$1/pids/$2.pid") || return 0
  kill -TERM "$pid"
  sleep 1
  kill -KILL "$pid" 2>/dev/null || true
}

# Where build.sh put add-on SUBDIR (holding PROGRAM) for the cluster in STATE:
# next to its bin/, or built now when that cache lacks it.
addon_dir() {
  local state=$1 subdir=$2 program=$3 dir
  dir=$(dirname "$(readlink -f "$state/bin")")/$subdir
  [[ -x $dir/$program ]] || dir=$("$(dirname "${BASH_SOURCE[0]}")/build.sh")/$subdir
  echo "$dir"
}

# For a controller manager started on demand (kueue.sh, controllers.sh) in the
# cluster STATE, with $pki the cluster's pki: a client certificate in
# system:masters (as kwok's: the project's own ClusterRole is not what is
# tested) for user NAME, and STATE/NAME.kubeconfig using it.
admin_kubeconfig() {
  local state=$1 name=$2 kubeconfig=$1/$2.kubeconfig
  signed_cert "$pki/$name" "/O=system:masters/CN=$name" 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth'
  rm -f "$kubeconfig"
  kc() { "$state/bin/kubectl" --kubeconfig="$kubeconfig" config "$@" >/dev/null; }
  kc set-cluster kubectl-llm-test --server="$(<"$state/server")" --certificate-authority="$pki/ca.crt"
  kc set-credentials "$name" --client-certificate="$pki/$name.crt" --client-key="$pki/$name.key"
  kc set-context "$name@kubectl-llm-test" --cluster=kubectl-llm-test --user="$name"
  kc use-context "$name@kubectl-llm-test"
  chmod 600 "$kubeconfig"
}

# A webhook server certificate from the cluster CA ($pki) for IP:127.0.0.1,
# where the API server calls it: STEM.key and STEM.crt, subject CN.
loopback_serving_cert() {
  signed_cert "$1" "/CN=$2" \
    'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost'
}

# loopback_webhooks SRC PORT PREFIX: prints a kubebuilder project's webhook
# registrations (SRC, as its manifests write them: same rules, selectors,
# paths, failure policies) called at https://127.0.0.1:PORT/PATH instead of
# through a Service (nothing routes Service IPs here), trusting the cluster
# CA ($pki), and named PREFIX-{mutating,validating}-webhook-configuration.
loopback_webhooks() {
  local src=$1 port=$2 prefix=$3 ca_bundle out
  ca_bundle=$(base64 -w0 <"$pki/ca.crt")
  out=$(sed -e '/^    service:$/d' -e '/^      name: webhook-service$/d' -e '/^      namespace: system$/d' \
    -e "s#^      path: \(.*\)#    url: https://127.0.0.1:$port\1\n    caBundle: $ca_bundle#" \
    -e "s/^  name: \(mutating\|validating\)-webhook-configuration\$/  name: $prefix-\1-webhook-configuration/" "$src")
  if grep -q 'webhook-service\|namespace: system' <<<"$out"; then
    echo "unexpected layout of $src" >&2
    return 1
  fi
  echo "$out"
}
