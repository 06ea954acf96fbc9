#!/usr/bin/env bash
# Makes a Debian 12 root of one architecture in DIR from Debian's packages, with
# debootstrap (as root), from the mirror apt uses on this machine:
#  - this machine's architecture: a minimal system (--variant=minbase) with
#    PACKAGES installed, to run a binary in with chroot: the release binary
#    must run where users have nothing but Debian and libcurl4.
#  - another architecture (arm64): a sysroot to build against (a cross
#    compiler's --sysroot) and run in with qemu-user's -L: every package
#    unpacked, none configured (that would need the foreign CPU).
# Done once: DIR keeps a stamp of what it was made with, and is made again
# when that changes.
#   scripts/debian-root.sh ARCH DIR [PACKAGE...]
set -euo pipefail
arch=${1:?usage: debian-root.sh ARCH DIR [PACKAGE...]}
dir=${2:?usage: debian-root.sh ARCH DIR [PACKAGE...]}
shift 2
suite=bookworm
stamp="$suite $arch $*"
[[ -f $dir/.debian-root && $(<"$dir/.debian-root") == "$stamp" ]] && exit 0

command -v debootstrap >/dev/null || { echo "debian-root.sh: needs debootstrap (scripts/install-deps.sh)" >&2; exit 1; }
# The first main archive in apt's own sources (deb822 or one-line form).
mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
[[ -n $mirror ]] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\([^ ]*\/debian\) .*/\2/p' /etc/apt/sources.list \
                               /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
[[ -n $mirror ]] || { echo "debian-root.sh: no Debian archive among apt's sources" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir"
include=()
(($#)) && include=(--include="$(IFS=,; echo "$*")")
log="$dir.log"
if [[ $arch == "$(dpkg --print-architecture)" ]]; then
  debootstrap --variant=minbase "${include[@]}" "$suite" "$dir" "$mirror" >"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; exit 1; }
else
  debootstrap --arch="$arch" --foreign --variant=minbase "${include[@]}" "$suite" "$dir" "$mirror" >"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; exit 1; }
  for deb in "$dir"/var/cache/apt/archives/*.deb; do dpkg-deb -x "$deb" "$dir"; done
  # Absolute links (libfoo.so -> /lib/...) would leave the root: make them relative.
  find "$dir" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$dir$target")" "$link"
  done
fi
rm -rf "$dir"/var/cache/apt/archives/*.deb
echo "$stamp" >"$dir/.debian-root"
