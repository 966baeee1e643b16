#!/usr/bin/env bash
# Builds and tests the Android demo's pure-Kotlin core on the JVM, without Gradle or the Android
# SDK: the Kotlin compiler comes from the npm registry (package kotlin-compiler, which ships
# bin/kotlinc and kotlin-test-junit), JUnit 4 from Debian (junit4 + libhamcrest-java), the JDK
# from the machine. Installs whatever is missing, then:
#   1. checks that src/main imports nothing but kotlin.* and java.* (the core has no dependency),
#   2. compiles src/main and src/test in one kotlinc run, against kotlin-test-junit and JUnit 4,
#   3. runs every *Test class with org.junit.runner.JUnitCore,
# and ends with the line "N passed, N failed". Exit status: 0 only if every test passed.
#
# Usage: bash android_demo/core/run_jvm_tests.sh      (from anywhere)
# Env:   KOTLIN_VERSION (default below), TOOLS_DIR (default <repo>/.tools, git-ignored),
#        KOTLINC_JAVA_OPTS (JVM options of the compiler)
set -euo pipefail

CORE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$CORE/../.." && pwd)"
KOTLIN_VERSION="${KOTLIN_VERSION:-2.4.20}"
TOOLS_DIR="${TOOLS_DIR:-$REPO/.tools}"
KOTLIN_HOME="$TOOLS_DIR/kotlin-compiler-$KOTLIN_VERSION"
OUT="$CORE/build/jvm-tests"

log() { echo "[jvm-tests] $*" >&2; }

# as_root, apt_install
source "$REPO/scripts/apt_install.sh"

if ! command -v javac >/dev/null || ! command -v java >/dev/null; then
  log "installing a JDK (default-jdk-headless)"
  apt_install default-jdk-headless
fi

JUNIT_JAR=/usr/share/java/junit4.jar
HAMCREST_JAR=/usr/share/java/hamcrest.jar
if [ ! -f "$JUNIT_JAR" ] || [ ! -f "$HAMCREST_JAR" ]; then
  log "installing junit4 and libhamcrest-java from Debian"
  apt_install junit4 libhamcrest-java
fi
[ -f "$HAMCREST_JAR" ] || HAMCREST_JAR=/usr/share/java/hamcrest-core.jar

if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
  command -v npm >/dev/null || { log "npm is needed to fetch kotlin-compiler"; exit 1; }
  log "fetching kotlin-compiler@$KOTLIN_VERSION from the npm registry into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  tmp="$(mktemp -d "$TOOLS_DIR/.kotlin-XXXXXX")"
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf kotlin-compiler-*.tgz)
  rm -rf "$KOTLIN_HOME"
  mv "$tmp/package" "$KOTLIN_HOME"   # atomic on one filesystem: a half-extracted tree is never used
  rm -rf "$tmp"
  chmod +x "$KOTLIN_HOME"/bin/*
fi
KLIB="$KOTLIN_HOME/lib"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"

rm -rf "$OUT"
mkdir -p "$OUT/classes"
start=$(date +%s)

# The core must stay free of Android and third-party code: only kotlin.* and java.* imports.
if bad=$(grep -rhoE '^import +[A-Za-z0-9_.]+' "$CORE/src/main/kotlin" | awk '{print $2}' | grep -vE '^(kotlin|java)\.'); then
  log "the core may import only kotlin.* and java.*, found: $(echo $bad)"; echo "0 passed, 1 failed"; exit 1
fi

# One compiler launch for main and test sources (each launch costs a JVM start and a cold
# compiler); C1-only JIT and the serial GC roughly halve a short compile's CPU time.
export JAVA_OPTS="${KOTLINC_JAVA_OPTS:--Xmx1G -Xms256M -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
TEST_CP="$KLIB/kotlin-test.jar:$KLIB/kotlin-test-junit.jar:$JUNIT_JAR:$HAMCREST_JAR"
log "compiling core and tests with kotlinc $KOTLIN_VERSION"
if ! "$KOTLINC" -jvm-target 17 -nowarn -cp "$TEST_CP" -d "$OUT/classes" "$CORE/src/main/kotlin" "$CORE/src/test/kotlin"; then
  log "compilation failed"; echo "0 passed, 1 failed"; exit 1
fi
classes=$(cd "$OUT/classes" && find . -name '*Test.class' | sed 's|^\./||; s|\.class$||; s|/|.|g' | sort)
[ -n "$classes" ] || { log "no test classes were compiled"; echo "0 passed, 1 failed"; exit 1; }
log "compiled in $(( $(date +%s) - start )) s; running $(echo "$classes" | wc -l) test classes"

RUN_CP="$OUT/classes:$CORE/src/test/resources:$KLIB/kotlin-stdlib.jar:$TEST_CP"
set +e
java -cp "$RUN_CP" org.junit.runner.JUnitCore $classes > "$OUT/junit.log" 2>&1
status=$?
set -e
cat "$OUT/junit.log"

# JUnitCore ends with "OK (N tests)" or "Tests run: N,  Failures: M": turn it into the plain line.
if ok=$(grep -oE '^OK \([0-9]+ tests?\)' "$OUT/junit.log"); then
  total=$(echo "$ok" | grep -oE '[0-9]+'); failed=0
elif run=$(grep -oE '^Tests run: [0-9]+, +Failures: [0-9]+' "$OUT/junit.log"); then
  total=$(echo "$run" | grep -oE '[0-9]+' | head -1); failed=$(echo "$run" | grep -oE '[0-9]+' | tail -1)
else
  total=0; failed=1
fi
log "total $(( $(date +%s) - start )) s"
echo "$(( total - failed )) passed, $failed failed"
[ "$status" = 0 ] && [ "$failed" = 0 ]
