#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing, then runs the whole suite.
#   deploy/test.sh                      # everything
#   deploy/test.sh --filter Inventory   # any other arguments go to `dotnet test` as they are
# The tests start (and delete) their own throwaway PostgreSQL from the Debian server binaries, run as the unprivileged
# `postgres` user when the tests run as root; SHOP_TEST_POSTGRES=<connection string> uses a server of yours instead.
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_node() { command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; }
have_promtool() { command -v promtool >/dev/null 2>&1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "deploy/test.sh: '$*' needs root, and sudo is not installed: run it as root, or install the packages yourself." >&2; exit 1
  fi
}

# What is missing: the PostgreSQL server binaries (the tests start their own servers), Node.js with npm (the
# OpenAPI lint test runs @redocly/cli, which needs Node.js 20.19 or newer) and promtool (the alert rule tests).
packages=()
if [ -z "${SHOP_TEST_POSTGRES:-}" ] && ! have_postgres; then packages+=(postgresql); fi
if ! have_node; then packages+=(nodejs npm); fi
if ! have_promtool; then packages+=(prometheus); fi
if [ ${#packages[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "deploy/test.sh: the tests need ${packages[*]} (PostgreSQL server binaries in /usr/lib/postgresql/<version>/bin, Node.js 20.19+ with npm, promtool) and this system has no apt-get: install them yourself, or set SHOP_TEST_POSTGRES to a server's connection string." >&2
    exit 1
  fi
  echo "deploy/test.sh: installing ${packages[*]} (Debian packages)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  # Debian's postgresql package starts a cluster of its own on port 5432; the tests never use it.
fi

# As root, the throwaway servers run as `postgres` (PostgreSQL refuses to run as root); the package creates the user,
# a system that had the binaries without it gets it here.
if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
  useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
fi

exec dotnet test Shop.sln "$@"
