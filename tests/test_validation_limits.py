"""A forged file can hold thousands of signature fields (here: copies of one
signature under new names); each takes tens of milliseconds to judge. Only
``max_signatures`` of them are validated, and the file says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.model.results import Verdict
from signing.validation.engine import validate_pdf
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import sign, trusting


@pytest.fixture(scope="module")
def signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("limits")
    return sign(pki, make_pdf(folder / "plain.pdf"), folder / "signed.pdf", "B-LT")


def _with_copies(src: Path, out: Path, copies: int) -> Path:
    """``src`` plus ``copies`` signature fields all holding its signature."""
    with src.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        form = writer.root["/AcroForm"]
        value = form["/Fields"][0].get_object().raw_get("/V")
        for n in range(copies):
            field = generic.DictionaryObject(
                {
                    generic.pdf_name("/FT"): generic.pdf_name("/Sig"),
                    generic.pdf_name("/T"): generic.TextStringObject(f"Copy{n}"),
                    generic.pdf_name("/V"): value,
                }
            )
            form["/Fields"].append(writer.add_object(field))
        writer.update_container(form)
        with out.open("wb") as dst:
            writer.write(dst)
    return out


def test_only_the_first_signatures_are_validated(pki: PKI, signed: Path, tmp_path: Path) -> None:
    many = _with_copies(signed, tmp_path / "many.pdf", 11)
    result = validate_pdf(many, trusting(pki, offline=True, max_signatures=5))
    assert len(result.signatures) == 5
    assert result.verdict is Verdict.INDETERMINATE
    (why,) = [r for r in result.reasons if r.code == "too-many-signatures"]
    assert "12" in why.en and "5" in why.en and "12" in why.ja
    # under the limit, the same file is judged in full (and the copies are
    # changes after the signature, never green)
    full = validate_pdf(many, trusting(pki, offline=True, max_signatures=12))
    assert len(full.signatures) == 12
    assert "too-many-signatures" not in {r.code for r in full.reasons}
    assert full.verdict is not Verdict.VALID


def test_an_ordinary_file_is_not_limited(pki: PKI, signed: Path) -> None:
    result = validate_pdf(signed, trusting(pki, offline=True))
    assert result.verdict is Verdict.VALID and not result.reasons


def test_one_difference_analysis_per_signed_revision(
    pki: PKI, signed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copies all sign the first revision: pyHanko reviews it once."""
    from signing.validation.diff_rules import SHOMEI_DIFF_POLICY

    reviews: list[int] = []
    review = SHOMEI_DIFF_POLICY.review_file

    def counting(reader: object, base: int, *args: object, **kw: object) -> object:
        reviews.append(base)
        return review(reader, base, *args, **kw)

    monkeypatch.setattr(SHOMEI_DIFF_POLICY, "review_file", counting)
    many = _with_copies(signed, tmp_path / "many.pdf", 11)
    result = validate_pdf(many, trusting(pki, offline=True))
    assert len(result.signatures) == 12
    assert len(reviews) == len(set(reviews)) == 1
    # and every copy still shows what changed after it
    assert all(s.modification and s.modification.modified_after_signing for s in result.signatures)


def test_the_file_time_holds_inside_pyhanko(pki: PKI, signed: Path, tmp_path: Path) -> None:
    """The deadline is checked while pyHanko reads the file, not only between
    signatures: a file whose time is up when reading starts is not judged at
    all (before, its first signature always ran to the end)."""
    many = _with_copies(signed, tmp_path / "many.pdf", 11)
    result = validate_pdf(many, trusting(pki, offline=True, max_file_seconds=1e-6))
    assert result.signatures == ()
    assert result.verdict is Verdict.INDETERMINATE
    (why,) = [r for r in result.reasons if r.code == "time-limit-reached"]
    assert "while the file was being read" in why.en and "読み込み中" in why.ja
