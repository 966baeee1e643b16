# Sourced (not run) by the scripts that build Android-demo Kotlin without Gradle or the Android
# SDK: android_demo/core/run_jvm_tests.sh and android_demo/typecheck/run_typecheck.sh.
# Installs what is missing and sets KOTLIN_HOME, KOTLINC and KLIB:
#   - a JDK from Debian (default-jdk-headless),
#   - the Kotlin compiler from the npm registry (package kotlin-compiler, which ships bin/kotlinc
#     and the kotlin-stdlib / kotlin-test jars), unpacked into $TOOLS_DIR.
# The caller sets LOG_TAG (the prefix of its log lines) before sourcing.
# Env: KOTLIN_VERSION (default below), TOOLS_DIR (default <repo>/.tools, git-ignored).

_TOOLCHAIN_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KOTLIN_VERSION="${KOTLIN_VERSION:-2.4.20}"
TOOLS_DIR="${TOOLS_DIR:-$_TOOLCHAIN_REPO/.tools}"
KOTLIN_HOME="$TOOLS_DIR/kotlin-compiler-$KOTLIN_VERSION"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
KLIB="$KOTLIN_HOME/lib"

log() { echo "[${LOG_TAG:-kotlin}] $*" >&2; }

# as_root, apt_install (shared with web_demo/setup.sh)
# shellcheck source=../../scripts/apt_install.sh
. "$_TOOLCHAIN_REPO/scripts/apt_install.sh"

ensure_jdk() {
  if ! command -v javac >/dev/null || ! command -v java >/dev/null; then
    log "installing a JDK (default-jdk-headless)"
    apt_install default-jdk-headless
  fi
}

ensure_kotlinc() {
  [ -x "$KOTLINC" ] && return 0
  command -v npm >/dev/null || { log "npm is needed to fetch kotlin-compiler"; return 1; }
  log "fetching kotlin-compiler@$KOTLIN_VERSION from the npm registry into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  local tmp
  tmp="$(mktemp -d "$TOOLS_DIR/.kotlin-XXXXXX")"
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf kotlin-compiler-*.tgz)
  rm -rf "$KOTLIN_HOME"
  mv "$tmp/package" "$KOTLIN_HOME"   # atomic on one filesystem: a half-extracted tree is never used
  rm -rf "$tmp"
  chmod +x "$KOTLIN_HOME"/bin/*
}

# C1-only JIT and the serial GC roughly halve a short compile's CPU time (kotlinc reads JAVA_OPTS).
export JAVA_OPTS="${KOTLINC_JAVA_OPTS:--Xmx1G -Xms256M -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
