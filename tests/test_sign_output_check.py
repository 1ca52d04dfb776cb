"""The output check reads signatures back from the written bytes."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO

import pytest
from asn1crypto import algos, cms

from signing.errors import SigningError
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.output_check import InputDigest, _FileView, _find_signatures, verify_update
from signing.sign.request import SignRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI


def _cms_ending_in_zero_byte() -> bytes:
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier({"subject_key_identifier": b"\x01\x02"}),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
            "signature": b"\x07\x00",
        }
    )
    signed = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data"},
            "signer_infos": [signer_info],
        }
    )
    der = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    assert der.endswith(b"\x00")
    return der


def test_signature_whose_der_ends_in_zero_reads_back(tmp_path: Path) -> None:
    der = _cms_ending_in_zero_byte()
    head = b"%PDF-1.7\n1 0 obj\n<</Contents "
    contents = b"<" + der.hex().encode() + b"0" * 64 + b">"
    start2 = len(head) + len(contents)
    tail_fmt = b" /ByteRange [0 %010d %010d %010d]>>\nendobj\n%%%%EOF\n"
    len2 = len(tail_fmt % (0, 0, 0))
    data = head + contents + tail_fmt % (len(head), start2, len2)
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    with path.open("rb") as f:
        (found,) = _find_signatures(_FileView(f.fileno()), len(data), 0)
    assert found.byte_range == (0, len(head), start2, len2)
    assert found.cms.dump() == der


def test_output_must_be_the_input_plus_the_update(pki: PKI, tmp_path: Path) -> None:
    """The check passes for a real output and fails when the prefix it is
    given is not the signed file's (here: another input of the same size)."""
    src = make_pdf(tmp_path / "in.pdf", size_bytes=64 * 1024)
    other = tmp_path / "other.pdf"
    data = bytearray(src.read_bytes())
    data[5000] ^= 0xFF  # inside the padding image: still a valid PDF
    other.write_bytes(bytes(data))
    result = sign_pdf(
        SignRequest(
            input_path=src,
            output_path=tmp_path / "out.pdf",
            key_source=Pkcs12KeySource(pki.p12_path("signer-ec")),
        ),
        FixedSecret(KEY_PASSWORD),
    )
    size = src.stat().st_size
    with result.output_path.open("r+b") as f:
        verify_update(f, appended_after=size, expected=1, prefix=InputDigest(src, size))
        verify_update(f, appended_after=size, expected=1)
        with pytest.raises(SigningError):
            verify_update(f, appended_after=size, expected=1, prefix=InputDigest(other, size))
        with pytest.raises(SigningError):
            verify_update(f, appended_after=size, expected=2)


def test_atomic_output_leaves_nothing_on_failure(tmp_path: Path) -> None:
    from signing.sign.atomic_write import AtomicOutput, write_atomically

    target = tmp_path / "r.bin"
    with pytest.raises(RuntimeError), AtomicOutput(target) as out:
        out.stream.write(b"half")
        assert out.temp_path.parent == tmp_path and out.temp_path.exists()
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    assert write_atomically(target, b"new") == 3
    assert target.read_bytes() == b"new" and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("err", "words"),
    [(errno.EIO, "Cannot write"), (errno.ENOSPC, "not enough space")],
)
def test_atomic_write_turns_a_failed_write_into_an_output_error(
    tmp_path: Path, err: int, words: str
) -> None:
    """Signatures and reports share one writer: a write that fails leaves the
    old file as it was and no temporary file."""
    from signing.errors import OutputError
    from signing.sign.atomic_write import atomic_write

    target = tmp_path / "report.html"
    target.write_bytes(b"old")

    def failing(stream: IO[bytes]) -> None:
        stream.write(b"half")
        raise OSError(err, os.strerror(err))

    with pytest.raises(OutputError, match=words) as caught:
        atomic_write(target, failing)
    if err == errno.EIO:
        assert "書き込めません" in caught.value.text("ja")
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]
    assert atomic_write(target, lambda s: s.write(b"new")) == target
    assert target.read_bytes() == b"new"
