#!/usr/bin/env bash
# validate-nodes --from-json --report: the page a saved result draws, opened
# in a real browser (headless Chromium, Debian package chromium). Checks that
# it renders to a screenshot, that it asks for nothing over the network, and
# that its sorting script works (the #sort= address sorts on load).
#
#   html_report_screenshot_test.sh KUBECTL_LLM FLEET_JSON OUT_DIR
#
# Leaves OUT_DIR/report.html and OUT_DIR/report.png (the screenshot to look at).
set -euo pipefail
bin="$1"
fixture="$2"
out="$3"
mkdir -p "${out}"
rm -f "${out}/report.html" "${out}/report.png"

browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "${browser}" ]] || { echo "FAIL: chromium is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }

"${bin}" validate-nodes --from-json "${fixture}" --report "${out}/report.html"
[[ -s "${out}/report.html" ]] || { echo "FAIL: no page was written" >&2; exit 1; }

# A browser profile of our own, no network: the page must not need it.
profile="$(mktemp -d)"
trap 'rm -rf "${profile}"' EXIT
run_browser() {
  timeout 120 "${browser}" --headless=new --no-sandbox --disable-gpu --no-first-run --user-data-dir="${profile}" \
    --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' "$@" 2>"${out}/chromium.log"
}

run_browser --hide-scrollbars --window-size=1400,2400 --screenshot="${out}/report.png" "file://${out}/report.html"
python3 - "${out}/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1400, 2400), (width, height)
# Decode enough to see that the page drew something: many distinct colours
# (badges, heatmap cells, bars), not a blank or error page.
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
raw = zlib.decompress(idat)
colours = {raw[k:k + 3] for k in range(1, len(raw) - 3, 97)}
assert len(colours) > 40, f"only {len(colours)} colours: the page looks empty"
print(f"screenshot {width}x{height}, {len(data)} bytes, {len(colours)} sampled colours")
PY

# The sort script, run by the browser: #sort=-hbm puts the fastest HBM first
# and the node that measured nothing last.
run_browser --dump-dom "file://${out}/report.html#sort=-hbm" > "${out}/sorted.html"
python3 - "${out}/sorted.html" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
body = dom[dom.index('id="nodes"'):]
body = body[body.index("<tbody>"):body.index("</tbody>")]
rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
keys = [re.search(r'<td class="num[^"]*" data-sort="([^"]*)">', row).group(1) for row in rows]  # HBM: the first figure
values = [float(k) for k in keys if k]
assert values == sorted(values, reverse=True), keys
assert keys[-1] == "", keys
print("sorted by HBM, descending:", keys)
PY
echo "PASS: ${out}/report.png"
