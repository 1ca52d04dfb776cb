"""Static checks that run with the suite: ruff (format + lint), mypy strict on
the core, and the core importing with Qt absent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.no_qt import WITHOUT_QT_OR_DESKTOP

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_format() -> None:
    res = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert res.returncode == 0, res.stdout + res.stderr


def test_ruff_check() -> None:
    res = _run(str(BIN / "ruff"), "check", ".")
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_strict_on_core() -> None:
    res = _run(sys.executable, "-m", "mypy")
    assert res.returncode == 0, res.stdout + res.stderr


BLOCK_QT = (
    WITHOUT_QT_OR_DESKTOP
    + """
import importlib, pkgutil
import signing
for mod in pkgutil.walk_packages(signing.__path__, 'signing.'):
    importlib.import_module(mod.name)
print('ok')
"""
)


def test_core_imports_without_qt() -> None:
    res = _run(sys.executable, "-c", BLOCK_QT)
    assert res.returncode == 0 and "ok" in res.stdout, res.stderr


def test_cli_version() -> None:
    res = _run(str(BIN / "shomei"), "--version")
    assert res.returncode == 0
    assert res.stdout.startswith("shomei ")
