#!/usr/bin/env bash
# A local network of four PBFT validators (vp0..vp3), started with the original's CORE_* variables.
#
#   scripts/pbft-network.sh start [vpN]     start all four (or one, on its data)
#   scripts/pbft-network.sh stop [vpN]      stop cleanly (SIGTERM) all four or one
#   scripts/pbft-network.sh kill vpN        SIGKILL one (a crash)
#   scripts/pbft-network.sh pause vpN       SIGSTOP one (a hung machine) ... resume vpN (SIGCONT)
#   scripts/pbft-network.sh status          pid, height, view of the chain and peers of each
#
# vpN listens on REST BASE_PORT+10N, gRPC BASE_PORT+10N+1 and events BASE_PORT+10N+3, all on
# 127.0.0.1 (BASE_PORT defaults to 7050: vp0 has the original's 7050/7051/7053). vp1..vp3 find the
# others through CORE_PEER_DISCOVERY_ROOTNODE = vp0. Data and logs: PBFT_NET_DIR (default
# ./pbft-network): PBFT_NET_DIR/vpN (peer.fileSystemPath) and PBFT_NET_DIR/vpN.log.
# Any CORE_* variable set when this script runs reaches every peer (e.g. CORE_PBFT_GENERAL_K=2);
# PBFT_VP<N>_ENV adds variables for one peer, e.g. PBFT_VP3_ENV="CORE_PBFT_GENERAL_BYZANTINE=true".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${PBFT_NET_DIR:-$PWD/pbft-network}"
base="${BASE_PORT:-7050}"
peers=(vp0 vp1 vp2 vp3)

die() { echo "pbft-network: $*" >&2; exit 1; }
index() { case "$1" in vp[0-3]) echo "${1#vp}" ;; *) die "no peer '$1' (vp0..vp3)" ;; esac; }
pidof_peer() { local f="$dir/$1/peer.pid"; [ -f "$f" ] && cat "$f" || true; }
alive() { local p; p="$(pidof_peer "$1")"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

start_one() {
  local vp="$1" i; i="$(index "$vp")"
  if alive "$vp"; then echo "$vp already running (pid $(pidof_peer "$vp"))"; return; fi
  mkdir -p "$dir/$vp"
  rm -f "$dir/$vp/peer.addresses"
  local extra_var="PBFT_VP${i}_ENV"
  local -a env=(
    "CORE_PEER_ID=$vp"
    "CORE_PEER_ADDRESS=127.0.0.1:$((base + 10 * i + 1))"
    "CORE_PEER_LISTENADDRESS=127.0.0.1:$((base + 10 * i + 1))"
    "CORE_REST_ADDRESS=127.0.0.1:$((base + 10 * i))"
    "CORE_PEER_VALIDATOR_EVENTS_ADDRESS=127.0.0.1:$((base + 10 * i + 3))"
    "CORE_PEER_FILESYSTEMPATH=$dir/$vp"
    "CORE_PEER_VALIDATOR_CONSENSUS_PLUGIN=pbft"
    "CORE_PBFT_GENERAL_N=${CORE_PBFT_GENERAL_N:-4}"
  )
  if [ "$i" -gt 0 ]; then env+=("CORE_PEER_DISCOVERY_ROOTNODE=127.0.0.1:$((base + 1))"); fi
  for kv in ${!extra_var:-}; do env+=("$kv"); done
  (cd "$dir" && exec env "${env[@]}" nohup "$root/bin/peer" node start >>"$dir/$vp.log" 2>&1) &
  local launcher=$!
  local deadline=$((SECONDS + 120))
  until [ -f "$dir/$vp/peer.addresses" ]; do
    if ! kill -0 "$launcher" 2>/dev/null; then
      tail -n 5 "$dir/$vp.log" >&2
      die "$vp exited during start-up; see $dir/$vp.log"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "$vp did not start within 120 s; see $dir/$vp.log"
    sleep 0.2
  done
  echo "$vp started (pid $(pidof_peer "$vp")): REST http://127.0.0.1:$((base + 10 * i)), gRPC 127.0.0.1:$((base + 10 * i + 1))"
}

signal_one() {
  local sig="$1" vp="$2" p
  index "$vp" >/dev/null
  p="$(pidof_peer "$vp")"
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || { echo "$vp is not running"; return; }
  kill "-$sig" "$p"
  if [ "$sig" = TERM ] || [ "$sig" = KILL ]; then
    local deadline=$((SECONDS + 60))
    while kill -0 "$p" 2>/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || die "$vp (pid $p) still running 60 s after SIG$sig"
      sleep 0.1
    done
    [ "$sig" = KILL ] && rm -f "$dir/$vp/peer.pid" "$dir/$vp/peer.addresses"
  fi
  echo "$vp: SIG$sig sent (pid $p)"
}

status() {
  for vp in "${peers[@]}"; do
    local i; i="$(index "$vp")"
    if alive "$vp"; then
      local chain peers_json
      chain="$(curl -s -m 2 "http://127.0.0.1:$((base + 10 * i))/chain" || true)"
      peers_json="$(curl -s -m 2 "http://127.0.0.1:$((base + 10 * i))/network/peers" || true)"
      local height="${chain#*\"height\":}"; height="${height%%,*}"
      local n; n="$(grep -o '"ID"' <<<"$peers_json" | wc -l)"
      echo "$vp pid $(pidof_peer "$vp"): height ${height:-?}, $((n > 0 ? n - 1 : 0)) other peers connected"
    else
      echo "$vp not running"
    fi
  done
}

cmd="${1:-}"; shift || true
case "$cmd" in
  start) if [ $# -gt 0 ]; then start_one "$1"; else for vp in "${peers[@]}"; do start_one "$vp"; done; fi ;;
  stop) if [ $# -gt 0 ]; then signal_one TERM "$1"; else for vp in "${peers[@]}"; do signal_one TERM "$vp"; done; fi ;;
  kill) [ $# -eq 1 ] || die "usage: kill vpN"; signal_one KILL "$1" ;;
  pause) [ $# -eq 1 ] || die "usage: pause vpN"; signal_one STOP "$1" ;;
  resume) [ $# -eq 1 ] || die "usage: resume vpN"; signal_one CONT "$1" ;;
  status) status ;;
  *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || exit 2 ;;
esac
