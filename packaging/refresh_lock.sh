#!/usr/bin/env bash
# Upgrading dependencies is a deliberate step: this re-resolves the locks
# (requirements/app.lock, requirements/test.lock) to the newest versions that
# pyproject.toml allows, then installs them into a scratch venv and runs the
# whole suite there. Commit the new locks only when the suite passes.
#   bash packaging/refresh_lock.sh            # upgrade everything, then test
#   bash packaging/refresh_lock.sh --no-test  # only re-resolve
#   bash packaging/refresh_lock.sh -P cryptography  # upgrade one package
set -euo pipefail
cd "$(dirname "$0")/.."

run_tests=1
upgrade=(--upgrade)
while [ $# -gt 0 ]; do
  case "$1" in
    --no-test) run_tests=0 ;;
    -P) upgrade=(--upgrade-package "$2"); shift ;;
    *) echo "usage: $0 [--no-test] [-P PACKAGE]" >&2; exit 2 ;;
  esac
  shift
done

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/pip" install -q pip-tools
compile=("$tools/venv/bin/pip-compile" -q --generate-hashes --allow-unsafe --strip-extras
         --no-emit-index-url --no-emit-find-links "${upgrade[@]}")
"${compile[@]}" -o requirements/app.lock pyproject.toml
"${compile[@]}" --extra test -o requirements/test.lock pyproject.toml
git --no-pager diff --stat -- requirements/ || true

if [ "$run_tests" = 1 ]; then
  # A scratch checkout venv, so the developer's .venv stays as it was.
  python3 -m venv "$tools/test-venv"
  "$tools/test-venv/bin/pip" install -q --require-hashes -r requirements/test.lock
  "$tools/test-venv/bin/pip" install -q --no-deps --no-build-isolation -e . 2>/dev/null \
    || "$tools/test-venv/bin/pip" install -q --no-deps -e .
  "$tools/test-venv/bin/python" -m pytest -n 2 -q
fi
