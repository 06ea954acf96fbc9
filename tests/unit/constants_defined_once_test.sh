#!/usr/bin/env bash
# Fails when one `inline constexpr` constant name is defined in two headers of
# ROOT/cli or ROOT/gpu_check. Inline variables with one name in one namespace
# are merged by the linker whatever their types, so a `const char*` and a
# `std::string_view` of the same name become one object read two ways (an ODR
# violation no compiler reports: it made `nodes` show every node unvalidated
# in a clang build). Names in different namespaces would be fine; the project
# keeps one home per name anyway, so any repeat is refused.
#   constants_defined_once_test.sh ROOT
set -euo pipefail
root=${1:?usage: constants_defined_once_test.sh ROOT}
repeated=$(grep -rhoE --include='*.h' '^inline constexpr [^=;(]* (k[A-Za-z0-9_]+) *=' "$root/cli" "$root/gpu_check" 2>/dev/null |
  sed -E 's/^.* (k[A-Za-z0-9_]+) *=$/\1/' | sort | uniq -d)
if [[ -n $repeated ]]; then
  for name in $repeated; do
    echo "constant $name is defined in more than one header (give it one home):" >&2
    grep -rnE --include='*.h' "^inline constexpr [^=;(]* $name *=" "$root/cli" "$root/gpu_check" >&2
  done
  exit 1
fi
