#!/usr/bin/env bash
# Kill -9 vp2 of a running scripts/pbft-network.sh network under a steady load through vp0, start
# it again, and report how long until it is back in step (docs/PERFORMANCE.md, "Four-peer PBFT
# network").
#
#   bench/scripts/pbft-restart-under-load.sh CHAINCODE_NAME [RATE]
#
# Uses the network's PBFT_NET_DIR and BASE_PORT (defaults as scripts/pbft-network.sh); needs
# bin/loadgen built (mvn -B -q -o -pl bench -am package -DskipTests).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cc="${1:?usage: $0 CHAINCODE_NAME [RATE]}"; rate="${2:-250}"
base="${BASE_PORT:-7050}"; v0=$base; v2=$((base + 20))
net() { setsid "$root/scripts/pbft-network.sh" "$@" </dev/null >/dev/null; }
height() { curl -s -m 1 "http://127.0.0.1:$1/chain" | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])' 2>/dev/null || echo -1; }
log=$(mktemp)
"$root/bin/loadgen" --url "http://127.0.0.1:$v0" --name "$cc" --type 4 --conns 4 --rate "$rate" \
  --warmup 2 --duration 40 >"$log" 2>&1 &
load=$!
sleep 8
echo "$(date +%T.%N | cut -c1-12) kill -9 vp2 at heights vp0=$(height $v0) vp2=$(height $v2)"
net kill vp2
sleep 5
net start vp2
t0=$(date +%s%N); g0=$(height $v0)
echo "$(date +%T.%N | cut -c1-12) vp2 started; vp0 height $g0"
caught=""; ten=""
while :; do
  a=$(height $v0); b=$(height $v2); t=$(( ($(date +%s%N) - t0) / 1000000 ))
  if [ -z "$caught" ] && [ "$b" -ge "$g0" ]; then caught=$t; echo "vp2 reached vp0's height at its start ($g0) after $t ms"; fi
  if [ -z "$ten" ] && [ "$b" -ge 0 ] && [ $((a - b)) -le 10 ]; then ten=$t; echo "vp2 within 10 blocks (one checkpoint interval) of vp0 ($a/$b) after $t ms"; fi
  if [ -n "$caught" ] && [ $((a - b)) -le 2 ]; then echo "vp2 in step (vp0 $a, vp2 $b, gap <= 2 blocks) after $t ms"; break; fi
  if [ $t -gt 30000 ]; then echo "NOT in step after 30 s: vp0 $a vp2 $b"; break; fi
  sleep 0.1
done
wait $load
grep -E "committed|latency|NOT|settled" "$log"
rm -f "$log"
