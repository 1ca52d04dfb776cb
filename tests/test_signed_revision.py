"""The signed version of a document (signing.api.signed_revision): exactly the
bytes a signature covers, never more, and nothing for a forged byte range."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from signing import api
from signing.errors import DocumentError
from tests.conftest import need
from tests.pki import PKI
from tests.revision_files import paint_over_page, signed_pdf


@pytest.fixture(scope="module")
def signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signed_pdf(pki, tmp_path_factory.mktemp("rev"))


def test_the_signed_version_is_the_revision_the_signer_saw(signed: Path, tmp_path: Path) -> None:
    changed = paint_over_page(signed, tmp_path / "changed.pdf", page=1)
    before = changed.read_bytes()
    (field,) = [f for f in api.list_signature_fields(changed) if f.signed]
    revision = api.signed_revision(changed, field.name)
    assert revision == signed.read_bytes()  # the update after signing is not in it
    assert len(revision) < len(before)
    assert changed.read_bytes() == before  # only read
    # a file signed last: its signed version is the whole file
    assert api.signed_revision(signed, field.name) == signed.read_bytes()


def test_an_unknown_field_is_an_error_that_names_it(signed: Path) -> None:
    with pytest.raises(DocumentError) as info:
        api.signed_revision(signed, "NoSuchField")
    assert "NoSuchField" in str(info.value)
    assert "NoSuchField" in info.value.text("ja")


def test_a_byte_range_that_reaches_past_the_signature_gives_nothing(
    signed: Path, tmp_path: Path
) -> None:
    """A forged /ByteRange whose gap is not the /Contents string (it would
    hand out bytes the signature does not cover) is refused."""
    data = signed.read_bytes()
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    assert m is not None
    start1, len1, start2, len2 = (int(x) for x in m.groups())
    forged_numbers = f"{start1} {len1 - 10} {start2} {len2}".encode()
    original = b" ".join(m.groups())
    forged = data.replace(original, forged_numbers.ljust(len(original)), 1)
    hostile = tmp_path / "forged.pdf"
    hostile.write_bytes(forged)
    (field,) = [f for f in api.list_signature_fields(signed) if f.signed]
    with pytest.raises(DocumentError) as info:
        api.signed_revision(hostile, field.name)
    assert "no signed version" in str(info.value)


def test_not_a_pdf_is_an_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    with pytest.raises(DocumentError):
        api.signed_revision(junk, "Signature1")


def test_every_attack_file_gives_a_prefix_or_a_document_error(shared_dir: Path) -> None:
    """Forged and damaged files: what comes back is always the start of the
    file (never bytes from elsewhere); a range that cannot be trusted is a
    DocumentError with a Japanese text, never another exception."""
    need(shared_dir / "corpus" / "attacks")  # (the counts below are the whole corpus's)
    refused = shown = 0
    for path in sorted((shared_dir / "corpus" / "attacks").glob("*.pdf")):
        data = path.read_bytes()
        try:
            names = [f.name for f in api.list_signature_fields(path) if f.signed]
        except DocumentError:
            continue
        for name in names:
            try:
                revision = api.signed_revision(path, name)
            except DocumentError as exc:
                assert exc.text("ja") != str(exc), path.name
                refused += 1
            else:
                assert revision and data.startswith(revision), (path.name, name)
                shown += 1
    # siwa, a one-part byte range, a broken signature dictionary ... are refused
    assert refused >= 5 and shown >= 40, (refused, shown)
