"""Large files: stream payloads stay in the file until used (the difference
analysis of a B-LTA file does not read its big image), and every digest a
validation needs comes from one read, with shared work between digests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from pyhanko.pdf_utils.generic import Reference
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.general import byte_range_digest

from signing.model.results import ChangeKind, EntryKind, Level, Verdict
from signing.validation.digests import digest_file
from signing.validation.engine import validate_pdf
from signing.validation.lazy_streams import DEFER_FROM, LazyStreamObject, LazyStreamReader
from tests.pdf_factory import BIG_LTA_PADDING as PADDING
from tests.pki import PKI
from tests.test_validation_engine import trusting


def _padding_ref(reader: PdfFileReader) -> Reference:
    page = reader.root["/Pages"]["/Kids"][0]
    ref: Reference = page["/Resources"]["/XObject"].raw_get("/Im0").reference
    return ref


def test_big_payload_read_on_first_use(big_lta: Path) -> None:
    with big_lta.open("rb") as lazy_fh, big_lta.open("rb") as eager_fh:
        lazy = LazyStreamReader(lazy_fh)
        eager = PdfFileReader(eager_fh)
        obj = lazy.get_object(_padding_ref(lazy))
        assert isinstance(obj, LazyStreamObject) and obj.deferred_payload
        assert lazy.loaded_bytes == 0
        expected = eager.get_object(_padding_ref(eager))
        assert dict(obj) == dict(expected)
        # a revision's copy shares the bytes with the object it was copied from
        copy = lazy.get_historical_resolver(0).get_object(_padding_ref(lazy))
        assert isinstance(copy, LazyStreamObject) and copy.deferred_payload
        assert copy.encoded_data == expected.encoded_data
        assert len(expected.encoded_data) >= PADDING - 4096
        assert obj.encoded_data is copy.encoded_data
        assert lazy.loaded_bytes == len(expected.encoded_data)
        assert obj.data == expected.data


def test_small_payloads_read_as_before(big_lta: Path) -> None:
    with big_lta.open("rb") as fh:
        reader = LazyStreamReader(fh)
        page = reader.root["/Pages"]["/Kids"][0]
        content = page["/Contents"]
        assert len(content.encoded_data) < DEFER_FROM
        assert not isinstance(content, LazyStreamObject)


def test_difference_analysis_leaves_the_big_stream_in_the_file(big_lta: Path) -> None:
    with big_lta.open("rb") as lazy_fh, big_lta.open("rb") as eager_fh:
        lazy = LazyStreamReader(lazy_fh)
        eager = PdfFileReader(eager_fh)
        results = []
        for reader in (lazy, eager):
            sig = reader.embedded_signatures[0]
            sig.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)
            results.append((sig.coverage, sig.diff_result.modification_level))
        assert results[0] == results[1]
        assert lazy.loaded_bytes == 0


def test_big_lta_file_validates_as_before(pki: PKI, big_lta: Path) -> None:
    result = validate_pdf(big_lta, trusting(pki, offline=True))
    sig = next(s for s in result.signatures if s.kind is EntryKind.SIGNATURE)
    assert sig.level is Level.B_LTA and sig.intact
    assert sig.modification is not None
    assert sig.modification.change_kind is ChangeKind.LTA_UPDATES
    assert result.verdict is Verdict.VALID, [r.code for r in sig.reasons]
    assert result.sha256_hex == hashlib.sha256(big_lta.read_bytes()).hexdigest()


@dataclass
class _Sig:
    """What digest_file reads from pyHanko's signature object."""

    byte_range: list[int]
    external_md_algorithm: str = "sha256"
    external_digests: dict[str, bytes] = field(default_factory=dict)


def _expected(data: bytes, sig: _Sig) -> bytes:
    a, la, b, lb = sig.byte_range
    return hashlib.new(sig.external_md_algorithm, data[a : a + la] + data[b : b + lb]).digest()


def test_one_pass_digests_match_separate_ones(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20_000  # ~5 MiB, several read chunks
    path = tmp_path / "bytes.bin"
    path.write_bytes(data)
    n = len(data)
    sigs = [
        _Sig([0, 3_000_000, 3_000_100, 200_000]),  # later revision first
        _Sig([0, 1_000_000, 1_000_500, 50_000]),
        _Sig([0, 1_000_000, 1_000_900, 100]),  # same fork point
        _Sig([0, 1_048_576, 1_048_600, 1_000]),  # fork on a chunk boundary
        _Sig([0, 4_000_000, 4_000_010, n - 4_000_010]),  # up to the end
        _Sig([0, 2_000_000, 2_000_100, 5_000], "sha512"),
        _Sig([0, 2_500_000, 2_500_100, 5_000], "sha512"),
        _Sig([0, 10, 20, n]),  # beyond the end: left to pyHanko
        _Sig([0, 100, 50, 10]),  # overlapping: left to pyHanko
        _Sig([0, 10, 20, 10], "no-such-hash"),  # unknown: left to pyHanko
    ]
    with path.open("rb") as fh:
        whole = digest_file(fh, sigs, whole_file=True)  # type: ignore[arg-type]
    assert whole == hashlib.sha256(data).hexdigest()
    for sig in sigs[:7]:
        assert sig.external_digests == {sig.external_md_algorithm: _expected(data, sig)}
    for sig in sigs[7:]:
        assert sig.external_digests == {}
    with path.open("rb") as fh:
        assert digest_file(fh, [], whole_file=False) is None


def test_digests_agree_with_pyhanko(big_lta: Path) -> None:
    with big_lta.open("rb") as fh:
        reader = PdfFileReader(fh)
        sigs = reader.embedded_signatures
        assert len(sigs) == 2  # the signature and the document timestamp
        digest_file(fh, sigs, whole_file=False)
        for sig in sigs:
            _, expected = byte_range_digest(fh, byte_range=sig.byte_range, md_algorithm="sha256")
            assert sig.external_digests == {"sha256": expected}
