#!/usr/bin/env bash
# Builds the PyInstaller one-folder bundle into dist/shomei/ and prints its size.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
# the EU trusted-list indexes the bundle ships (resources/trust/eu/index)
PYTHONWARNINGS=ignore "$py" packaging/build_eu_index.py
"$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/pyinstaller/shomei.spec
du -sh dist/shomei | awk '{print "bundle size: " $1}'
