#!/usr/bin/env bash
# The seed's flow against a running peer (`bin/peer node start` in another terminal):
# deploy example02 by path, invoke "move a b 10", query a -> 90. Only curl is needed.
#
#   REST      the peer's REST address        (default http://127.0.0.1:7050)
#   CC_PATH   the chaincode to deploy        (default examples/target/example02.jar)
#   TIMEOUT   seconds to wait for a commit   (default 60; the first deploy starts the chaincode)
set -euo pipefail

REST="${REST:-http://127.0.0.1:7050}"
CC_PATH="${CC_PATH:-examples/target/example02.jar}"
TIMEOUT="${TIMEOUT:-60}"

fail() { echo "quickstart: $*" >&2; exit 1; }

# rpc METHOD PARAMS ID -> prints the JSON-RPC answer
rpc() {
  curl -sS -X POST "$REST/chaincode" -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":$2,\"id\":$3}"
}

# message ANSWER -> the result message of a successful answer, or fails with the answer
message() {
  local m
  m="$(printf '%s' "$1" | sed -n 's/.*"result":{"status":"OK","message":"\([^"]*\)"}.*/\1/p')"
  [ -n "$m" ] || fail "request failed: $1"
  printf '%s' "$m"
}

# committed TXID -> waits until GET /transactions/TXID answers 200; fails on a recorded failure
committed() {
  local deadline=$((SECONDS + TIMEOUT)) body status
  while [ "$SECONDS" -lt "$deadline" ]; do
    body="$(curl -sS -w '\n%{http_code}' "$REST/transactions/$1")"
    status="${body##*$'\n'}"
    body="${body%$'\n'*}"
    [ "$status" = 200 ] && return 0
    case "$body" in *'"failure"'*) fail "transaction $1 failed: $body" ;; esac
    sleep 0.2
  done
  fail "transaction $1 not committed within ${TIMEOUT}s"
}

curl -sS -o /dev/null "$REST/chain" || fail "no peer answers at $REST (start it with: bin/peer node start)"

answer="$(rpc deploy "{\"type\":4,\"chaincodeID\":{\"path\":\"$CC_PATH\"},\"ctorMsg\":{\"args\":[\"init\",\"a\",\"100\",\"b\",\"200\"]}}" 1)"
name="$(message "$answer")"
echo "deployed:  $name"
committed "$name"

answer="$(rpc invoke "{\"type\":4,\"chaincodeID\":{\"name\":\"$name\"},\"ctorMsg\":{\"args\":[\"move\",\"a\",\"b\",\"10\"]}}" 2)"
txid="$(message "$answer")"
echo "invoked:   $txid"
committed "$txid"

answer="$(rpc query "{\"type\":4,\"chaincodeID\":{\"name\":\"$name\"},\"ctorMsg\":{\"args\":[\"query\",\"a\"]}}" 3)"
a="$(message "$answer")"
echo "query a:   $a"
[ "$a" = 90 ] || fail "expected a = 90 after the move, got $a (was the flow run twice on the same ledger?)"
echo "quickstart: OK"
