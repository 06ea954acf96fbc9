#!/usr/bin/env bash
# Builds helm from its Go module at a pinned version, once, into
# ~/.cache/kubectl-llm/ (the benchmark's point of comparison; never used by the
# plugin itself). Prints the binary's path.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-llm"
BIN="$CACHE_DIR/helm-$HELM_VERSION"

if [[ ! -x "$BIN" ]]; then
  mkdir -p "$CACHE_DIR/gobin-$HELM_VERSION"
  # go install pkg@version builds exactly the module's own go.mod pins.
  GOBIN="$CACHE_DIR/gobin-$HELM_VERSION" CGO_ENABLED=0 \
    go install -p "${GO_BUILD_JOBS:-1}" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  mv "$CACHE_DIR/gobin-$HELM_VERSION/helm" "$BIN"
  rmdir "$CACHE_DIR/gobin-$HELM_VERSION"
fi
echo "$BIN"
