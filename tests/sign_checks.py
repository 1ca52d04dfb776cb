"""Checks of signed PDFs by validators that are not pyHanko (poppler's pdfsig
against an NSS database trusting the test root, and mupdf's ``mutool sign``),
plus small helpers shared by the signing tests."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from signing.keys.base import KeySource
from signing.sign.request import SignRequest


def batch_requests(src: Path, folder: Path, key_source: KeySource, count: int) -> list[SignRequest]:
    """``count`` requests signing ``src`` into ``folder/o0.pdf``, ``o1.pdf``, ... (a batch)."""
    return [
        SignRequest(input_path=src, output_path=folder / f"o{i}.pdf", key_source=key_source)
        for i in range(count)
    ]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_nss_db(directory: Path, root_pem: Path) -> str:
    """An NSS database trusting ``root_pem``; returns the ``sql:DIR`` spec."""
    directory.mkdir(parents=True, exist_ok=True)
    spec = f"sql:{directory}"
    subprocess.run(["certutil", "-N", "-d", spec, "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", spec, "-n", "root", "-t", "CT,C,C", "-i", str(root_pem)],
        check=True,
    )
    return spec


@dataclass(frozen=True)
class PdfsigEntry:
    field: str
    text: str

    @property
    def valid(self) -> bool:
        return "Signature is Valid" in self.text

    @property
    def trusted(self) -> bool:
        return "Certificate is Trusted" in self.text

    @property
    def total(self) -> bool:
        return "- Total document signed" in self.text

    @property
    def unsigned(self) -> bool:
        return "form field is not signed" in self.text

    @property
    def is_timestamp(self) -> bool:
        return "Signature Type: ETSI.RFC3161" in self.text or "Signature Type: unknown" in self.text


def pdfsig(path: Path, nss: str) -> list[PdfsigEntry]:
    """pdfsig's report, one entry per signature. pdfsig exits 0 even when a
    signature is bad, so callers must read the entries."""
    res = subprocess.run(
        ["pdfsig", "-nssdir", nss, str(path)], capture_output=True, text=True, timeout=60
    )
    blocks = re.split(r"^Signature #\d+:\s*$", res.stdout, flags=re.M)[1:]
    entries = []
    for block in blocks:
        m = re.search(r"Signature Field Name: (.*)", block)
        entry = PdfsigEntry(field=m.group(1).strip() if m else "", text=block)
        if not entry.unsigned:  # empty fields are listed too
            entries.append(entry)
    return entries


def assert_pdfsig_ok(path: Path, nss: str, *, fields: list[str] | None = None) -> None:
    """Every signature (not document timestamp) is valid and trusted; the last
    entry signs the whole document."""
    entries = pdfsig(path, nss)
    assert entries, f"pdfsig saw no signature in {path}"
    sigs = [e for e in entries if not e.is_timestamp]
    assert sigs
    for e in sigs:
        assert e.valid, e.text
        assert e.trusted, e.text
    if fields is not None:
        assert [e.field for e in sigs] == fields
    assert entries[-1].total, entries[-1].text


def mutool_verify(path: Path) -> str:
    res = subprocess.run(
        ["mutool", "sign", "-v", str(path)], capture_output=True, text=True, timeout=60
    )
    return res.stdout + res.stderr


def assert_mutool_ok(path: Path, *, last_covers_all: bool = True) -> None:
    """mupdf agrees each signature's digest holds; the last one is unchanged
    since signing unless a document timestamp follows it."""
    out = mutool_verify(path)
    verdicts = re.findall(
        r"(The document is unchanged since signing|"
        r"The signature is valid but there have been edits since signing|"
        r"The signature is invalid|[Dd]igest|tamper)",
        out,
    )
    assert verdicts, out
    assert all(
        v.startswith(("The document is unchanged", "The signature is valid")) for v in verdicts
    ), out
    if last_covers_all:
        assert verdicts[-1] == "The document is unchanged since signing", out


def unwritable_folder(tmp: Path) -> Path | None:
    """A folder the current user cannot create files in (None if there is none:
    root ignores permission bits, so fall back to a read-only system folder)."""
    folder = tmp / "read-only"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o555)
    try:
        fd, name = tempfile.mkstemp(dir=folder)
    except OSError:
        return folder
    os.close(fd)
    os.unlink(name)
    for candidate in (Path("/sys"), Path("/proc/sys/kernel")):
        try:
            fd, name = tempfile.mkstemp(dir=candidate)
        except OSError:
            return candidate
        os.close(fd)
        os.unlink(name)
    return None


def leftovers(folder: Path, stem: str) -> list[Path]:
    """Files named after an output (the output itself or its temp file)."""
    return [p for p in folder.iterdir() if stem in p.name]


@dataclass(frozen=True)
class CliSign:
    """``shomei sign`` (or ``seal``) from a fresh ``in.pdf`` to ``out.pdf``, with
    the environment the CLI reads its secrets from and the output it printed."""

    src: Path
    out: Path
    env: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def __call__(
        self, key: str, *extra: str, command: str = "sign", out: Path | None = None
    ) -> int:
        from signing.cli.main import main

        target = self.out if out is None else out
        return main([command, str(self.src), "-o", str(target), "--key", key, *extra])
