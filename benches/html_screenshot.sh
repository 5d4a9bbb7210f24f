#!/usr/bin/env bash
# Renders the `logs audit` HTML page in headless Chromium and takes a
# screenshot, to check it by eye: the page must show its charts with no
# network (it has no external assets) and no JavaScript.
#
#   benches/html_screenshot.sh [OUT.png] [WEEKS]
#
# Needs Debian's `chromium` (apt-get install -y chromium). Writes six weeks
# of synthetic exports (benches/tools/audit_demo.rs) to a temporary folder,
# audits them with --format html, and screenshots the page at 1280x2000
# (default /tmp/audit.png; the HTML is kept next to it as .html).
set -euo pipefail

out="${1:-/tmp/audit.png}"
weeks="${2:-6}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
cargo build --quiet --bin logs --example audit_demo
target="${CARGO_TARGET_DIR:-$root/target}"
"$target/debug/examples/audit_demo" "$work/exports" "$weeks" >/dev/null
html="${out%.png}.html"
"$target/debug/logs" audit "$work"/exports/* --format html >"$html"

if grep -Eqi '(src|href)="https?:' "$html"; then
  echo "html_screenshot: $html loads something from the network" >&2
  exit 1
fi

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars \
  --screenshot="$out" --window-size=1280,2000 "file://$html" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2
  exit 1
}
echo "html_screenshot: $html rendered to $out"
