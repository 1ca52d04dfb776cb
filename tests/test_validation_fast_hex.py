"""The faster hex-string reader gives exactly what pyHanko's own gives
(values, stream position, errors), including the cases it hands back."""

from __future__ import annotations

import os
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from signing.validation import fast_hex

CASES = [
    b"<>",
    b"<4142>",
    b"<414>",  # odd length: a trailing 0 is implied
    b"<41 42\n43\t44\r\n>",
    b"<" + os.urandom(20000).hex().encode() + b"> /Next",
    b"<4142 % a comment\n4344>",  # comments inside: pyHanko's reader decides
    b"<" + b"ab" * 70000 + b">",  # longer than one chunk
]


def _original(data: bytes) -> tuple[object, int]:
    stream = BytesIO(data)
    value = fast_hex._ORIGINAL(stream)
    return value, stream.tell()


@pytest.mark.parametrize("data", CASES, ids=range(len(CASES)))
def test_same_value_and_position(data: bytes) -> None:
    stream = BytesIO(data)
    value = fast_hex.read_hex_string(stream)
    expected, pos = _original(data)
    if len(expected.original_bytes) >= fast_hex._BYTES_FROM:
        # long strings stay bytes (the same bytes): never re-encoded as text
        assert type(value) is generic.ByteStringObject
        assert value.original_bytes == expected.original_bytes
    else:
        assert value == expected and type(value) is type(expected)
    assert stream.tell() == pos


def test_hex_strings_are_capped_before_decoding() -> None:
    from signing.pdf import limits as pdf_limits

    with pdf_limits.bounded(None) as budget:
        huge = BytesIO(b"<" + b"41" * (pdf_limits.MAX_HEX_STRING // 2 + fast_hex._CHUNK) + b">")
        with pytest.raises(pdf_limits.PdfLimitExceeded) as err:
            fast_hex.read_hex_string(huge)
        # a long string that is not plain hex is not handed to pyHanko's
        # byte-at-a-time reader either
        odd = BytesIO(b"<" + b"41" * pdf_limits.MAX_TOKEN + b" % comment\n>")
        with pytest.raises(pdf_limits.PdfLimitExceeded):
            fast_hex.read_hex_string(odd)
    assert err.value.code == "string-too-large"
    assert [code for code, _ in budget.tripped] == ["string-too-large"] * 2


@pytest.mark.parametrize("data", [b"<41zz>", b"<4142"], ids=["bad-char", "unterminated"])
def test_same_errors(data: bytes) -> None:
    with pytest.raises(PdfStreamError):
        fast_hex._ORIGINAL(BytesIO(data))
    with pytest.raises(PdfStreamError):
        fast_hex.read_hex_string(BytesIO(data))


def test_install_is_idempotent_and_used_by_the_parser() -> None:
    fast_hex.install()
    fast_hex.install()
    assert generic.read_hex_string_from_stream is fast_hex.read_hex_string
    obj = generic.read_object(BytesIO(b"<414243>"), container_ref=None)
    assert bytes(obj.original_bytes) == b"ABC"
