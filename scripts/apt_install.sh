# Sourced by the setup scripts (android_demo/core/run_jvm_tests.sh, web_demo/setup.sh) that
# install Debian packages they need; the caller defines log().
#   as_root CMD...      runs CMD as root (directly, or through sudo)
#   apt_install PKG...  installs Debian packages; refreshes the package lists only if that fails

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root to run: $*"; return 1; fi
}

apt_install() {
  command -v apt-get >/dev/null || { log "apt-get not found; install $* by hand"; return 1; }
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q "$@" >/dev/null 2>&1 || {
    log "apt-get install $* failed; running apt-get update first"
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q "$@" >/dev/null
  }
}
