#!/usr/bin/env bash
# Sets up a development checkout on Debian 12 (Python 3.11): system packages,
# a virtual environment in .venv with Shomei installed (editable), and the
# compiled translations. `--test` adds what the test suite needs.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=app
[ "${1:-}" = "--test" ] && mode=test

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# Qt's runtime libraries (xcb and offscreen platforms), OpenSC for smart cards.
pkgs=(python3-venv libegl1 libgl1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0
      libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
      libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0
      opensc)
if [ "$mode" = test ]; then
  # independent validators (pdfsig, mutool, qpdf --check), NSS tools, a real PKCS#11 token,
  # and a virtual screen for screenshots
  pkgs+=(poppler-utils libnss3-tools mupdf-tools qpdf softhsm2 xvfb desktop-file-utils appstream fonts-dejavu-core)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  # Another package manager (unattended-upgrades, a software centre) may hold
  # the dpkg lock: wait for it rather than fail.
  lock=(-o DPkg::Lock::Timeout=300)
  if command -v fuser >/dev/null \
     && $sudo fuser /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock >/dev/null 2>&1; then
    echo "Waiting (up to 5 minutes) for another package manager to release the dpkg lock..."
  fi
  $sudo apt-get "${lock[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get "${lock[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# Exact, hash-checked versions from the lock (packaging/refresh_lock.sh
# upgrades them deliberately), then Shomei itself, editable, without
# re-resolving its dependencies.
lockfile=requirements/app.lock
[ "$mode" = test ] && lockfile=requirements/test.lock
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q --require-hashes -r "$lockfile"
.venv/bin/python -m pip install -q --no-deps -e .

# Compile translations (.ts in git, .qm generated).
shopt -s nullglob
for ts in resources/translations/*.ts; do
  .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done

# The parsed index of each bundled EU trusted list (derived, not in git): each
# list is verified first; skipped in a second when already current.
PYTHONWARNINGS=ignore .venv/bin/python packaging/build_eu_index.py
echo "Shomei is set up in .venv"
