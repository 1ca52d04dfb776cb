"""Outputs get the mode the user's new files get (the temporary file they
start as is private), or the mode of the file they replace."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from signing.sign.atomic_write import AtomicOutput, atomic_write

pytestmark = pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_outputs_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        with AtomicOutput(tmp_path / "signed.pdf") as out:
            out.stream.write(b"%PDF-")
            out.commit()
        atomic_write(tmp_path / "report.pdf", lambda s: s.write(b"%PDF-"))
    finally:
        os.umask(old)
    assert _mode(tmp_path / "signed.pdf") == 0o640
    assert _mode(tmp_path / "report.pdf") == 0o640


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")
    target.chmod(0o604)
    atomic_write(target, lambda s: s.write(b"new"))
    assert target.read_bytes() == b"new" and _mode(target) == 0o604
