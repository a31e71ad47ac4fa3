#!/usr/bin/env bash
# Builds the base image of Java chaincode (default tag jpeer/javaenv:latest) without any registry:
# a JRE is cut from the local JDK with jlink, the shared libraries it needs are copied beside it,
# and the folder is imported as an image. Needs a running engine (DOCKER_HOST, see
# .ci/docker-engine) and a JDK 17+ (JAVA_HOME or the one `java` belongs to).
#
# The chaincode base (the default) also holds the shim runtime, /root/jpeer-shim-runtime-<version>.jar,
# which thin chaincode jars name in their manifest's Class-Path (they run as /root/chaincode.jar):
# JPEER_SHIM_JAR names the jar (default: shim/target's of this checkout, which must be built);
# JPEER_SHIM_JAR=none leaves it out (the peer's own image).
#
#   docker/build-javaenv.sh [image-tag]
set -euo pipefail

TAG="${1:-jpeer/javaenv:latest}"
if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
JLINK="$JAVA_HOME/bin/jlink"
[[ -x "$JLINK" ]] || { echo "build-javaenv: no jlink under JAVA_HOME=$JAVA_HOME" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
mkdir -p "$ROOT/tmp" "$ROOT/root" "$ROOT/etc"
chmod 1777 "$ROOT/tmp"

# java.naming and java.management: gRPC's DNS resolver and Netty probe them; jdk.unsupported:
# Netty and protobuf use sun.misc.Unsafe; jdk.crypto.ec: TLS to the peer. JPEER_JLINK_MODULES
# replaces the list (e.g. to run the peer itself, add java.sql,java.desktop,jdk.management).
MODULES="${JPEER_JLINK_MODULES:-java.base,java.logging,java.naming,java.management,java.xml,jdk.unsupported,jdk.crypto.ec}"
"$JLINK" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$ROOT/opt/java"

# every shared library the JRE's binaries and libraries load, with the dynamic loader
copy_lib() {
  local lib="$1"
  [[ -e "$ROOT$lib" ]] && return 0
  mkdir -p "$ROOT$(dirname "$lib")"
  cp -L "$lib" "$ROOT$lib"
}
while read -r lib; do
  copy_lib "$lib"
done < <(find "$ROOT/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 -n1 ldd 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
# the JVM dlopen()s these without listing them; libstdc++ is for native libraries of the code
# (RocksDB's JNI library, should the peer itself run on this image)
for name in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2 librt.so.1 libgcc_s.so.1 \
    libstdc++.so.6 libdl.so.2 libpthread.so.0 libm.so.6; do
  for dir in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64; do
    [[ -e "$dir/$name" ]] && copy_lib "$dir/$name" && break
  done
done
SHIM="${JPEER_SHIM_JAR:-}"
if [[ -z "$SHIM" ]]; then
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  SHIM="$(ls "$here"/shim/target/jpeer-shim-runtime-*.jar 2>/dev/null | head -n 1 || true)"
  [[ -n "$SHIM" ]] || { echo "build-javaenv: no shim/target/jpeer-shim-runtime-*.jar: build it first (mvn -B -q -o -DskipTests -pl shim -am package) or set JPEER_SHIM_JAR" >&2; exit 1; }
fi
if [[ "$SHIM" != none ]]; then
  [[ -f "$SHIM" ]] || { echo "build-javaenv: JPEER_SHIM_JAR=$SHIM is not a file" >&2; exit 1; }
  cp "$SHIM" "$ROOT/root/"
fi
echo "root:x:0:0:root:/root:/bin/false" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"
printf 'hosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' >"$ROOT/etc/hosts"

tar -C "$ROOT" -c . | docker import \
  --change 'ENV PATH=/opt/java/bin' \
  --change 'ENV JAVA_HOME=/opt/java' \
  --change 'WORKDIR /root' \
  - "$TAG" >/dev/null
echo "build-javaenv: built $TAG ($(du -sh "$ROOT" | cut -f1) unpacked)"
