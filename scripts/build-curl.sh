#!/usr/bin/env bash
# Builds the libcurl that the release links in: a static library with only
# HTTP and HTTPS (OpenSSL, HTTP/2, gzip), from Debian's own curl source package
# with Debian's patches applied. The shared libcurl that every other build opens
# at run time (kube/curl_library.h) brings about 30 libraries (LDAP, Kerberos,
# SSH, RTMP, IDN, GnuTLS...) that the dynamic loader maps and relocates at each
# command that talks to a server: 4 to 6 ms of a 16 ms `history`
# (tests/bench/history_bench.sh), none of them used.
#
# Usage (how scripts/test.sh calls it):
#     root=$(scripts/build-curl.sh)
#     cmake --preset release -DLLM_CURL_ROOT="$root"
#
# Output contract: on success, stdout has one line, the install prefix
# (include/curl/curl.h, lib/libcurl.a, lib/cmake/CURL/CURLConfig.cmake).
# Progress goes to stderr, and only while building: a second run prints the
# line and nothing else (idempotent). Needs dpkg-dev, cmake, ninja,
# libssl-dev, libnghttp2-dev and zlib1g-dev (scripts/install-deps.sh).
#
# Environment:
#     LLM_CURL_CACHE  where builds are kept (default ~/.cache/kubectl-llm/curl);
#                     each source package version lives in its own folder.
#
# Measured: 19 s to build on 2 cores, a 4.3 MB source download.
set -euo pipefail

cache=${LLM_CURL_CACHE:-$HOME/.cache/kubectl-llm/curl}
mkdir -p "$cache"

# Debian's source index, in a folder of our own: the machine's apt
# configuration (which usually has no deb-src lines) is left as it is.
apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/sources.list.d"
cat >"$apt_dir/sources.list.d/debian-src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_options=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists" -o APT::Sandbox::User=root -qq)

# The newest curl source of Debian 12 (security fixes included); its version
# names the build, so a Debian update builds once more and an unchanged one
# is reused without asking the network.
version_file="$cache/version"
if [[ ! -s $version_file ]] || [[ -n $(find "$version_file" -mmin +1440 2>/dev/null) ]]; then
  apt-get "${apt_options[@]}" update >&2
  apt-cache "${apt_options[@]}" showsrc curl | awk '/^Version:/ {print $2}' | sort -V | tail -n 1 >"$version_file"
fi
version=$(<"$version_file")
[[ -n $version ]] || { echo "build-curl.sh: Debian has no curl source package" >&2; exit 1; }
prefix="$cache/$version"
if [[ -f $prefix/lib/libcurl.a && -f $prefix/lib/cmake/CURL/CURLConfig.cmake ]]; then
  echo "$prefix"
  exit 0
fi

echo "build-curl.sh: building a static HTTP(S)-only libcurl from Debian's curl $version" >&2
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${apt_options[@]}" source --download-only "curl=$version" >&2 &&
  dpkg-source --no-check -x ./*.dsc src >&2)

nghttp2=$(find /usr/lib -name libnghttp2.a -print -quit)
[[ -n $nghttp2 ]] || { echo "build-curl.sh: libnghttp2.a not found: apt-get install libnghttp2-dev" >&2; exit 1; }
# Everything but HTTP(S) off; no libraries beyond OpenSSL, nghttp2 and zlib,
# all three linked statically into the plugin. No CA bundle path is compiled
# in: the plugin finds the system's at run time (kube/curl_library.cpp), so
# one binary works on Debian, Fedora, SUSE and Alpine alike.
cmake -S "$work/src" -B "$work/build" -G Ninja -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF \
  -DHTTP_ONLY=ON -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON \
  -DCURL_USE_OPENSSL=ON -DOPENSSL_USE_STATIC_LIBS=ON \
  -DUSE_NGHTTP2=ON -DNGHTTP2_LIBRARY="$nghttp2" -DCURL_ZLIB=ON \
  -DUSE_LIBIDN2=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBPSL=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF \
  -DCURL_USE_GSSAPI=OFF -DENABLE_THREADED_RESOLVER=ON -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none >&2
cmake --build "$work/build" --target install >&2
echo "$prefix"
