#!/usr/bin/env bash
# kubectl-llm opens libcurl when a command first talks to a server
# (cli/kube/curl_library.h), so the commands that never do (version --client,
# render, completion, --help) start without loading it or the ~30 libraries
# it needs. The dynamic loader's own log (LD_DEBUG=libs) says which libraries
# a run loaded: none named libcurl for those, libcurl for a command that
# contacts a server (127.0.0.1:9, where nothing listens: refused at once).
#
#   tests/unit/libcurl_loaded_on_demand_test.sh PATH/TO/kubectl-llm
set -euo pipefail
plugin="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

loads_libcurl() {
  LD_DEBUG=libs "$plugin" "$@" >/dev/null 2>"$work/loader.log" || true
  grep -q "libcurl\.so" "$work/loader.log"
}

fail=0
for command in "version --client" "render serve chat --model org/m" "completion bash" "--help"; do
  # shellcheck disable=SC2086 # each command is its words
  if loads_libcurl $command; then
    echo "FAIL: kubectl-llm $command loaded libcurl:" >&2
    grep "libcurl" "$work/loader.log" | head -3 >&2
    fail=1
  fi
done

cat >"$work/kubeconfig" <<'YAML'
apiVersion: v1
kind: Config
clusters:
- name: closed
  cluster:
    server: https://127.0.0.1:9
    insecure-skip-tls-verify: true
contexts:
- name: closed
  context: {cluster: closed, user: nobody}
current-context: closed
users:
- name: nobody
  user: {token: not-a-secret}
YAML
if ! KUBECONFIG="$work/kubeconfig" KUBECACHEDIR="$work/cache" loads_libcurl status --request-timeout 2s; then
  echo "FAIL: kubectl-llm status (which talks to a server) did not load libcurl:" >&2
  tail -5 "$work/loader.log" >&2
  fail=1
fi
[[ $fail == 0 ]] && echo "libcurl is loaded by the command that talks to a server, and by no other"
exit "$fail"
