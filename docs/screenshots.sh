#!/usr/bin/env bash
# Takes the README's screenshots from the real app under Xvfb: the Online tab
# with its badges, an order's detail and a bulk action's result list at
# 1280x800, the In Store register and its report, and the Online tab of a
# portrait tablet (800x1280). Clicks are
# positions in those layouts. SCREENSHOT_DISPLAY picks the X display (:57).
set -euo pipefail
cd "$(dirname "$0")/.."
display=${SCREENSHOT_DISPLAY:-:57}
data=$(mktemp -d)
app= xvfb=
stop() { kill $app $xvfb 2>/dev/null || true; wait $app $xvfb 2>/dev/null || true; }
trap 'stop; rm -rf "$data" "$data.log"' EXIT
export DISPLAY=$display
click() { xdotool mousemove "$1" "$2" click 1; sleep "${3:-0.4}"; }
# start SIZE READY [pos flags]: a screen of SIZE and the register on it,
# signed out, once its log says READY.
start() {
	Xvfb "$display" -screen 0 "$1x24" >/dev/null 2>&1 & xvfb=$!
	sleep 1
	bin/pos --data "$data" --size "$1" "${@:3}" >"$data.log" 2>&1 & app=$!
	for _ in $(seq 150); do grep -q "$2" "$data.log" 2>/dev/null && break; sleep 0.2; done
	sleep 4
}
# signIn X0 Y0: the owner's PIN 1234 and OK on a PIN pad whose 1 key is at X0,Y0.
signIn() {
	local x=$1 y=$2
	click "$x" "$y"; click $((x + 100)) "$y"; click $((x + 200)) "$y"; click "$x" $((y + 76)); click $((x + 200)) $((y + 228)) 3
}

start 1280x800 seeded --demo --feed-rate off
signIn 540 354
# New, nearest deadline first: the banner floats in its corner, nothing moves.
import -window root docs/online.png
click 300 262 2
import -window root docs/detail.png
# Bulk: select mode, tick three New orders, accept them.
click 535 166 1
click 22 262; click 22 310; click 22 406
click 480 726 6
import -window root docs/bulk.png
stop

# In Store: open a shift, three products, part paid by QRIS and the rest in
# cash; then the profit report over 30 days.
start 1280x800 seeded --demo --feed-rate off
signIn 540 354
click 50 21 1.5
click 982 70 1; click 684 380; xdotool type 200000; click 737 447 1
click 80 230; click 80 230; click 250 340; click 420 560
click 876 600; click 890 639; xdotool type 100000; click 1150 639; xdotool type QR-7781; click 1210 679
click 817 600; click 890 639; xdotool type 300.000; sleep 0.5
import -window root docs/instore.png
click 1022 768 2; click 573 447
click 1232 70 2; click 244 93 2
import -window root docs/report.png
stop

# The same shop on a portrait tablet: the sub-tabs wrap, none is hidden.
start 800x1280 "cloud: embedded" --feed-rate off
signIn 300 594
import -window root docs/portrait.png
echo "wrote docs/online.png docs/detail.png docs/bulk.png docs/instore.png docs/report.png docs/portrait.png"
