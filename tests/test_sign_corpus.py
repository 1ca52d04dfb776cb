"""Real-world unsigned PDFs (``corpus/unsigned``: the test PDFs shipped in the
source distributions of pikepdf, OCRmyPDF and pypdf, see
``tests/data/NOTICES/pypi__*.md``) signed B-B through ``signing.api.sign_pdf``
with the test PKI, and every output checked by tools that are not pyHanko:

- poppler's ``pdfsig``: each signature valid, trusted (the test root in an
  NSS database) and covering the whole document;
- ``qpdf --check``: no error, and no warning the input did not already have;
- ``mutool sign -v``: the document unchanged since signing.

A file Shomei refuses must be in ``REFUSALS`` with the exception, the words
of its one-line message and why the refusal is right; so the count of
unexplained refusals is 0, and a listed file that now signs fails too (the
table is kept true).

Runtime: the 140 files copied into ``tests/data`` run in the normal suite
(33 s in one process on a loaded 2-core machine; one test per file, so
``-n 2`` shares them). ``SHOMEI_CORPUS_FULL=1`` adds the 14 larger files of
the same sdists (41 s for all 154), which ``python tests/data/fetch.py``
downloads (they are not in the repository).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from signing.api import Level, SignRequest, sign_pdf
from signing.errors import (
    DocumentError,
    EncryptedPdfError,
    ShomeiError,
    TruncatedPdfError,
    UserCancelled,
)
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import SecretKind, SecretRequest
from tests.conftest import CI, SHARED, need
from tests.data import fetch
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import assert_mutool_ok, make_nss_db, pdfsig

PREFIX = "corpus/unsigned/"
FULL = os.environ.get("SHOMEI_CORPUS_FULL", "") == "1"
TOOLS = ("pdfsig", "certutil", "qpdf", "mutool")


@dataclass(frozen=True)
class Refusal:
    error: type[ShomeiError]
    words: str  # a regular expression the one-line message must match
    why: str  # why refusing is right (what the other tools do with the file)


def _password(why: str = "") -> Refusal:
    return Refusal(
        EncryptedPdfError,
        r"is password-protected and no password was given",
        "encrypted with a user password that is not given; pdfsig and qpdf refuse it "
        "without the password too" + why,
    )


REFUSALS: dict[str, Refusal] = {
    # -- encrypted with a user password (none is given here) --
    "pikepdf/tests/resources/graph-encrypted.pdf": _password(),
    "pypdf/resources/crazyones-encrypted-256.pdf": _password(),
    "pypdf/resources/encrypted-file.pdf": _password(),
    "pypdf/resources/libreoffice-writer-password.pdf": _password(),
    "pypdf/resources/encryption/r2-user-password.pdf": _password(),
    "pypdf/resources/encryption/r3-user-password.pdf": _password(),
    "pypdf/resources/encryption/r4-user-password.pdf": _password(),
    "pypdf/resources/encryption/r4-aes-user-password.pdf": _password(),
    "pypdf/resources/encryption/r6-both-passwords.pdf": _password(),
    "pypdf/resources/encryption/r6-cleartext-metadata.pdf": _password(),
    # -- damaged beyond what an incremental update can build on --
    "ocrmypdf/tests/resources/invalid.pdf": Refusal(
        TruncatedPdfError,
        r"is incomplete",
        "OCRmyPDF's deliberately invalid file (no cross-reference, no trailer); pdfsig "
        "cannot read it and qpdf calls it damaged",
    ),
    "pikepdf/tests/resources/fuzz/378014596.pdf": Refusal(
        TruncatedPdfError,
        r"is incomplete",
        "fuzzer output without %%EOF; pdfsig cannot read it, qpdf calls it damaged",
    ),
    "pikepdf/fuzzing/corpus/small.pdf": Refusal(
        TruncatedPdfError,
        r"is incomplete",
        "fuzzer seed without startxref or %%EOF; qpdf calls it damaged and rebuilds it; "
        "an incremental signature must point at the original's cross-reference",
    ),
    "pikepdf/tests/resources/ctm_cm.pdf": Refusal(
        DocumentError,
        r"is damaged and cannot be read \(Could not find xref table",
        "startxref points at no cross-reference table; qpdf calls it damaged, pdfsig "
        "signs a reconstruction: an update appended to it would depend on every "
        "reader rebuilding the table the same way",
    ),
    "pikepdf/tests/resources/cyclic-toc.pdf": Refusal(
        DocumentError,
        r"is damaged and cannot be read \(its required entry /Size is missing\)",
        "the trailer has no /Size (required); pdfsig refuses it too (page count "
        "null), qpdf calls it damaged",
    ),
    "pikepdf/tests/resources/newline-buffer-test.pdf": Refusal(
        DocumentError,
        r"cannot sign \(Page index out of range\)",
        "a document with no page to carry the signature; pdfsig refuses it too "
        "(invalid page count 0)",
    ),
    "pikepdf/tests/resources/form_dd0293.pdf": Refusal(
        DocumentError,
        r"cannot sign \(Invalid padding bytes",
        "AES-encrypted strings with invalid padding: the file cannot be decrypted "
        "as ISO 32000 defines it; qpdf warns, pdfsig ignores the padding",
    ),
    "pypdf/resources/encrypted_doc_no_id.pdf": Refusal(
        DocumentError,
        r"cannot sign \(its required entry /ID is missing\)",
        "encrypted without the trailer /ID its key is derived from (ISO 32000-1 "
        "7.6.3.3 requires it); qpdf reports the /ID invalid",
    ),
    "pypdf/resources/form_acrobatReader.pdf": Refusal(
        DocumentError,
        r"has a damaged compressed \(Flate\) stream that Shomei must read to sign it",
        "a truncated Flate stream in the form Shomei adds the field to; qpdf warns of "
        "it; the message says to repair the file first",
    ),
    "pypdf/resources/issue-297.pdf": Refusal(
        DocumentError,
        r"is damaged and cannot be read \(Dictionary read error",
        "an object that is not where the cross-reference says; qpdf calls it damaged",
    ),
    "pypdf/resources/selenium-pypdf-issue-177.pdf": Refusal(
        DocumentError,
        r"ends with 20481 bytes of padding \(NUL or blank\) after its %%EOF marker",
        "20 kB of NUL bytes after %%EOF, where readers look for it in the last 1024 "
        "bytes (ISO 32000-1 7.5.5); qpdf calls it damaged, pdfsig rebuilds it; an "
        "update appended after the padding would be found by no strict reader",
    ),
}


def _corpus() -> list[fetch.Entry]:
    entries = [e for e in fetch.load_manifest() if e.path.startswith(PREFIX)]
    return [e for e in entries if FULL or e.shipped]


CORPUS = _corpus()


class KeyOnly:
    """The key's password; a PDF password is never known (the user cancels)."""

    def ask(self, request: SecretRequest) -> str:
        if request.kind is SecretKind.PDF_PASSWORD:
            raise UserCancelled()
        return KEY_PASSWORD


@pytest.fixture(scope="module")
def nss(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if missing := [t for t in TOOLS if shutil.which(t) is None]:
        message = f"not installed: {', '.join(missing)} (packaging/setup.sh --test installs them)"
        if CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    yield make_nss_db(tmp_path_factory.mktemp("nss"), pki.cert_pem_path("root"))


def _qpdf(path: Path) -> tuple[int, set[str]]:
    """qpdf's exit code (0 clean, 2 errors, 3 warnings) and its warnings,
    without the file's name (the input and the output differ in it)."""
    res = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    text = (res.stdout + res.stderr).replace(str(path), "FILE")
    warnings = {
        re.sub(r"offset \d+", "offset N", line) for line in text.splitlines() if "WARNING" in line
    }
    return res.returncode, warnings


def test_the_table_names_only_files_of_the_corpus() -> None:
    listed = {e.path.removeprefix(PREFIX) for e in fetch.load_manifest()}
    assert set(REFUSALS) <= listed


@pytest.mark.parametrize("entry", CORPUS, ids=[e.path.removeprefix(PREFIX) for e in CORPUS])
def test_signed_and_checked_by_other_tools(
    entry: fetch.Entry, pki: PKI, nss: str, tmp_path: Path
) -> None:
    src = SHARED / entry.path
    need(src)
    name = entry.path.removeprefix(PREFIX)
    out = tmp_path / "signed.pdf"
    request = SignRequest(
        input_path=src,
        output_path=out,
        key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
        level=Level.B_B,
        trust_roots=(pki.cert_pem_path("root"),),
    )
    expected = REFUSALS.get(name)
    try:
        sign_pdf(request, KeyOnly())
    except ShomeiError as exc:
        message = str(exc)
        assert expected is not None, (
            f"unexplained refusal of {name}: {type(exc).__name__}: {message}"
        )
        assert isinstance(exc, expected.error), f"{name}: {type(exc).__name__}: {message}"
        assert re.search(expected.words, message), f"{name}: {message}"
        assert "\n" not in message and "Traceback" not in message
        assert not out.exists()
        return
    assert expected is None, f"{name} is now signed: remove it from REFUSALS ({expected.why})"

    entries = pdfsig(out, nss)
    assert entries, f"pdfsig sees no signature in {name}"
    for e in entries:
        assert e.valid and e.trusted, f"{name}: {e.text}"
    assert entries[-1].total, f"{name}: {entries[-1].text}"

    _, warned_in = _qpdf(src)
    code_out, warned_out = _qpdf(out)
    assert code_out in (0, 3), f"{name}: qpdf --check exit {code_out}: {warned_out}"
    assert warned_out <= warned_in, f"{name}: new qpdf warnings {warned_out - warned_in}"

    assert_mutool_ok(out)
