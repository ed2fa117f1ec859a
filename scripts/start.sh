#!/usr/bin/env bash
# Install UnionDesk into ./.venv (first run only) and open it on the default 账套.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .
exec .venv/bin/uniondesk "$@"
