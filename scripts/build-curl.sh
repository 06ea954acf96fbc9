#!/usr/bin/env bash
# Builds the libcurl that the release ships in its network module
# (kubectl-llm-net.so, kube/curl_library.h): a static, position-independent
# library with only HTTP and HTTPS (OpenSSL, HTTP/2, gzip), from Debian's own
# curl source package with Debian's patches applied, and beside it nghttp2's
# and zlib's, built the same way from their Debian sources (Debian's own
# archives of those two are not position-independent, so no module can hold
# them). The shared libcurl that every other build opens
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
# (include/curl/curl.h, lib/libcurl.a, lib/libnghttp2.a, lib/libz.a,
# lib/cmake/CURL/CURLConfig.cmake).
# Progress goes to stderr, and only while building: a second run prints the
# line and nothing else (idempotent). Needs dpkg-dev, cmake, ninja,
# libssl-dev (scripts/install-deps.sh).
#
# Environment:
#     LLM_CURL_CACHE  where builds are kept (default ~/.cache/kubectl-llm/curl);
#                     each source package version lives in its own folder.
#
# Measured: 27 s to build on 2 cores (curl 19 s), a 7 MB source download.
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

# The newest sources of Debian 12 (security fixes included); their versions
# name the build, so a Debian update builds once more and an unchanged one is
# reused without asking the network.
# A version whose files the mirror no longer (or does not yet) serve is
# skipped for the next newest; the sources are kept in $cache/src.
version_file="$cache/versions"
sources_present() {
  local package version
  while IFS== read -r package version; do [[ -d $cache/src/$package-$version ]] || return 1; done <"$version_file"
}
if [[ ! -s $version_file ]] || [[ -n $(find "$version_file" -mmin +1440 2>/dev/null) ]] || ! sources_present; then
  apt-get "${apt_options[@]}" update >&2
  for package in curl nghttp2 zlib; do
    for version in $(apt-cache "${apt_options[@]}" showsrc "$package" | awk '/^Version:/ {print $2}' | sort -Vru); do
      source_dir="$cache/src/$package-$version"
      [[ -d $source_dir ]] && break
      rm -rf "$source_dir.part" && mkdir -p "$source_dir.part"
      if (cd "$source_dir.part" && apt-get "${apt_options[@]}" source --download-only "$package=$version" >&2); then
        mv "$source_dir.part" "$source_dir"
        break
      fi
      rm -rf "$source_dir.part"
      echo "build-curl.sh: $package $version is not served here; taking the next newest" >&2
    done
    [[ -d $cache/src/$package-${version:-} ]] && printf '%s=%s\n' "$package" "$version"
  done >"$version_file.new"
  mv "$version_file.new" "$version_file"
fi
declare -A versions
while IFS== read -r package version; do versions[$package]=$version; done <"$version_file"
for package in curl nghttp2 zlib; do
  [[ -n ${versions[$package]:-} ]] || { echo "build-curl.sh: Debian has no $package source package" >&2; exit 1; }
done
prefix="$cache/${versions[curl]}+nghttp2-${versions[nghttp2]}+zlib-${versions[zlib]#*:}"
if [[ -f $prefix/lib/libcurl.a && -f $prefix/lib/cmake/CURL/CURLConfig.cmake ]]; then
  echo "$prefix"
  exit 0
fi

echo "build-curl.sh: building a static HTTP(S)-only libcurl from Debian's curl ${versions[curl]}" >&2
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
for package in curl nghttp2 zlib; do
  mkdir "$work/$package"
  (cd "$work/$package" && dpkg-source --no-check -x "$cache/src/$package-${versions[$package]}"/*.dsc src >&2)
done

# nghttp2's library alone and zlib, static and position-independent.
cmake -S "$work/nghttp2/src" -B "$work/nghttp2/build" -G Ninja -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DENABLE_LIB_ONLY=ON -DENABLE_STATIC_LIB=ON -DENABLE_SHARED_LIB=OFF \
  -DENABLE_DOC=OFF >&2
cmake --build "$work/nghttp2/build" --target install >&2
(cd "$work/zlib/src" && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$prefix" >&2 && make -j"$(nproc)" install >&2)

# Everything but HTTP(S) off; no libraries beyond OpenSSL, nghttp2 and zlib,
# all three linked statically into the module. No CA bundle path is compiled
# in: the plugin finds the system's at run time (kube/curl_library.cpp), so
# one build works on Debian, Fedora, SUSE and Alpine alike.
cmake -S "$work/curl/src" -B "$work/curl/build" -G Ninja -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF \
  -DHTTP_ONLY=ON -DCURL_DISABLE_LDAP=ON -DCURL_DISABLE_LDAPS=ON \
  -DCURL_USE_OPENSSL=ON -DOPENSSL_USE_STATIC_LIBS=ON \
  -DUSE_NGHTTP2=ON -DNGHTTP2_LIBRARY="$prefix/lib/libnghttp2.a" -DNGHTTP2_INCLUDE_DIR="$prefix/include" \
  -DCURL_ZLIB=ON -DZLIB_LIBRARY="$prefix/lib/libz.a" -DZLIB_INCLUDE_DIR="$prefix/include" \
  -DUSE_LIBIDN2=OFF -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBPSL=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF \
  -DCURL_USE_GSSAPI=OFF -DENABLE_THREADED_RESOLVER=ON -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none >&2
cmake --build "$work/curl/build" --target install >&2
echo "$prefix"
