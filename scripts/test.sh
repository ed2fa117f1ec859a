#!/usr/bin/env bash
# Install UnionDesk with its test tools into ./.venv and run the whole suite:
# lint (ruff), types (mypy), then every test (unit, GUI offscreen, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
bash scripts/system-deps.sh --tests
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check app tests bench scripts
.venv/bin/ruff format --check app tests bench scripts
.venv/bin/mypy
# one worker per core (the end-to-end tests mostly wait on the processes they start)
.venv/bin/python -m pytest -n auto "$@"
