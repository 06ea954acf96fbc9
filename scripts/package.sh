#!/usr/bin/env bash
# Packages a built kubectl-llm for krew: OUT_DIR/kubectl-llm_VERSION_linux_ARCH.tar.gz
# (kubectl-llm, its network module kubectl-llm-net.so where the build has one
# beside it, kubectl_complete-llm, LICENSE; ARCH amd64 or arm64, read from
# the binary) and OUT_DIR/llm.yaml, the krew manifest of plugins/llm.yaml with
# a platform for each archive of this version in OUT_DIR, filled in with its
# uri and sha256: package the amd64 binary and the arm64 one (the
# release-arm64 preset's) into one OUT_DIR, and the manifest has both.
# The archived binary is stripped; its debug information goes to
# OUT_DIR/kubectl-llm_VERSION_linux_ARCH.debug, which the binary names (a GNU
# debuglink), so gdb and perf find it when it sits next to the binary or in
# the debug directory.
#   scripts/package.sh BINARY OUT_DIR [URI_BASE]      # BINARY: a release preset's, for users
# URI_BASE defaults to the release download URL in plugins/llm.yaml; a file://
# base makes a manifest that `kubectl krew install --manifest` can use locally.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=${1:?usage: package.sh BINARY OUT_DIR [URI_BASE]}
out=${2:?usage: package.sh BINARY OUT_DIR [URI_BASE]}
case $(readelf -h "$binary" | sed -n 's/^ *Machine: *//p') in
  AArch64) arch=arm64 ;;
  "Advanced Micro Devices X86-64") arch=amd64 ;;
  *) echo "package.sh: $binary is for neither amd64 nor arm64" >&2; exit 1 ;;
esac
# The version the build stamped in; an arm64 binary runs under qemu-user, with
# the arm64 root it was built against (QEMU_LD_PREFIX, default build/arm64-root).
run=("$binary")
[[ $arch == "$(dpkg --print-architecture)" ]] ||
  run=(env QEMU_LD_PREFIX="${QEMU_LD_PREFIX:-$root/build/arm64-root}" qemu-aarch64-static "$binary")
version=$("${run[@]}" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p')
[[ -n $version ]] || { echo "package.sh: could not read the version of $binary" >&2; exit 1; }
base=${3:-https://github.com/kubectl-llm/kubectl-llm/releases/download/$version}
name="kubectl-llm_${version}_linux_${arch}.tar.gz"

mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
objcopy=objcopy
[[ $arch == amd64 ]] || objcopy=aarch64-linux-gnu-objcopy  # binutils-aarch64-linux-gnu
# stage_stripped FILE NAME DEBUG: FILE stripped into the stage as NAME, its
# debug information in OUT_DIR/DEBUG, which the stripped file names.
stage_stripped() {
  $objcopy --only-keep-debug "$1" "$out/$3"
  $objcopy --strip-debug --strip-unneeded --add-gnu-debuglink="$out/$3" "$1" "$stage/$2"
  chmod 0755 "$stage/$2"
}
stage_stripped "$binary" kubectl-llm "kubectl-llm_${version}_linux_${arch}.debug"
# The network module the plugin opens at its first request (the amd64
# release's; kube/curl_library.h), with its own .debug file.
module=$(dirname "$binary")/kubectl-llm-net.so
[[ ! -f $module ]] || stage_stripped "$module" kubectl-llm-net.so "kubectl-llm-net_${version}_linux_${arch}.debug"
install -m 0755 "$root/completions/kubectl_complete-llm" "$stage/kubectl_complete-llm"
install -m 0644 "$root/LICENSE" "$stage/LICENSE"
# Fixed owner and times, so the same binary always gives the same archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$stage" -cf - . | gzip -n > "$out/$name"
# Fill in krew-release-bot's two template forms: each platform's
# addURIAndSha with its archive's uri and sha256, or the platform left out
# when OUT_DIR has no archive for it.
fills=()
for a in amd64 arm64; do
  archive="kubectl-llm_${version}_linux_${a}.tar.gz"
  [[ -f $out/$archive ]] && fills+=("$a=uri: $base/$archive|sha256: $(sha256sum "$out/$archive" | cut -d' ' -f1)")
done
awk -v version="$version" -v fills="$(printf '%s\n' "${fills[@]}")" '
  BEGIN { n = split(fills, lines, "\n"); for (i = 1; i <= n; i++) if (lines[i] != "") {
            eq = index(lines[i], "="); fill[substr(lines[i], 1, eq - 1)] = substr(lines[i], eq + 1) } }
  function flush() { if (block != "" && keep) printf "%s", block; block = ""; keep = 0 }
  { gsub(/\{\{ \.TagName \}\}/, version) }
  /^  - selector:/ { flush(); in_platforms = 1 }
  in_platforms && /^[^ ]/ { flush(); in_platforms = 0 }
  !in_platforms { print; next }
  /^ +arch: / { arch = $2; keep = (arch in fill) }
  /\{\{ addURIAndSha / { match($0, /^ */); pad = substr($0, 1, RLENGTH); split(fill[arch], f, "|")
                          $0 = pad f[1] "\n" pad f[2] }
  { block = block $0 "\n" }
  END { flush() }' "$root/plugins/llm.yaml" > "$out/llm.yaml"
echo "$out/$name"
