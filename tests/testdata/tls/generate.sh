#!/usr/bin/env bash
# Remakes the TLS fixtures of the transport's unit tests (run once, output
# committed): a test CA, a server certificate for tls-name.test, localhost and
# 127.0.0.1 that lasts a century, and one signed by the same CA that expired in
# 2001. `openssl ca` because `req`/`x509` cannot set dates in the past.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }

key "$work/ca.key"
openssl req -x509 -new -key "$work/ca.key" -subj "/CN=kubectl-llm unit test CA" -days 36500 -out ca.crt

touch "$work/index.txt"
cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
certificate = ca.crt
private_key = $work/ca.key
serial = $work/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
x509_extensions = server
[anything]
commonName = supplied
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:tls-name.test,DNS:localhost,IP:127.0.0.1
CNF
echo 01 >"$work/serial"

sign() {  # name start end
  key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$1" -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -in "$work/$1.csr" -startdate "$2" -enddate "$3" -notext \
    -out "$1.crt" 2>/dev/null
}
sign server 20250101000000Z 21250101000000Z
sign expired 20000101000000Z 20010101000000Z
