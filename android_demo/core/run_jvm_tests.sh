#!/usr/bin/env bash
# Builds and tests the Android demo's pure-Kotlin core on the JVM, without Gradle or the Android
# SDK: the Kotlin compiler and the JDK come from ../tools/kotlin_toolchain.sh (npm registry,
# Debian), JUnit 4 from Debian (junit4 + libhamcrest-java). Installs whatever is missing, then:
#   1. checks that src/main imports nothing but kotlin.* and java.* (the core has no dependency),
#   2. compiles src/main and src/test in one kotlinc run, against kotlin-test-junit and JUnit 4,
#   3. runs every *Test class with org.junit.runner.JUnitCore,
# and ends with the line "N passed, N failed". Exit status: 0 only if every test passed.
#
# Usage: bash android_demo/core/run_jvm_tests.sh      (from anywhere)
# Env:   KOTLIN_VERSION (default in ../tools/kotlin_toolchain.sh), TOOLS_DIR (default <repo>/.tools, git-ignored),
#        KOTLINC_JAVA_OPTS (JVM options of the compiler)
set -euo pipefail

CORE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$CORE/build/jvm-tests"
LOG_TAG=jvm-tests
# shellcheck source=../tools/kotlin_toolchain.sh
. "$CORE/../tools/kotlin_toolchain.sh"   # log, apt_install, ensure_jdk, ensure_kotlinc, KOTLINC, KLIB

ensure_jdk

JUNIT_JAR=/usr/share/java/junit4.jar
HAMCREST_JAR=/usr/share/java/hamcrest.jar
if [ ! -f "$JUNIT_JAR" ] || [ ! -f "$HAMCREST_JAR" ]; then
  log "installing junit4 and libhamcrest-java from Debian"
  apt_install junit4 libhamcrest-java
fi
[ -f "$HAMCREST_JAR" ] || HAMCREST_JAR=/usr/share/java/hamcrest-core.jar

ensure_kotlinc

rm -rf "$OUT"
mkdir -p "$OUT/classes"
start=$(date +%s)

# The core must stay free of Android and third-party code: only kotlin.* and java.* imports.
if bad=$(grep -rhoE '^import +[A-Za-z0-9_.]+' "$CORE/src/main/kotlin" | awk '{print $2}' | grep -vE '^(kotlin|java)\.'); then
  log "the core may import only kotlin.* and java.*, found: $(echo $bad)"; echo "0 passed, 1 failed"; exit 1
fi

# One compiler launch for main and test sources (each launch costs a JVM start and a cold
# compiler).
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
