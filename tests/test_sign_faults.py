"""Faults while signing that used to end in a traceback: a damaged Flate
stream in the input, and a disk that fills up while the output is written.
Each is one line naming the cause, and nothing is left behind."""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.errors import DocumentError
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.request import Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import sha256

SHOMEI = Path(sys.executable).parent / "shomei"


def damaged_object_stream(folder: Path) -> Path:
    """A PDF whose /AcroForm sits in an object stream with damaged Flate
    data (as in two pdf.js test files poppler signs)."""
    src = make_pdf(folder / "base.pdf")
    with src.open("rb") as f:
        writer = IncrementalPdfFileWriter(f)
        stream = writer.prepare_object_stream()
        form = generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        writer.root[pdf_name("/AcroForm")] = writer.add_object(form, obj_stream=stream)
        writer.update_root()
        buf = io.BytesIO()
        writer.write(buf)
    data = bytearray(buf.getvalue())
    start = data.index(b"stream", data.index(b"/ObjStm")) + 7
    for i in range(start + 3, start + 12):
        data[i] ^= 0x5A
    out = folder / "damaged.pdf"
    out.write_bytes(bytes(data))
    return out


def test_a_damaged_flate_stream_is_one_line(pki: PKI, tmp_path: Path) -> None:
    bad = damaged_object_stream(tmp_path)
    before = sha256(bad)
    req = SignRequest(
        input_path=bad,
        output_path=tmp_path / "o.pdf",
        key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
        level=Level.B_B,
    )
    with pytest.raises(DocumentError, match="damaged compressed \\(Flate\\) stream") as info:
        sign_pdf(req, FixedSecret(KEY_PASSWORD))
    assert "damaged.pdf" in str(info.value)
    assert sha256(bad) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base.pdf", "damaged.pdf"]


def _file_size_limit(limit: int) -> None:
    # a full disk, as a process sees it: writes past ``limit`` fail (EFBIG;
    # SIGXFSZ ignored so the write returns the error instead of killing)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="POSIX resource limits")
def test_a_full_disk_while_writing_is_one_line(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf", size_bytes=3 << 20)
    out = tmp_path / "o.pdf"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOMEI_")}
    env["SHOMEI_KEY_PASSWORD"] = KEY_PASSWORD
    res = subprocess.run(
        [str(SHOMEI), "sign", str(src), "-o", str(out), "--json",
         "--key", f"p12:{pki.p12_path('signer-rsa')}"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120,
        preexec_fn=lambda: _file_size_limit(2 << 20),
    )  # fmt: skip
    assert res.returncode == 1, res.stderr
    assert "not enough space" in res.stderr and "Traceback" not in res.stderr
    assert res.stdout.count("\n") == 1 and '"error": "output"' in res.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]
