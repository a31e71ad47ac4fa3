#!/usr/bin/env bash
# Builds jpeer's two images from this checkout without any registry (nothing is pulled):
#   jpeer/javaenv:<version> and :latest  the base of Java chaincode images (chaincode.java.baseimage)
#   jpeer/peerenv:<version> and :latest  the JRE the peer runs on (the peer image's base)
#   jpeer/peer:<version> and :latest     the peer, with the example chaincode jars
# <version> is the Maven project version (pom.xml). Both JREs are cut from the local JDK with
# jlink and imported with `docker import` (docker/build-javaenv.sh); the peer image is then a
# plain `docker build` of docker/Dockerfile.peer on top. Needs a running engine (DOCKER_HOST, see
# .ci/docker-engine) and a JDK 17+. Builds the Maven jars first when they are missing or older than the sources.
#
#   docker/build-images.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { echo "build-images: [$1/4] $2"; }
die() { echo "build-images: ERROR: $*" >&2; exit 1; }

command -v docker >/dev/null 2>&1 || die "no docker client on PATH"
docker version >/dev/null 2>&1 || die "no Docker engine answers at ${DOCKER_HOST:-the default socket} (eval \"\$(.ci/docker-engine start)\" starts one)"

# the project version: the first <version> of pom.xml is the project's own (it has no parent)
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
[[ -n "$version" ]] || die "cannot read the project version from pom.xml"

peer_jar=peer/target/jpeer-peer.jar
examples=(example02 example04 map eventsender)
why=""
[[ -f "$peer_jar" && -d peer/target/lib ]] || why="$peer_jar"
[[ -f "shim/target/jpeer-shim-runtime-$version.jar" ]] || why="$why shim/target/jpeer-shim-runtime-$version.jar"
for e in "${examples[@]}"; do [[ -f "examples/target/$e.jar" ]] || why="$why examples/target/$e.jar"; done
[[ -z "$why" ]] || why="missing:$why"
# as bin/peer does: any main source, resource or pom newer than a jar means it is out of date
newer() {
  [[ -n "$(find . -path '*/target' -prune -o -path '*/.git' -prune -o \
            \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$1" -print -quit)" ]]
}
if [[ -z "$why" ]] && { newer "$peer_jar" || newer examples/target/example02.jar; }; then
  why="sources newer than the jars"
fi
if [[ -n "$why" ]]; then
  step 1 "building the jars ($why): mvn -B -q -DskipTests -pl peer,examples -am package"
  # not offline: on a fresh machine a test calls this while the outer build is still in an
  # earlier module, before Maven has fetched what the peer module alone needs
  mvn -B -q -DskipTests -pl peer,examples -am package
else
  step 1 "jars present ($peer_jar, examples/target/{$(IFS=,; echo "${examples[*]}")}.jar)"
fi

# the images the tags name now: a rebuild leaves them untagged, and they are removed at the end
old_ids="$(for t in "jpeer/javaenv:$version" "jpeer/peerenv:$version" "jpeer/peer:$version"; do
  docker image inspect -f '{{.Id}}' "$t" 2>/dev/null || true; done)"

step 2 "chaincode base jpeer/javaenv:$version (jlink + docker import)"
docker/build-javaenv.sh "jpeer/javaenv:$version"
docker tag "jpeer/javaenv:$version" jpeer/javaenv:latest

# the peer needs more of the JDK than chaincode does (jdeps over peer/target/lib): java.sql
# (protobuf-java-util, BouncyCastle), java.desktop (commons-lang3, JNA: docker-java's client),
# jdk.management (JVM metrics).
# Left out: jdk.jfr (Netty's optional flight-recorder events), java.security.jgss (Kerberos)
step 3 "peer JRE jpeer/peerenv:$version (jlink + docker import)"
JPEER_SHIM_JAR=none JPEER_JLINK_MODULES=java.base,java.logging,java.naming,java.management,java.xml,java.sql,java.desktop,jdk.unsupported,jdk.crypto.ec,jdk.management \
  docker/build-javaenv.sh "jpeer/peerenv:$version"
docker tag "jpeer/peerenv:$version" jpeer/peerenv:latest

step 4 "peer image jpeer/peer:$version (docker build -f docker/Dockerfile.peer)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
context="$work/context"
mkdir "$context"
cp "$peer_jar" "$context/"
cp -r peer/target/lib "$context/lib"
mkdir "$context/shim"
cp "shim/target/jpeer-shim-runtime-$version.jar" "$context/shim/"
mkdir "$context/examples"
for e in "${examples[@]}"; do cp "examples/target/$e.jar" "$context/examples/"; done
# the classic builder: it takes FROM from the local images and never looks at a registry
# (its deprecation notice on stderr is only shown when the build fails)
if ! DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=jpeer/peerenv:$version" -f docker/Dockerfile.peer \
    -t "jpeer/peer:$version" -t jpeer/peer:latest "$context" >/dev/null 2>"$work/build.err"; then
  cat "$work/build.err" >&2
  die "docker build of the peer image failed"
fi

for image in "jpeer/javaenv:$version" "jpeer/peerenv:$version" "jpeer/peer:$version"; do
  echo "build-images: built $image and :latest ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}'))"
done
# a previous build's image that no tag names any more (a container still using it keeps it)
for id in $old_ids; do
  if [[ "$(docker image inspect -f '{{len .RepoTags}}' "$id" 2>/dev/null || echo 1)" == 0 ]]; then
    docker image rm "$id" >/dev/null 2>&1 || true
  fi
done
