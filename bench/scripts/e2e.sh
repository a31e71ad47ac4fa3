#!/bin/sh
# End-to-end measurements of one jpeer peer (see docs/PERFORMANCE.md, section end-to-end).
#   bench/scripts/e2e.sh net   <loadgen args>   fresh peer, deploy examples/target/example02.jar (local process), run
#   bench/scripts/e2e.sh dev   <loadgen args>   fresh peer --peer-chaincodedev, example02 started here as "mycc", run
#   bench/scripts/e2e.sh start [keep]           milliseconds from `peer node start` to the first REST answer
# The peer runs as a user runs it: `bin/peer node start` with its default JVM options (JPEER_NO_BUILD=1).
# The peer's event hub address is passed on (--events), so `--event-consumers N` measures event delivery.
# After a `net` run the first blocks' sizes are read from the stopped peer's ledger (the deploy's bytes).
# Build first: mvn -B -q -o -pl peer,bench,examples -am package -DskipTests
# PEER_OPTS adds JVM options to the peer (JPEER_JAVA_OPTS of bin/peer); CC_OPTS sets the dev-mode
# chaincode's JVM options; DIR is the scratch folder; PEER_ROOT is the checkout whose peer and
# example02 are measured (default: this one; another worktree gives back-to-back A/B runs with the
# same load generator). SECURE=1 (net mode) also starts bin/membersrvc, runs the peer with
# security.enabled, logs in jim and drives the load as jim: every transaction TCert-signed.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
peer_root=${PEER_ROOT:-$root}
dir=${DIR:-/tmp/jpeer-e2e-bench}
mode=$1; shift
[ "$mode" = start ] && [ "${1:-}" = keep ] || rm -rf "$dir/prod"
mkdir -p "$dir/prod"; rm -f "$dir/prod/peer.addresses"
export CORE_PEER_ADDRESS=127.0.0.1:0 CORE_PEER_LISTENADDRESS=127.0.0.1:0 CORE_REST_ADDRESS=127.0.0.1:0 \
  CORE_PEER_FILESYSTEMPATH="$dir/prod" CORE_PEER_VALIDATOR_EVENTS_ADDRESS=127.0.0.1:0
flags=""; [ "$mode" = dev ] && flags=--peer-chaincodedev
secure_args=""
if [ "${SECURE:-0}" = 1 ]; then
  rm -rf "$dir/ca"; mkdir -p "$dir/ca"
  MEMBERSRVC_CA_SERVER_PORT=127.0.0.1:0 MEMBERSRVC_CA_SERVER_ROOTPATH="$dir/ca" JPEER_NO_BUILD=1 \
    "$peer_root/bin/membersrvc" > "$dir/membersrvc.log" 2>&1 &
  ca=$!
  until ca_addr=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$dir/membersrvc.log" | cut -d' ' -f3); [ -n "$ca_addr" ]; do
    kill -0 $ca 2>/dev/null || { echo "e2e: bin/membersrvc exited:" >&2; tail -5 "$dir/membersrvc.log" >&2; exit 1; }
    sleep 0.05
  done
  export CORE_SECURITY_ENABLED=true CORE_PEER_PKI_ECA_PADDR=$ca_addr CORE_PEER_PKI_TCA_PADDR=$ca_addr \
    CORE_PEER_PKI_TLSCA_PADDR=$ca_addr
  secure_args="--secure-context jim"
fi
t0=$(date +%s%N)
# shellcheck disable=SC2086
JPEER_NO_BUILD=1 JPEER_JAVA_OPTS="${PEER_OPTS:-}" "$peer_root/bin/peer" node start $flags > "$dir/peer.log" 2>&1 &
peer=$!
trap 'kill $peer ${cc:-} ${ca:-} 2>/dev/null || true' EXIT
while ! grep -qs '^rest=' "$dir/prod/peer.addresses"; do
  kill -0 $peer 2>/dev/null || { echo "e2e: the peer exited before it listened:" >&2; tail -5 "$dir/peer.log" >&2; exit 1; }
  sleep 0.01
done
rest=$(grep '^rest=' "$dir/prod/peer.addresses" | cut -d= -f2)
grpc=$(grep '^grpc=' "$dir/prod/peer.addresses" | cut -d= -f2)
events=$(grep '^events=' "$dir/prod/peer.addresses" | cut -d= -f2 || true)
case $mode in
  start)
    until curl -sf "http://$rest/chain" > /dev/null; do sleep 0.01; done
    echo "first REST answer after $(( ($(date +%s%N) - t0) / 1000000 )) ms";;
  net)
    if [ -n "$secure_args" ]; then
      curl -sf -XPOST "http://$rest/registrar" -d '{"enrollId":"jim","enrollSecret":"6avZQLwcUe9b"}' > /dev/null
    fi
    # shellcheck disable=SC2086
    "$root/bin/loadgen" --url "http://$rest" --deploy "$peer_root/examples/target/example02.jar" --type 4 --pid $peer ${events:+--events "$events"} $secure_args "$@"
    kill $peer; wait $peer 2>/dev/null || true
    java -cp "$root/bench/target/benchmarks.jar" org.jpeer.bench.load.BlockSizes "$dir/prod" 2;;
  dev)
    # shellcheck disable=SC2086
    CORE_CHAINCODE_ID_NAME=mycc CORE_PEER_ADDRESS=$grpc java ${CC_OPTS:-} -jar "$peer_root/examples/target/example02.jar" > "$dir/cc.log" 2>&1 &
    cc=$!
    # a deploy in dev mode fails (recorded) unless the chaincode has registered first
    while ! grep -q 'Chaincode mycc registered' "$dir/peer.log"; do sleep 0.05; done
    "$root/bin/loadgen" --url "http://$rest" --name mycc --deploy mycc --type 4 --pid $peer ${events:+--events "$events"} "$@"
    echo "dev-mode chaincode peak RSS (VmHWM): $(grep VmHWM /proc/$cc/status | awk '{print $2, $3}')";;
esac
