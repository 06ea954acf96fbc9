#!/usr/bin/env bash
# A client-go exec credential plugin for the `exec` kubeconfig of the local
# control plane. It hands out the token in STATE_DIR/exec-token. Tests steer it
# through files in STATE_DIR:
#   exec-expiry     an RFC 3339 expirationTimestamp to put in the reply
#   exec-calls      one line is appended per run, so tests can count runs
#   exec-api-version  the apiVersion to answer with (default: the one asked for)
set -euo pipefail
state=${1:?usage: exec-credential.sh STATE_DIR}
echo "$(date +%s.%N) ${KUBERNETES_EXEC_INFO:+info}" >> "$state/exec-calls"
api_version=client.authentication.k8s.io/v1
if [[ -n ${KUBERNETES_EXEC_INFO:-} ]]; then
  asked=$(sed -n 's/.*"apiVersion" *: *"\([^"]*\)".*/\1/p' <<<"$KUBERNETES_EXEC_INFO" | head -n1)
  [[ -n $asked ]] && api_version=$asked
fi
[[ -f $state/exec-api-version ]] && api_version=$(<"$state/exec-api-version")
token=$(<"$state/exec-token")
expiry=""
[[ -f $state/exec-expiry ]] && expiry=",\"expirationTimestamp\":\"$(<"$state/exec-expiry")\""
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}\n' "$api_version" "$token" "$expiry"
