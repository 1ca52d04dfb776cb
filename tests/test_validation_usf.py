"""Universal Signature Forgery variants (Mladenov et al., NDSS 2019), made
here from a good signed file by rewriting its signature dictionary in place
(same length, so every offset stays right): /Contents missing, null, empty,
indirect; /ByteRange missing, null, non-integer, overlapping, beyond the end
of the file. None may crash the engine and none may come out VALID.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from signing.model.results import EntryKind, Indication, Verdict
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import sign

CONTENTS = re.compile(rb"/Contents\s*<[0-9a-fA-F]+>")
# (pyHanko pads the array with spaces after the bracket: those are ours to use)
BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\] *")


def _same_length(old: bytes, new: bytes) -> bytes:
    assert len(new) <= len(old), (old[:40], new)
    return new + b" " * (len(old) - len(new))


def _sub(
    pattern: re.Pattern[bytes], make: Callable[[re.Match[bytes]], bytes]
) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        m = pattern.search(data)
        assert m is not None
        return data[: m.start()] + _same_length(m.group(0), make(m)) + data[m.end() :]

    return edit


def _byte_range(fn: Callable[[int, int, int, int], bytes]) -> Callable[[bytes], bytes]:
    return _sub(BYTE_RANGE, lambda m: fn(*(int(x) for x in m.groups())))


VARIANTS: dict[str, tuple[Callable[[bytes], bytes], set[str]]] = {
    "contents-missing": (_sub(CONTENTS, lambda m: b""), {"contents-missing"}),
    "contents-null": (_sub(CONTENTS, lambda m: b"/Contents null"), {"contents-null"}),
    "contents-empty": (_sub(CONTENTS, lambda m: b"/Contents <>"), {"contents-empty"}),
    "contents-indirect": (_sub(CONTENTS, lambda m: b"/Contents 1 0 R"), {"contents-indirect"}),
    "byte-range-missing": (_sub(BYTE_RANGE, lambda m: b""), {"byte-range-missing"}),
    "byte-range-null": (_sub(BYTE_RANGE, lambda m: b"/ByteRange null"), {"byte-range-malformed"}),
    "byte-range-non-integer": (
        _byte_range(lambda a, b, c, d: b"/ByteRange [0 (x) %d %d]" % (c, d)),
        {"byte-range-malformed"},
    ),
    "byte-range-overlapping": (
        _byte_range(lambda a, b, c, d: b"/ByteRange [0 %d %d %d]" % (b, b - 10, d + 10)),
        {"byte-range-overlap"},
    ),
    "byte-range-beyond-eof": (
        _byte_range(lambda a, b, c, d: b"/ByteRange [0 %d %d %d]" % (b, c, d + 4096)),
        {"byte-range-beyond-eof"},
    ),
}


@pytest.fixture(scope="module")
def good_file(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("usf")
    return sign(pki, make_pdf(folder / "plain.pdf"), folder / "good.pdf", "B-B")


@pytest.fixture(scope="module")
def options(pki: PKI) -> ValidationOptions:
    anchor = TrustAnchor(pki.cert_der("root"), AnchorOrigin.USER, "root.pem")
    return ValidationOptions(trust_anchors=(anchor,), offline=True)


def test_the_untouched_file_is_intact(good_file: Path, options: ValidationOptions) -> None:
    result = validate_pdf(good_file, options)
    (sig,) = result.signatures
    assert sig.intact and sig.modification is not None and sig.modification.covers_whole_file


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_usf_variant(
    variant: str, good_file: Path, options: ValidationOptions, tmp_path: Path
) -> None:
    edit, problem_codes = VARIANTS[variant]
    forged = tmp_path / f"{variant}.pdf"
    forged.write_bytes(edit(good_file.read_bytes()))
    assert forged.stat().st_size == good_file.stat().st_size
    result = validate_pdf(forged, options)
    assert result.verdict is Verdict.INVALID, result
    sigs = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    assert len(sigs) == 1 and sigs[0].indication is Indication.TOTAL_FAILED
    assert sigs[0].subindication == "FORMAT_FAILURE"
    # the structural check names the entry at fault, before any cryptography
    (why,) = sigs[0].reasons
    assert why.code == "signature-structure"
    assert ("/Contents" if variant.startswith("contents") else "/ByteRange") in why.en
    assert check_signature_dictionary_code(forged) in problem_codes


def check_signature_dictionary_code(path: Path) -> str:
    """The problem code of :func:`hostile.check_signature_dictionary` itself."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    from signing.validation.hostile import check_signature_dictionary

    with open(path, "rb") as fh:
        reader = PdfFileReader(fh, strict=False)
        ((_, sig_obj, _),) = list(enumerate_sig_fields(reader, filled_status=True))
        problem = check_signature_dictionary(sig_obj.get_object(), fh, path.stat().st_size)
    assert problem is not None
    return problem.code
