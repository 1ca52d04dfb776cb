"""Real Japanese signed documents, through Shomei's own trust (the bundled EU
snapshot and JP list seeded into an empty cache), offline.

- the three 2025 Official Gazette issues: the Cabinet Office signature chains to SECOM
  RSA Root CA 2023 through the JP list (a commercial CA, not accredited); the Amano
  document timestamp is named as an accredited time-stamping service; the EU column
  claims nothing (no EU list names either chain). Offline, the files carry no revocation
  data, so both entries are INDETERMINATE, and the reason says so and names the root.
  Revocation data cannot be served locally for these: it would have to be signed by
  SECOM's real CAs.
- kampo.pdf (2008, RC4 with an empty user password, SHA-1 and RSA-1024): the verdict names
  the weak algorithms, their dates and the signing time; its Japanese status comes only
  from a chain whose every link verifies by signature.

The 2025 Gazettes are copied in tests/data; kampo.pdf (non-free test material) comes only
from the shared folder or the fetch cache, and its tests skip without it.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.model.results import (
    EntryKind,
    FileResult,
    Indication,
    Qualification,
    SignatureResult,
    Verdict,
)
from signing.trust.config import TrustConfig
from signing.trust.jp_list import load_bundled_jp_trust_list
from signing.trust.jp_status import japanese_assessment
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.conftest import need
from tests.self_signed import cert_builder

pytestmark = pytest.mark.filterwarnings("ignore:Parsed a serial number")

REPO = Path(__file__).resolve().parent.parent

#: each 2025 Gazette and the Amano unit that stamped it (corpus README)
GAZETTES = {
    "20250703c00122full00010040.pdf": "AMANO-TSU-T2P2-3",
    "20250711c00128full00010080.pdf": "AMANO-TSU-T2P3-3",
    "20250714c00129full00010040.pdf": "AMANO-TSU-T2P1-3",
}
SIGNER_PATH = [
    "Cabinet Office",
    "SECOM Passport for PublicID Document Signing RSA CA 2023",
    "SECOM RSA Root CA 2023",
]


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "jp"


def _validate(path: Path, cache: Path) -> FileResult:
    """Shomei's own trust from an empty cache (seeded from what the app bundles)."""
    options = ValidationOptions(offline=True, trust=TrustConfig(eu_cache_dir=cache))
    return validate_pdf(path, options)


def _entries(result: FileResult) -> dict[EntryKind, SignatureResult]:
    assert result.error is None, result.error
    return {s.kind: s for s in result.signatures}


def _names(path: object) -> list[str | None]:
    return [c.common_name for c in getattr(path, "certificates", ())]


@pytest.mark.parametrize("name", sorted(GAZETTES))
def test_gazette_2025_both_columns_offline(name: str, corpus: Path, tmp_path: Path) -> None:
    result = _validate(corpus / name, tmp_path / "cache")
    entries = _entries(result)
    assert len(result.signatures) == 2
    sig, ts = entries[EntryKind.SIGNATURE], entries[EntryKind.DOCUMENT_TIMESTAMP]

    # the Cabinet Office signature: intact, chain to SECOM RSA Root CA 2023 from the JP
    # list; offline without revocation data in the file: INDETERMINATE, and that is why
    assert sig.signer is not None and sig.signer.common_name == "Cabinet Office"
    # what the signer wrote, decrypted (the file is AES-256 with an empty user password)
    assert sig.reason == "内閣府より署名済み"
    assert sig.intact and sig.verdict is Verdict.INDETERMINATE
    assert [e.certificate.common_name for e in sig.chain] == SIGNER_PATH
    assert sig.chain[-1].is_trust_anchor
    assert sig.chain[-1].certificate.trust_source == "jp-tl:SECOM RSA Root CA 2023"
    first = sig.reasons[0]
    assert first.code == "offline-no-revocation" and "SECOM RSA Root CA 2023" in first.en
    assert "SECOM RSA Root CA 2023" in first.ja
    # JP column: a commercial CA (not an accredited certification business), on this path
    assert sig.jp_status is not None and sig.jp_status.code == "commercial"
    assert sig.jp_path is not None and _names(sig.jp_path) == SIGNER_PATH
    assert sig.jp_path.anchor == "jp-tl:SECOM RSA Root CA 2023"
    # EU column: no EU status claimed, and the path it looked up
    assert sig.eu_qualification is Qualification.NOT_EU_LISTED
    assert sig.eu_path is not None and _names(sig.eu_path) == SIGNER_PATH
    assert sig.eu_path.anchor is None and sig.eu_path.missing_issuer is None

    # the Amano document timestamp: intact, an accredited Japanese TSA through the list
    unit = GAZETTES[name]
    assert ts.signer is not None and ts.signer.common_name == unit
    assert ts.intact and ts.verdict is Verdict.INDETERMINATE
    assert ts.reasons[0].code == "offline-no-revocation"
    assert "Security Communication RootCA3" in ts.reasons[0].en
    assert ts.jp_status is not None and ts.jp_status.code == "accredited-tsa"
    assert ts.jp_status.en.startswith("Accredited time-stamping service, Amano")
    assert "総務大臣認定タイムスタンプ" in ts.jp_status.ja and "アマノ" in ts.jp_status.ja
    ts_path = [unit, "SECOM TimeStamping CA3", "Security Communication RootCA3"]
    assert ts.jp_path is not None and _names(ts.jp_path) == ts_path
    assert ts.jp_path.anchor == "jp-tl:Security Communication RootCA3"
    assert [e.certificate.common_name for e in ts.chain] == ts_path
    # never "TST": no EU list names Amano or SECOM's timestamping CAs
    assert ts.eu_qualification is Qualification.NOT_EU_LISTED
    assert ts.signature_timestamp is not None
    assert ts.signature_timestamp.qualification is Qualification.NOT_EU_LISTED
    assert [r.code for r in ts.eu_reasons] == ["eu-tsa-not-listed"]
    # the file's verdict is the worst of its entries: nothing is green offline
    assert result.verdict is Verdict.INDETERMINATE


def test_kampo_names_the_weak_algorithms_and_the_date(corpus: Path, tmp_path: Path) -> None:
    need(corpus / "kampo.pdf")  # non-free, never in tests/data: a missing file is only a result
    result = _validate(corpus / "kampo.pdf", tmp_path / "cache")
    (sig,) = result.signatures
    assert sig.intact and sig.verdict is Verdict.INDETERMINATE
    assert sig.indication is Indication.INDETERMINATE
    assert sig.subindication == "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    weak = [r for r in sig.reasons if r.code == "weak-algorithm"]
    assert len(weak) == 1, sig.reasons  # the dated reason replaces the generic one
    for part in ("SHA-1", "2017-01-01", "RSA-1024", "2019-01-01", "2008-04-24", "no timestamp"):
        assert part in weak[0].en, weak[0].en
    assert "SHA-1" in weak[0].ja and "2008-04-24" in weak[0].ja
    # the JP status comes with the path it was decided on, every link verified
    assert sig.jp_status is not None and sig.jp_status.code == "commercial"
    assert _names(sig.jp_path) == [
        "Vice President",
        "SecureSign Public Long Term CA",
        "SecureSign RootCA1",
    ]
    assert sig.jp_path is not None
    assert sig.jp_path.anchor == "jp-tl:Japan Certification Services SecureSign RootCA1"
    assert sig.eu_qualification is Qualification.NOT_EU_LISTED


def _kampo_certs(corpus: Path) -> tuple[bytes, list[bytes]]:
    with (corpus / "kampo.pdf").open("rb") as f:
        reader = PdfFileReader(f, strict=False)
        reader.decrypt(b"")  # RC4, empty user password
        (emb,) = reader.embedded_signatures
        signer = bytes(emb.signer_cert.dump())
        others = [
            bytes(c.chosen.dump())
            for c in emb.signed_data["certificates"]
            if c.name == "certificate" and bytes(c.chosen.dump()) != signer
        ]
    return signer, others


def test_kampo_japanese_status_only_as_far_as_its_chain_verifies(corpus: Path) -> None:
    """Without its issuing CA, or with an impostor of the same name, the chain stops:
    no Japanese status, and the path says which issuer was not found."""
    signer, _carried = _kampo_certs(corpus)
    bundled = load_bundled_jp_trust_list()
    without_ca = dataclasses.replace(
        bundled,
        services=tuple(s for s in bundled.services if s.service_id != "jcsi-public-long-term-ca"),
    )
    signed = datetime(2008, 4, 24, 6, 2, tzinfo=UTC)

    def assess(pool: list[bytes]):  # type: ignore[no-untyped-def]
        return japanese_assessment(
            signer,
            pool,
            at=signed,
            jp=without_ca,
            has_revocation_data=False,
            has_archive_timestamp=False,
        )

    status, _reasons, path = assess([])
    assert status.code == "not-a-japanese-anchor"
    assert _names(path) == ["Vice President"]
    assert path.anchor is None and path.missing_issuer is not None
    assert "SecureSign Public Long Term CA" in path.missing_issuer
    # a certificate with the issuer's name but another key is no issuer
    real_ca = x509.load_der_x509_certificate(_carried[0]) if _carried else None
    name = real_ca.subject if real_ca is not None else x509.load_der_x509_certificate(signer).issuer
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    impostor = (
        cert_builder(
            key,
            name,
            serial=1,
            valid_from=datetime(2005, 1, 1, tzinfo=UTC),
            valid_until=datetime(2030, 1, 1, tzinfo=UTC),
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    status, _reasons, path = assess([impostor.public_bytes(serialization.Encoding.DER)])
    assert status.code == "not-a-japanese-anchor"
    assert _names(path) == ["Vice President"] and path.missing_issuer is not None
    # with the list's own CA the chain holds again
    status, _reasons, path = japanese_assessment(
        signer, [], at=signed, jp=bundled, has_revocation_data=False, has_archive_timestamp=False
    )
    assert status.code == "commercial" and path.anchor is not None


def test_cli_check_on_the_jp_corpus(corpus: Path, tmp_path: Path) -> None:
    """The issue's check, through the command line with an empty cache: for each 2025
    Gazette, the Cabinet Office path to SECOM RSA Root CA 2023, the Amano timestamp
    accredited through the JP list, an EU column that claims no EU status."""
    env = dict(os.environ, SHOMEI_CACHE_DIR=str(tmp_path / "empty-cache"))
    env["PYTHONPATH"] = str(REPO)
    files = sorted(str(p) for p in corpus.glob("*.pdf"))
    proc = subprocess.run(
        [sys.executable, "-m", "signing.cli.main", "validate", "--offline", *files],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 4, proc.stderr  # INDETERMINATE offline, nothing worse
    out = proc.stdout
    assert "TST" not in out and "QTST" not in out
    for name, unit in GAZETTES.items():
        block = _block(out, str(corpus / name))
        assert (
            "JP: Japanese commercial CA, not accredited (民間認証局); path: Cabinet Office > "
            "SECOM Passport for PublicID Document Signing RSA CA 2023 > SECOM RSA Root CA 2023 "
            "(anchor: jp-tl:SECOM RSA Root CA 2023)"
        ) in block
        assert (
            "JP: Accredited time-stamping service, Amano Time Stamp Service 3161 "
            f"(総務大臣認定タイムスタンプ); path: {unit} > SECOM TimeStamping CA3 > "
            "Security Communication RootCA3 (anchor: jp-tl:Security Communication RootCA3)"
        ) in block
        eu_lines = [line for line in block.splitlines() if line.strip().startswith("EU:")]
        assert len(eu_lines) == 2
        assert all("EU: Not on an EU trusted list" in line for line in eu_lines)


def _block(out: str, path: str) -> str:
    """The lines the columns section prints for one file (its path, then indented)."""
    lines = out.splitlines()
    start = lines.index(path)
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return "\n".join(lines[start:end])
