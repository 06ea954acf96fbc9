#!/usr/bin/env bash
# Packages a built kubectl-llm for krew: OUT_DIR/kubectl-llm_VERSION_linux_amd64.tar.gz
# (kubectl-llm, kubectl_complete-llm, LICENSE) and OUT_DIR/llm.yaml, the krew
# manifest of plugins/llm.yaml filled in with that archive's uri and sha256.
# The archived binary is stripped; its debug information goes to
# OUT_DIR/kubectl-llm_VERSION_linux_amd64.debug, which the binary names (a GNU
# debuglink), so gdb and perf find it when it sits next to the binary or in
# the debug directory.
#   scripts/package.sh BINARY OUT_DIR [URI_BASE]      # BINARY: the release preset's, for users
# URI_BASE defaults to the release download URL in plugins/llm.yaml; a file://
# base makes a manifest that `kubectl krew install --manifest` can use locally.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=${1:?usage: package.sh BINARY OUT_DIR [URI_BASE]}
out=${2:?usage: package.sh BINARY OUT_DIR [URI_BASE]}
version=$("$binary" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p')
[[ -n $version ]] || { echo "package.sh: could not read the version of $binary" >&2; exit 1; }
base=${3:-https://github.com/kubectl-llm/kubectl-llm/releases/download/$version}
name="kubectl-llm_${version}_linux_amd64.tar.gz"

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
debug="kubectl-llm_${version}_linux_amd64.debug"
objcopy --only-keep-debug "$binary" "$out/$debug"
objcopy --strip-debug --strip-unneeded --add-gnu-debuglink="$out/$debug" "$binary" "$stage/kubectl-llm"
chmod 0755 "$stage/kubectl-llm"
install -m 0755 "$root/completions/kubectl_complete-llm" "$stage/kubectl_complete-llm"
install -m 0644 "$root/LICENSE" "$stage/LICENSE"
# Fixed owner and times, so the same binary always gives the same archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$stage" -cf - . | gzip -n > "$out/$name"
sha=$(sha256sum "$out/$name" | cut -d' ' -f1)

# Fill in krew-release-bot's two template forms.
sed -e "s|{{ addURIAndSha \"[^\"]*\" .TagName }}|uri: $base/$name\n    sha256: $sha|" \
    -e "s|{{ .TagName }}|$version|g" "$root/plugins/llm.yaml" > "$out/llm.yaml"
echo "$out/$name"
