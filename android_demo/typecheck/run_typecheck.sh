#!/usr/bin/env bash
# Checks the Android app without Gradle or the Android SDK, in two steps:
#   1. kotlin: type-checks every app source that does not need Compose (no androidx.compose,
#      androidx.activity.compose or org.kerasmccnet.demo.ui import) with kotlinc, together with the
#      core module, at the catalog's Kotlin language/API level, against LiteRT's real Kotlin API sources (litert/, vendored, see
#      litert/UPSTREAM.md) and small stubs of the Android framework, AndroidX lifecycle and
#      kotlinx.coroutines (stubs/, declarations with the real signatures, bodies that throw);
#   2. resources: links the manifest, res/ and assets/ with Debian's aapt against the Android
#      framework resources (android-framework-res), so a wrong @string/@style or attribute fails.
# Installs what is missing (JDK and kotlinc via ../tools/kotlin_toolchain.sh; aapt and
# android-framework-res from Debian), and ends with the line "N passed, N failed" (one per step).
# Exit status: 0 only if both steps passed.
#
# Usage: bash android_demo/typecheck/run_typecheck.sh      (from anywhere)
# Env:   KOTLIN_VERSION, TOOLS_DIR, KOTLINC_JAVA_OPTS (see ../tools/kotlin_toolchain.sh)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEMO="$(cd "$HERE/.." && pwd)"
APP="$DEMO/app"
OUT="$DEMO/app/build/typecheck"
FRAMEWORK_RES=/usr/share/android-framework-res/framework-res.apk
LOG_TAG=typecheck
# shellcheck source=../tools/kotlin_toolchain.sh
. "$DEMO/tools/kotlin_toolchain.sh"   # log, apt_install, ensure_jdk, ensure_kotlinc, KOTLINC

ensure_jdk
ensure_kotlinc
if ! command -v aapt >/dev/null || [ ! -f "$FRAMEWORK_RES" ]; then
  log "installing aapt and android-framework-res from Debian"
  apt_install aapt android-framework-res
fi

rm -rf "$OUT"
mkdir -p "$OUT"
start=$(date +%s)
passed=0
failed=0

# --- 1. Kotlin ---------------------------------------------------------------------------------
# Compose code needs the Compose compiler plugin and the Compose libraries: left to a Gradle build.
COMPOSE_IMPORT='^import +(androidx\.compose|androidx\.activity\.compose|org\.kerasmccnet\.demo\.ui)\.'
checked=()
skipped=()
while IFS= read -r f; do
  if grep -qE "$COMPOSE_IMPORT" "$f" || grep -qE '^package +org\.kerasmccnet\.demo\.ui\b' "$f"; then
    skipped+=("${f#"$APP/src/main/kotlin/"}")
  else
    checked+=("$f")
  fi
done < <(find "$APP/src/main/kotlin" -name '*.kt' | sort)
[ ${#checked[@]} -gt 0 ] || { log "no app source to check under $APP/src/main/kotlin"; echo "0 passed, 1 failed"; exit 1; }
log "type-checking ${#checked[@]} app files: $(for f in "${checked[@]}"; do printf '%s ' "${f##*/}"; done)"
log "left to a Gradle build (Compose): ${skipped[*]:-none}"

# The language and API level of the Kotlin the catalog pins for the app (kotlinc itself is newer):
# code that needs a later Kotlin fails here as it would in the Gradle build.
kotlin_level=$(grep -m1 -oE '^kotlin *= *"[0-9]+\.[0-9]+' "$DEMO/gradle/libs.versions.toml" | grep -oE '[0-9]+\.[0-9]+$')
[ -n "$kotlin_level" ] || { log "no [versions] kotlin in $DEMO/gradle/libs.versions.toml"; echo "0 passed, 1 failed"; exit 1; }

# Java stubs are read as Java sources (kotlinc resolves against them and does not compile them),
# so their getters become Kotlin properties (app.assets, bitmap.width) exactly as with android.jar.
if "$KOTLINC" -jvm-target 17 -language-version "$kotlin_level" -api-version "$kotlin_level" -nowarn \
    -d "$OUT/classes" \
    "$DEMO/core/src/main/kotlin" "$HERE/vendor/litert/src" "$HERE/stubs/java" "$HERE/stubs/kotlin" \
    "${checked[@]}" 2> >(tee "$OUT/kotlinc.log" >&2); then
  log "kotlin: the app files type-check as Kotlin $kotlin_level against LiteRT's Kotlin API ($(grep -m1 -oE '^litert_version = "[^"]+"' "$HERE/vendor/litert/UPSTREAM.md" || echo '?'))"
  passed=$((passed + 1))
else
  log "kotlin: $(grep -c ' error: ' "$OUT/kotlinc.log" || true) error(s), see above"
  failed=$((failed + 1))
fi

# --- 2. Resources and manifest -----------------------------------------------------------------
# AGP writes the Gradle `namespace` into the merged manifest as its package; aapt needs it there.
namespace=$(grep -m1 -oE 'namespace *= *"[^"]+"' "$APP/build.gradle.kts" | sed -E 's/.*"([^"]+)"/\1/')
min_sdk=$(grep -m1 -oE 'minSdk *= *[0-9]+' "$APP/build.gradle.kts" | grep -oE '[0-9]+$')
target_sdk=$(grep -m1 -oE 'targetSdk *= *[0-9]+' "$APP/build.gradle.kts" | grep -oE '[0-9]+$')
sed -E "0,/<manifest /s//<manifest package=\"$namespace\" /" "$APP/src/main/AndroidManifest.xml" > "$OUT/AndroidManifest.xml"
mkdir -p "$OUT/gen"
if aapt package -f -m -M "$OUT/AndroidManifest.xml" -S "$APP/src/main/res" -A "$APP/src/main/assets" \
    -I "$FRAMEWORK_RES" -J "$OUT/gen" -F "$OUT/resources.ap_" -0 tflite \
    --min-sdk-version "$min_sdk" --target-sdk-version "$target_sdk" 2> >(tee "$OUT/aapt.log" >&2) \
  && aapt dump badging "$OUT/resources.ap_" > "$OUT/badging.txt" 2>&1 \
  && grep -q "^package: name='$namespace'" "$OUT/badging.txt" \
  && grep -q "launchable-activity: name='$namespace.MainActivity'" "$OUT/badging.txt"; then
  log "resources: manifest, res/ and assets/ link against framework-res ($(grep -m1 -oE "compileSdkVersion='[0-9]+'" "$OUT/badging.txt"))"
  passed=$((passed + 1))
else
  log "resources: aapt failed, see above and $OUT/badging.txt"
  failed=$((failed + 1))
fi

log "total $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
