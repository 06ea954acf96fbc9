#!/usr/bin/env bash
# A client-go exec credential plugin for the fault suite's expiring-credential
# scenario (expiring_exec_credential.h): each run hands out the first token of
# STATE_DIR/tokens and drops it when another follows, so a command first gets
# the token the test revokes and, when it runs the plugin again, the next one.
# Each run appends a line to STATE_DIR/calls.
set -euo pipefail
state=${1:?usage: token-queue-credential.sh STATE_DIR}
exec 9>"$state/lock"
flock 9
echo "$(date +%s.%N)" >> "$state/calls"
mapfile -t tokens < "$state/tokens"
if ((${#tokens[@]} > 1)); then printf '%s\n' "${tokens[@]:1}" > "$state/tokens"; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' \
  "${tokens[0]}"
