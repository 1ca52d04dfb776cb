"""Output paths: only regular files are replaced; an existing output needs
--force; partial files are removed on SIGTERM/SIGHUP and, when left by a
killed process, on the next write to the folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from signing.errors import OutputError
from signing.sign.atomic_write import (
    OLD_STALE_AFTER_S,
    STALE_AFTER_S,
    AtomicOutput,
    atomic_write,
    remove_stale_temp_files,
)
from tests.local_certs import self_signed_tsa
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI

SHOMEI = Path(sys.executable).parent / "shomei"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOMEI_")}
    env["SHOMEI_KEY_PASSWORD"] = KEY_PASSWORD
    return env


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SHOMEI), *args],
        capture_output=True,
        text=True,
        env=_env(),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def _partials(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".partial")]


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "in.pdf")


def _sign_args(pki: PKI, src: Path, out: Path, *extra: str) -> list[str]:
    return ["sign", str(src), "-o", str(out), "--key", f"p12:{pki.p12_path('signer-rsa')}", *extra]


# --- not a regular file --------------------------------------------------------


def test_a_fifo_is_never_replaced(pki: PKI, src: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    for force in ((), ("--force",)):
        res = run(*_sign_args(pki, src, fifo, *force))
        assert res.returncode == 1, res.stderr
        assert "not a regular file" in res.stderr
        assert fifo.is_fifo()
    assert _partials(tmp_path) == []


def test_a_symlink_is_never_replaced(pki: PKI, src: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.pdf"
    target.write_bytes(b"keep me")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    res = run(*_sign_args(pki, src, link, "--force"))
    assert res.returncode == 1 and "symbolic link" in res.stderr and str(target) in res.stderr
    assert link.is_symlink() and target.read_bytes() == b"keep me"
    # naming the file the link points to is what replaces it
    assert run(*_sign_args(pki, src, target, "--force")).returncode == 0
    assert target.read_bytes().startswith(b"%PDF") and link.is_symlink()


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    """(-o /dev/null through a link; /dev/null itself is not touched)"""
    link = tmp_path / "null.pdf"
    link.symlink_to("/dev/null")
    with pytest.raises(OutputError, match="symbolic link"):
        AtomicOutput(link)
    assert link.is_symlink()


def test_something_put_at_the_path_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    with AtomicOutput(out) as o:
        o.stream.write(b"%PDF-")
        os.mkfifo(out)
        with pytest.raises(OutputError, match="not a regular file"):
            o.commit()
    assert out.is_fifo() and _partials(tmp_path) == []


def test_validate_reports_refuse_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "report.xml"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="not a regular file"):
        atomic_write(fifo, lambda s: s.write(b"<x/>"))
    src = make_pdf(tmp_path / "in.pdf")
    res = run("validate", str(src), "--offline", "--xml", str(fifo))
    assert res.returncode == 1 and "not a regular file" in res.stderr, res.stderr
    assert fifo.is_fifo()


# --- existing outputs -------------------------------------------------------------


def test_an_existing_output_needs_force(pki: PKI, src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"earlier")
    res = run(*_sign_args(pki, src, out, "--json"))
    assert res.returncode == 1 and "--force" in res.stderr
    assert json.loads(res.stdout)["error"] == "output"
    assert out.read_bytes() == b"earlier"
    assert run(*_sign_args(pki, src, out, "--force")).returncode == 0
    assert out.read_bytes().startswith(b"%PDF")


# --- partial files ----------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_mid_write_leaves_no_partial(
    pki: PKI, src: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    """A real `shomei sign` held by a slow TSA, with its temporary output
    already written, is ended by the signal: the partial file goes."""
    out = tmp_path / "out.pdf"
    with self_signed_tsa(delay=60) as (url, _pem):
        proc = subprocess.Popen(
            [str(SHOMEI), *_sign_args(pki, src, out, "--level", "B-T", "--tsa", url)],
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while not _partials(tmp_path) and time.monotonic() < deadline:
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.05)
            assert _partials(tmp_path), "the signer never started writing"
            proc.send_signal(sig)
            proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 128 + sig
    assert _partials(tmp_path) == [] and not out.exists()


def _fake_partial(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF- left over")
    old = time.time() - age
    os.utime(path, (old, old))
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_partials_go_on_the_next_write(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    stale = _fake_partial(tmp_path, f".a.pdf.{dead}-abc123.partial", STALE_AFTER_S + 60)
    young = _fake_partial(tmp_path, f".b.pdf.{dead}-abc123.partial", 60)
    running = _fake_partial(tmp_path, f".c.pdf.{alive}-abc123.partial", STALE_AFTER_S + 60)
    other = _fake_partial(tmp_path, ".notes.partial", STALE_AFTER_S + 60)
    # an earlier version's name, without the process: a day old goes, an hour stays
    old_format = _fake_partial(tmp_path, ".d.pdf.k2j_x8qz.partial", OLD_STALE_AFTER_S + 60)
    old_young = _fake_partial(tmp_path, ".e.pdf.k2j_x8qz.partial", STALE_AFTER_S + 60)
    atomic_write(tmp_path / "report.xml", lambda s: s.write(b"<x/>"))
    assert not stale.exists() and not old_format.exists()
    assert young.exists() and running.exists() and other.exists() and old_young.exists()
    assert remove_stale_temp_files(tmp_path) == []
