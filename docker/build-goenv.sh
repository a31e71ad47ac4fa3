#!/usr/bin/env bash
# Builds the base image of Go chaincode (default tag jpeer/goenv:latest) without any registry: the
# machine's Debian Go toolchain (golang-go), the Go libraries the chaincode shim builds with
# (golang-google-grpc-dev, golang-goprotobuf-dev, under /usr/share/gocode), a shell with cp and mv
# for the Dockerfile's RUN line, and the shared libraries these need, imported as an image. The
# bundled core.yaml's chaincode.golang.Dockerfile builds on it ("from jpeer/goenv:latest").
#
# The image is what the original's hyperledger/fabric-baseimage is to its Go Dockerfile:
# GOPATH=/opt/gopath (single entry: the Dockerfile copies the package to $GOPATH/src), the
# libraries already in /opt/gopath/src, and src/github.com/hyperledger/fabric/peer/core.yaml
# there, since the original's RUN line copies that file. Binaries are built with CGO_ENABLED=0,
# so they run without a C library. Needs a running engine (DOCKER_HOST, see .ci/docker-engine).
#
#   docker/build-goenv.sh [image-tag]
set -euo pipefail

TAG="${1:-jpeer/goenv:latest}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GO="$(readlink -f "$(command -v go || true)")"
[[ -x "$GO" ]] || { echo "build-goenv: no go on PATH (apt-get install golang-go)" >&2; exit 1; }
GOROOT="$("$GO" env GOROOT)"
LIBS=/usr/share/gocode/src
for lib in google.golang.org/grpc github.com/golang/protobuf/proto; do
  [[ -d "$LIBS/$lib" ]] || { echo "build-goenv: $LIBS/$lib is missing (apt-get install" \
    "golang-google-grpc-dev golang-goprotobuf-dev)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
mkdir -p "$ROOT/tmp" "$ROOT/root" "$ROOT/etc" "$ROOT/bin" "$ROOT/opt/gopath/bin" "$ROOT/opt/go"
chmod 1777 "$ROOT/tmp"

# the toolchain: bin, pkg (tools and the standard library's export data) and the standard
# library's sources, symbolic links resolved (Debian splits GOROOT between /usr/lib and /usr/share)
cp -rL "$GOROOT/bin" "$GOROOT/pkg" "$ROOT/opt/go/"
cp -a "$GOROOT/VERSION" "$ROOT/opt/go/" 2>/dev/null || true
cp -rL "$GOROOT/src" "$ROOT/opt/go/src"
# the libraries (code.google.com holds only links to old import paths)
mkdir -p "$ROOT/opt/gopath/src"
for d in "$LIBS"/*; do
  [[ "$(basename "$d")" == code.google.com ]] && continue
  cp -rL "$d" "$ROOT/opt/gopath/src/"
done
mkdir -p "$ROOT/opt/gopath/src/github.com/hyperledger/fabric/peer"
cp "$HERE/../config/src/main/resources/org/jpeer/config/core.yaml" \
  "$ROOT/opt/gopath/src/github.com/hyperledger/fabric/peer/core.yaml"

# a shell for RUN, with the commands the RUN line uses, and every shared library they load
for cmd in sh cp mv mkdir rm ls cat; do
  cp -L "$(command -v "$cmd")" "$ROOT/bin/$cmd"
done
copy_lib() {
  local lib="$1"
  [[ -e "$ROOT$lib" ]] && return 0
  mkdir -p "$ROOT$(dirname "$lib")"
  cp -L "$lib" "$ROOT$lib"
}
while read -r lib; do
  copy_lib "$lib"
done < <(find "$ROOT/bin" "$ROOT/opt/go/bin" "$ROOT/opt/go/pkg/tool" -type f -perm -u+x -print0 \
  | xargs -0 -n1 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"
printf 'hosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' >"$ROOT/etc/hosts"

tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/opt/gopath/bin:/opt/go/bin:/bin' \
  --change 'ENV GOROOT=/opt/go' \
  --change 'ENV GOPATH=/opt/gopath' \
  --change 'ENV GO111MODULE=off' \
  --change 'ENV CGO_ENABLED=0' \
  --change 'ENV HOME=/root' \
  --change 'WORKDIR /opt/gopath' \
  - "$TAG" >/dev/null
echo "build-goenv: built $TAG ($(du -sh "$ROOT" | cut -f1) unpacked)"
