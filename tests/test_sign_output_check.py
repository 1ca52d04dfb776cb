"""The output check reads signatures back from the written bytes."""

from __future__ import annotations

from pathlib import Path

from asn1crypto import algos, cms

from signing.output_check import _FileView, _find_signatures


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
