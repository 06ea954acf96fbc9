#!/usr/bin/env bash
# Fails on an #include that runs against the layer order of cli/. The order is
# written once, in the ```layers block of HACKING.md (lowest first): a file in
# cli/<layer>/ may include its own layer and the layers listed before it. A
# bare include ("x.h") must be a file of its own folder, or of gpu_check/ (the
# self-test's host library) from node_validation and above.
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

mapfile -t layers < <(awk '/^```layers$/{on=1; next} /^```/{on=0} on && /^[a-z_]+ /{print $1}' "$root/HACKING.md")
if ((${#layers[@]} < 2)); then
  echo "layering_test: no \`\`\`layers block in $root/HACKING.md" >&2
  exit 1
fi
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
gpu_check_from=${rank[node_validation]:?the layers block must name node_validation}

violations=0
for dir in "$root"/cli/*/; do
  layer=$(basename "$dir")
  if [[ -z "${rank[$layer]+set}" ]]; then
    echo "cli/$layer/: a folder the layers block in HACKING.md does not name" >&2
    violations=$((violations + 1))
    continue
  fi
  while IFS=: read -r file line include; do
    target=${include#*\"}
    target=${target%\"*}
    where="${file#"$root"/}:$line"
    if [[ "$target" == */* ]]; then
      to=${target%%/*}
      if [[ -z "${rank[$to]+set}" ]]; then
        echo "$where: includes \"$target\": \"$to\" is not a layer of cli/" >&2
        violations=$((violations + 1))
      elif ((rank[$to] > rank[$layer])); then
        echo "$where: $layer includes \"$target\", a layer above it (order: ${layers[*]})" >&2
        violations=$((violations + 1))
      fi
    elif [[ -e "$dir/$target" ]]; then
      :
    elif [[ -e "$root/gpu_check/$target" ]] && ((rank[$layer] >= gpu_check_from)); then
      :
    else
      echo "$where: includes \"$target\", which is neither in cli/$layer/ nor allowed from gpu_check/ here" >&2
      violations=$((violations + 1))
    fi
  done < <(grep -n -H -E '^#include "' "$dir"*.h "$dir"*.cpp 2>/dev/null || true)
done

if ((violations > 0)); then
  echo "layering_test: $violations include(s) against the layer order" >&2
  exit 1
fi
echo "layering_test: ${#layers[@]} layers, every include of cli/ follows the order"
