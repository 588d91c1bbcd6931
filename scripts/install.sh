#!/bin/sh
# Installs the agent-procs binary for this machine from a release directory.
#
#   curl -fsSL https://github.com/agent-procs/agent-procs/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --dir /usr/local/bin
#
# It detects the OS and CPU, downloads agent-procs-TARGET and SHA256SUMS from the
# release directory, checks the SHA-256, and only then puts the binary in place
# (atomically, by rename): a failure leaves nothing installed and an older
# agent-procs untouched.
#
# Options:    --dir DIR   install into DIR (default: ~/.local/bin)
# Environment:
#   AGENT_PROCS_BASE_URL     release directory URL (default: the latest GitHub release)
#   AGENT_PROCS_VERSION      install this version instead of the latest (e.g. 0.1.0)
#   AGENT_PROCS_INSTALL_DIR  install directory (--dir wins)
#   AGENT_PROCS_OS           use instead of `uname -s` (Linux, Darwin)
#   AGENT_PROCS_ARCH         use instead of `uname -m` (x86_64, arm64, aarch64)

set -eu

REPO_URL="https://github.com/agent-procs/agent-procs"

say() { printf 'agent-procs install: %s\n' "$*"; }
fail() {
  printf 'agent-procs install: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,19s/^# \{0,1\}//p' "$0" 2>/dev/null ||
    echo "usage: install.sh [--dir DIR] (see the comments at the top of the script)"
}

# Prints the release target for an OS and CPU name, or nothing when unsupported.
release_target() {
  case $1 in
    Linux | linux) os_part=unknown-linux-gnu ;;
    Darwin | darwin | macos) os_part=apple-darwin ;;
    *) return 0 ;;
  esac
  case $2 in
    x86_64 | amd64 | x64) echo "x86_64-$os_part" ;;
    aarch64 | arm64) echo "aarch64-$os_part" ;;
  esac
}

download() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" </dev/null
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" </dev/null
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256_tool() {
  if command -v sha256sum >/dev/null 2>&1; then
    echo "sha256sum"
  elif command -v shasum >/dev/null 2>&1; then
    echo "shasum -a 256"
  elif command -v openssl >/dev/null 2>&1; then
    echo "openssl dgst -sha256 -r"
  fi
}

main() {
  dir="${AGENT_PROCS_INSTALL_DIR:-}"
  while [ $# -gt 0 ]; do
    case $1 in
      --dir)
        [ $# -ge 2 ] || fail "--dir needs a directory"
        dir=$2
        shift 2
        ;;
      --dir=*)
        dir=${1#--dir=}
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) fail "unknown argument: $1 (try --help)" ;;
    esac
  done
  if [ -z "$dir" ]; then
    [ -n "${HOME:-}" ] || fail "HOME is not set: pass --dir DIR"
    dir="$HOME/.local/bin"
  fi

  os=${AGENT_PROCS_OS:-$(uname -s)}
  arch=${AGENT_PROCS_ARCH:-$(uname -m)}
  target=$(release_target "$os" "$arch")
  if [ -z "$target" ]; then
    fail "unsupported platform: $os/$arch (releases exist for Linux and macOS on x86_64 and arm64; with Deno installed, use: deno task install in a checkout)"
  fi
  if [ -z "${AGENT_PROCS_OS:-}" ] && [ "$os" = Linux ] && ls /lib/ld-musl-* >/dev/null 2>&1; then
    fail "unsupported platform: Linux with musl libc (the release binaries need glibc)"
  fi
  name="agent-procs-$target"

  if [ -n "${AGENT_PROCS_BASE_URL:-}" ]; then
    base=${AGENT_PROCS_BASE_URL%/}
  elif [ -n "${AGENT_PROCS_VERSION:-}" ]; then
    base="$REPO_URL/releases/download/v${AGENT_PROCS_VERSION#v}"
  else
    base="$REPO_URL/releases/latest/download"
  fi

  sha=$(sha256_tool)
  [ -n "$sha" ] || fail "no sha256sum, shasum or openssl to verify the download with"

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t agent-procs) || fail "cannot create a temporary directory"
  partial=""
  trap 'rm -rf "$tmp"; if [ -n "$partial" ]; then rm -f "$partial"; fi' EXIT
  trap 'exit 1' HUP INT TERM

  say "downloading $name from $base"
  download "$base/$name" "$tmp/$name" || fail "download failed: $base/$name"
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "download failed: $base/SHA256SUMS"

  expected=$(awk -v n="$name" '$2 == n || $2 == "*" n { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "no checksum for $name in $base/SHA256SUMS; nothing was installed"
  actual=$($sha "$tmp/$name" | cut -d ' ' -f 1)
  if [ "$expected" != "$actual" ]; then
    fail "checksum mismatch for $name: expected $expected, got $actual; nothing was installed"
  fi
  say "checksum OK (sha256 $actual)"

  mkdir -p "$dir" || fail "cannot create $dir"
  partial="$dir/.agent-procs.partial.$$"
  cp "$tmp/$name" "$partial" || fail "cannot write to $dir"
  chmod 755 "$partial"
  mv -f "$partial" "$dir/agent-procs" || fail "cannot replace $dir/agent-procs"
  partial=""

  version=$("$dir/agent-procs" --version </dev/null 2>/dev/null) || version=""
  say "installed ${version:-$name} as $dir/agent-procs"
  case ":${PATH:-}:" in
    *":$dir:"*) say "run: agent-procs --help" ;;
    *)
      say "$dir is not on your PATH; add it (then open a new shell):"
      printf '  export PATH="%s:$PATH"   # in ~/.bashrc, ~/.zshrc or ~/.profile\n' "$dir"
      printf '  fish_add_path %s   # fish\n' "$dir"
      ;;
  esac
}

main "$@"
