#!/usr/bin/env bash
# Runs a release kubectl-llm where users have little: in ROOT, a Debian root
# made by scripts/debian-root.sh (a minimal one with nothing added, for this
# machine's architecture; the arm64 root under qemu-user for an arm64 binary).
# It must start (`version --client` names its platform), render from its
# embedded templates, and speak TLS through libcurl (its network module,
# kubectl-llm-net.so, copied along when it is beside BINARY; otherwise the
# root's libcurl) to a server on loopback (openssl s_server): a request with
# the server's CA is answered, one with another CA fails on the certificate,
# and one without the module says what is missing. In a
# root of this machine's architecture, a request with no CA given trusts the
# system's bundle, /etc/ssl/certs/ca-certificates.crt (put there for the check
# where the root has none).
#   scripts/check-runs-in-root.sh BINARY ROOT
set -euo pipefail
binary=${1:?usage: check-runs-in-root.sh BINARY ROOT}
root=$(realpath "${2:?usage: check-runs-in-root.sh BINARY ROOT}")
fail() { echo "check-runs-in-root: $binary in $root: $*" >&2; exit 1; }

case $(readelf -h "$binary" | sed -n 's/^ *Machine: *//p') in
  AArch64) platform=linux/arm64 ;;
  "Advanced Micro Devices X86-64") platform=linux/amd64 ;;
  *) fail "an architecture this check does not know" ;;
esac
work=$(mktemp -d)
server=""
bundle=""  # the system bundle this check put into ROOT, removed at exit
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work" "$root/opt/kubectl-llm-check" $bundle' EXIT
# Inside ROOT: chroot for this machine's architecture, qemu-user's -L (which
# looks for the loader and every library, libcurl included, under ROOT) for arm64.
mkdir -p "$root/opt/kubectl-llm-check"
cp "$binary" "$root/opt/kubectl-llm-check/kubectl-llm"
module=$(dirname "$binary")/kubectl-llm-net.so
[[ -f $module ]] || module=""
[[ -z $module ]] || cp "$module" "$root/opt/kubectl-llm-check/"
if [[ $platform == "linux/$(dpkg --print-architecture)" ]]; then
  plugin() { chroot "$root" /opt/kubectl-llm-check/kubectl-llm "$@"; }
  inside=/opt/kubectl-llm-check
else
  plugin() { qemu-aarch64-static -L "$root" "$root/opt/kubectl-llm-check/kubectl-llm" "$@"; }
  inside=$root/opt/kubectl-llm-check
fi

version=$(plugin version --client 2>&1) || fail "version --client: $version"
[[ $version == "Client Version: v"*"$platform)" ]] || fail "version --client says '$version', not $platform"
rendered=$(plugin render serve chat --model org/m --gpus 1 2>&1) || fail "render serve: $rendered"
grep -q '^kind: Deployment$' <<<"$rendered" || fail "render serve printed no Deployment"

for name in server other; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/$name.key" -out "$work/$name.crt" -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  cp "$work/$name.crt" "$root/opt/kubectl-llm-check/$name.crt"
done
for port in $(shuf -i 20000-40000 -n 5); do
  openssl s_server -accept "127.0.0.1:$port" -cert "$work/server.crt" -key "$work/server.key" -www -quiet \
    </dev/null >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break 2
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  kill "$server" 2>/dev/null || true
  server=""
done
[[ -n $server ]] || fail "could not start openssl s_server on loopback"
request() { plugin --server "https://127.0.0.1:$port" --certificate-authority "$inside/$1.crt" --token t -v=6 version 2>&1; }
answer=$(request server || true)
grep -q "GET https://127.0.0.1:$port/version 200 OK" <<<"$answer" || fail "no TLS request through libcurl: $answer"
answer=$(request other || true)
grep -q "certificate signed by unknown authority" <<<"$answer" || fail "a server certificate of another CA was not refused: $answer"
if [[ -n $module ]]; then
  rm "$root/opt/kubectl-llm-check/kubectl-llm-net.so"
  answer=$(request server || true)
  grep -q "network module, kubectl-llm-net.so, found neither" <<<"$answer" ||
    fail "without its network module: $answer"
  cp "$module" "$root/opt/kubectl-llm-check/"
fi
system_bundle=$root/etc/ssl/certs/ca-certificates.crt
if [[ $inside == /opt/kubectl-llm-check && ! -e $system_bundle ]]; then
  mkdir -p "$(dirname "$system_bundle")"
  cp "$work/server.crt" "$system_bundle"
  bundle=$system_bundle
  answer=$(plugin --server "https://127.0.0.1:$port" --token t -v=6 version 2>&1 || true)
  grep -q "GET https://127.0.0.1:$port/version 200 OK" <<<"$answer" ||
    fail "the system's CA bundle ($system_bundle) was not trusted: $answer"
fi
echo "check-runs-in-root: $binary runs in $root ($platform): starts, renders, and speaks TLS through libcurl${module:+ (its network module)}${bundle:+, trusting the system CA bundle}"
