#!/usr/bin/env bash
# Builds the .deb of a build tree with CPack, checks what it declares and holds
# (the plugin, kubectl's completion helper, a man page per command, bash, zsh
# and fish completions), unpacks it into a scratch root with dpkg -x and runs
# the installed plugin through the real kubectl: `kubectl llm version`,
# completion through kubectl_complete-llm and through the installed bash script,
# and the man page through man(1) where man is installed.
#   deb_package_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: deb_package_test.sh BUILD_DIR}
bin=$("$root/tests/cluster/build.sh")/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out") >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
deb=$(ls "$work"/out/kubectl-llm_*_amd64.deb)
[[ $(dpkg-deb -f "$deb" Package) == kubectl-llm ]] || fail "Package"
[[ $(dpkg-deb -f "$deb" Depends) == *"libcurl4 (>= 7.77)"* ]] || fail "Depends names no libcurl4: $(dpkg-deb -f "$deb" Depends)"
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/kubectl-llm ./usr/bin/kubectl_complete-llm ./usr/share/man/man1/kubectl-llm.1.gz \
            ./usr/share/man/man1/kubectl-llm-serve.1.gz ./usr/share/man/man1/kubectl-llm-tenant-create.1.gz \
            ./usr/share/bash-completion/completions/kubectl-llm ./usr/share/zsh/vendor-completions/_kubectl-llm \
            ./usr/share/fish/vendor_completions.d/kubectl-llm.fish; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done

dpkg -x "$deb" "$work/root"
export PATH="$work/root/usr/bin:$bin:/usr/bin:/bin"
[[ $(kubectl llm version --client 2>&1) == "Client Version: v"* ]] || fail "kubectl llm version from the package"
[[ $(kubectl __complete llm vers 2>/dev/null | head -n1) == version ]] || fail "completion through kubectl_complete-llm"
reply=$(bash --norc -c "source '$work/root/usr/share/bash-completion/completions/kubectl-llm'
  COMP_WORDS=(kubectl-llm sta); COMP_CWORD=1; _kubectl_llm; printf '%s\n' \"\${COMPREPLY[@]}\"")
[[ $reply == status ]] || fail "the installed bash completion offered '$reply' for 'sta'"
zcat "$work/root/usr/share/man/man1/kubectl-llm-serve.1.gz" | grep -q '^\.TH "KUBECTL-LLM-SERVE" 1' || fail "man page header"
if command -v man >/dev/null; then
  MANWIDTH=100 man -l "$work/root/usr/share/man/man1/kubectl-llm-serve.1.gz" 2>/dev/null | grep -q -- '--model' ||
    fail "man -l kubectl-llm-serve.1.gz does not show --model"
fi
echo "the .deb installs kubectl-llm, its completion helper, $(grep -c 'man1/.*\.1\.gz$' <<<"$contents") man pages and three shells' completions; kubectl runs it"
