#!/usr/bin/env bash
# Takes the README's screenshots from the real app under Xvfb: the Online tab
# with its badges, an order's detail, and a bulk action's result list.
# Clicks are positions in the 1280x800 landscape layout.
set -euo pipefail
cd "$(dirname "$0")/.."
display=:$((90 + RANDOM % 9))
data=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 & xvfb=$!
export DISPLAY=$display
sleep 1
bin/pos --data "$data" --demo --feed-rate off >"$data.log" 2>&1 & app=$!
for _ in $(seq 100); do grep -q seeded "$data.log" 2>/dev/null && break; sleep 0.2; done
sleep 3
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.4}"; }
# Sign in as the owner: PIN 1234, OK.
click 540 354; click 640 354; click 740 354; click 540 430; click 740 582 2
import -window root docs/online.png
# Wait for the new-order banner to hide, so the list sits where the clicks expect it.
sleep 7
click 300 222 1.5
import -window root docs/detail.png
# Bulk: select mode, tick three New orders, accept them.
click 465 147 1
click 18 222; click 18 335; click 18 448
click 480 726 3
import -window root docs/bulk.png
echo "wrote docs/online.png docs/detail.png docs/bulk.png"
