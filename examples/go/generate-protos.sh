#!/usr/bin/env bash
# Regenerates the Go code of the chaincode protocol messages (chaincode.proto and what it imports)
# that the Go shim uses. The output is committed, so users need neither protoc nor protoc-gen-go.
# Needs Debian's protobuf-compiler and golang-goprotobuf-dev (protoc-gen-go 1.3, plugins=grpc).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
protos="$here/../../protos/src/main/proto"
out="$here/src/jpeer/shim/protos"
# Timestamp from the APIv1 package that Debian's golang-goprotobuf-dev ships in GOPATH form
protoc -I"$protos" -I/usr/include \
  --go_out=plugins=grpc,Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp:"$out" \
  "$protos/chaincode.proto" "$protos/chaincodeevent.proto"
echo "generated into $out"
