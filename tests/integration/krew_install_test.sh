#!/usr/bin/env bash
# Packages the built plugin with scripts/package.sh and installs it with the real
# krew from the filled-in plugins/llm.yaml, as a user of `kubectl krew` would;
# then runs `kubectl llm` and its completion through kubectl. Given the arm64
# build too (scripts/test.sh gives it), both go into one manifest, and krew,
# told it runs on arm64 (KREW_ARCH), installs the arm64 one, which runs under
# qemu-user.
#   krew_install_test.sh PATH/TO/kubectl-llm [PATH/TO/ARM64/kubectl-llm]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
plugin=${1:?usage: krew_install_test.sh PATH/TO/kubectl-llm [PATH/TO/ARM64/kubectl-llm]}
arm64_plugin=${2:-}
bin=$("$root/tests/cluster/build.sh")/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

archive=$("$root/scripts/package.sh" "$plugin" "$work/dist" "file://$work/dist")
[[ -z $arm64_plugin ]] || arm64_archive=$("$root/scripts/package.sh" "$arm64_plugin" "$work/dist" "file://$work/dist")
# The archived binary is stripped, and names the debug file kept beside the archive.
mkdir "$work/unpacked" && tar -xzf "$archive" -C "$work/unpacked"
! readelf -S "$work/unpacked/kubectl-llm" | grep -q '\.debug_info' || fail "the archived binary keeps its debug info"
readelf -S "${archive%.tar.gz}.debug" 2>/dev/null | grep -q '\.debug_info' || fail "no debug info beside the archive"
[[ $(readelf --string-dump=.gnu_debuglink "$work/unpacked/kubectl-llm") == *"$(basename "${archive%.tar.gz}.debug")"* ]] ||
  fail "the archived binary does not name its debug file"
export KREW_ROOT="$work/krew" PATH="$work/krew/bin:$bin:/usr/bin:/bin"
kubectl krew install --manifest="$work/dist/llm.yaml" --archive="$archive" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "krew install"; }
plugins=$(kubectl plugin list 2>/dev/null)
grep -q "$work/krew/bin/kubectl-llm" <<<"$plugins" || fail "kubectl plugin list does not show the krew-installed plugin"
[[ $(kubectl llm version --client 2>&1) == "Client Version: v"* ]] || fail "kubectl llm version"
# Through krew's link, the plugin finds its network module (the release's) or
# the system's libcurl, and so gets as far as the refused connection.
refused=$(kubectl llm --server https://127.0.0.1:1 --token t version 2>&1 || true)
grep -q "127.0.0.1:1 was refused" <<<"$refused" || fail "kubectl llm could not reach a server: $refused"
ln -s kubectl-llm "$KREW_ROOT/bin/kubectl_complete-llm"   # what the manifest's caveats tell users
[[ $(kubectl __complete llm vers 2>/dev/null | head -n1) == version ]] || fail "completion through kubectl_complete-llm"
# krew wants a local index before it uninstalls; an empty one stands in for the
# network-fetched krew-index, which this test does not need.
mkdir -p "$KREW_ROOT/index/default/plugins" && git -C "$KREW_ROOT/index/default" init -q
kubectl krew uninstall llm >/dev/null 2>&1 || fail "krew uninstall"
[[ ! -e $KREW_ROOT/bin/kubectl-llm ]] || fail "uninstall left the plugin behind"
if [[ -n $arm64_plugin ]]; then
  [[ $(grep -c '^    uri: ' "$work/dist/llm.yaml") == 2 ]] || fail "the manifest has not one platform each"
  KREW_ROOT="$work/krew-arm64" KREW_ARCH=arm64 kubectl krew install --manifest="$work/dist/llm.yaml" \
    --archive="$arm64_archive" >"$work/install-arm64.log" 2>&1 || { cat "$work/install-arm64.log" >&2; fail "krew install on arm64"; }
  version=$(QEMU_LD_PREFIX="$root/build/arm64-root" qemu-aarch64-static "$work/krew-arm64/bin/kubectl-llm" version --client)
  [[ $version == *"linux/arm64)" ]] || fail "the plugin krew installed on arm64 says: $version"
fi
echo "krew installed, ran, completed and uninstalled kubectl-llm from plugins/llm.yaml${arm64_plugin:+ (and installed the arm64 one)}"
