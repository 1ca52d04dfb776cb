"""One validation with the whole trust environment (EU trusted lists, Shomei's
Japanese list, the user's anchors), end to end: ``validate_pdf``,
``validate_many`` over a process pool, ``shomei validate --json``, the ETSI XML
and the readable report, with test lists signed in the tests and seeded into a
trusted-list cache."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from signing.cli.main import main
from signing.model.results import EntryKind, Indication, Qualification, SignatureResult, Verdict
from signing.reports.json_report import schema_document
from signing.reports.readable import render_html
from signing.trust.config import TrustConfig
from signing.trust.environment import environment_for, load_environment
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.trust.jp_trust import JpTrust, JpTrustConfig
from signing.validation import engine
from signing.validation.engine import validate_many, validate_pdf
from signing.validation.etsi_xml import VR
from signing.validation.options import ValidationOptions
from tests.jp_trust_helpers import jp_test_services, make_list_signer, signed_list
from tests.pdf_factory import make_pdf
from tests.pki import JP_ARCH, KEY_PASSWORD, PKI
from tests.trust_eu_support import Service, build_tl, make_tlso, sign

#: above the bundled BE list's sequence number: seeding never replaces it
TEST_BE_SEQUENCE = 100_000
QUALIFIED = {
    Qualification.QESIG,
    Qualification.QESEAL,
    Qualification.ADESIG_QC,
    Qualification.ADESEAL_QC,
}


class _Bytes:
    """A fetcher that hands out one list (the cache's download door)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def fetch(self, url: str) -> bytes:
        return self.data


def _seed_eu(pki: PKI, cache: Path) -> None:
    """A BE test list naming the test PKI's intermediate CA as CA/QC with
    QCWithQSCD for e-signatures."""
    tlso = make_tlso("BE TLSO integration")
    ca = pki.cert_der("interm")
    services = [Service("Shomei QC", ca, qualifiers=["QCWithQSCD"], asi=["ForeSignatures"])]
    trust = EuTrust.open(EuTrustConfig(cache_dir=cache, snapshot_dir=None))
    trust.import_list("BE", sign(build_tl("BE", TEST_BE_SEQUENCE, services), tlso), (tlso.der,))


@pytest.fixture(scope="module")
def trust(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> TrustConfig:
    """A cache with the test EU list and a test Japanese list (signed by a
    test key the configuration pins), nothing bundled."""
    cache = tmp_path_factory.mktemp("trust-cache")
    _seed_eu(pki, cache)
    jp_signer = make_list_signer()
    jp = JpTrust.open(
        JpTrustConfig(cache_dir=cache, signers=(jp_signer.cert_der,), bundled_list=None)
    )
    report = jp.update(
        "http://127.0.0.1/jp.xml", fetcher=_Bytes(signed_list(jp_test_services(pki), jp_signer))
    )
    assert report.ok, report.errors
    return TrustConfig(eu_cache_dir=cache, jp_signers=(jp_signer.cert_der,), seed_bundled=False)


def _sign(pki: PKI, out: Path, label: str = "signer-rsa", arch: str | None = None) -> Path:
    src = make_pdf(out.with_suffix(".in.pdf"))
    kw = {"arch": arch} if arch else {}
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path(label, **kw), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    meta = signers.PdfSignatureMetadata(field_name="Sig1", subfilter=SigSeedSubFilter.PADES)
    with src.open("rb") as inf, out.open("wb") as outf:
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)
    return out


@pytest.fixture(scope="module")
def signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sign(pki, tmp_path_factory.mktemp("signed") / "signer-rsa.pdf")


def _signature(result_sigs: tuple[SignatureResult, ...]) -> SignatureResult:
    (sig,) = [s for s in result_sigs if s.kind is EntryKind.SIGNATURE]
    return sig


def _assert_qes(sig: SignatureResult) -> None:
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons
    assert sig.eu_qualification is Qualification.QESIG, sig.eu_reasons
    assert sig.eu_reasons[0].code == "eu-qualification"
    assert sig.jp_status is not None and sig.jp_status.en == "Not a Japanese anchor"


def test_validate_pdf_with_the_trust_environment(
    signed: Path, trust: TrustConfig, tmp_path: Path
) -> None:
    result = validate_pdf(signed, ValidationOptions(trust=trust))
    sig = _signature(result.signatures)
    _assert_qes(sig)
    assert result.verdict is Verdict.VALID
    # the anchor is the EU list's CA, tagged with its origin
    assert sig.chain[-1].is_trust_anchor
    assert sig.chain[-1].certificate.trust_source == "eu-tl:BE"
    # the ETSI report carries the qualification where the schema puts it
    assert result.etsi_report_xml is not None
    root = ET.fromstring(result.etsi_report_xml)
    svr = root.find(f"{{{VR}}}SignatureValidationReport")
    assert svr is not None
    tags = [c.tag.split("}")[1] for c in svr]
    assert tags.index("SignatureQuality") < tags.index("SignatureValidationProcess")
    info = svr.find(f"{{{VR}}}SignatureQuality/{{{VR}}}SignatureQualityInformation")
    assert info is not None and info.text == "urn:cef:dss:signatureQualification:QESig"
    # the readable report shows both columns side by side
    html = render_html([result], "en")
    assert "Qualified electronic signature" in html and "Not a Japanese anchor" in html
    assert "Shomei QC" in html  # the EU reason names the service


def test_validate_many_in_a_pool_loads_the_environment_per_worker(
    signed: Path, trust: TrustConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "POOL_FROM", 2)  # (a pool, even for three files)
    files = []
    for i in range(3):
        copy = tmp_path / f"copy{i}.pdf"
        shutil.copyfile(signed, copy)
        files.append(copy)
    results = list(validate_many(files, ValidationOptions(trust=trust), workers=2))
    assert sorted(r.path for r in results) == sorted(str(f) for f in files)
    for r in results:
        _assert_qes(_signature(r.signatures))


def test_cli_xml_is_qualified(pki: PKI, signed: Path, tmp_path: Path) -> None:
    # the command line's default trust: the bundled lists seeded into its cache,
    # plus (here) the test BE list, whose sequence number is above the bundled one
    cache = tmp_path / "cache"
    _seed_eu(pki, cache)
    code = main(["validate", str(signed), "--trust-cache", str(cache), "--xml",
                 str(tmp_path / "r.xml")])  # fmt: skip
    assert code == 0
    xml = (tmp_path / "r.xml").read_text(encoding="utf-8")
    assert "urn:cef:dss:signatureQualification:QESig" in xml


def test_cli_json_fields(
    pki: PKI, signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    _seed_eu(pki, cache)
    code = main(["validate", str(signed), "--trust-cache", str(cache), "--json"])
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, schema_document())
    (sig,) = doc["files"][0]["signatures"]
    assert sig["eu_qualification"] == "QESig", sig["eu_reasons"]
    assert sig["jp_status"]["code"] == "not-a-japanese-anchor"
    assert code == 0
    # the table has both columns; --no-eu / --no-jp leave them "not assessed"
    main(["validate", str(signed), "--trust-cache", str(cache), "--no-eu", "--no-jp"])
    table = capsys.readouterr().out
    header, row = table.splitlines()[:2]
    assert header.split()[4:6] == ["EU", "JP"]
    assert row.split()[4:6] == ["not-assessed", "not-assessed"]


def test_jpki_signature_fills_the_japanese_column_only(
    pki: PKI, trust: TrustConfig, tmp_path: Path
) -> None:
    pdf = _sign(pki, tmp_path / "jpki.pdf", "jpki-signer", JP_ARCH)
    result = validate_pdf(pdf, ValidationOptions(trust=trust))
    sig = _signature(result.signatures)
    assert sig.jp_status is not None and sig.jp_status.code == "jpki-signature"
    assert "jp-revocation-restricted" in [r.code for r in sig.reasons]
    assert sig.verdict.colour == "amber"
    assert sig.chain[-1].certificate.trust_source == "jp-tl:Test JPKI signature CA"
    # nothing Japanese is EU-qualified
    assert sig.eu_qualification not in QUALIFIED
    assert sig.eu_qualification is not Qualification.NOT_ASSESSED
    html = render_html([result], "en")
    assert "registered verifiers" in html


def test_attack_file_stays_non_green_with_trust(shared_dir: Path, trust: TrustConfig) -> None:
    attack = shared_dir / "corpus" / "attacks" / "dss__validation__pdf-signed-corrupted.pdf"
    result = validate_pdf(attack, ValidationOptions(trust=trust, offline=True))
    assert result.verdict in (Verdict.INVALID, Verdict.INDETERMINATE)
    for sig in result.signatures:
        assert sig.eu_qualification not in QUALIFIED


def test_disabled_layers_say_not_assessed(signed: Path, trust: TrustConfig, pki: PKI) -> None:
    off = TrustConfig(
        eu_enabled=False,
        jp_enabled=False,
        user_anchor_files=(pki.cert_pem_path("root"),),
    )
    result = validate_pdf(signed, ValidationOptions(trust=off))
    sig = _signature(result.signatures)
    assert sig.indication is Indication.TOTAL_PASSED  # the user's anchor
    assert sig.chain[-1].certificate.trust_source == "user:" + pki.cert_pem_path("root").name
    assert sig.eu_qualification is Qualification.NOT_ASSESSED
    assert [r.code for r in sig.eu_reasons] == ["eu-trust-disabled"]
    assert sig.jp_status is not None and sig.jp_status.code == "not-assessed"
    assert result.etsi_report_xml is not None
    assert "SignatureQuality" not in result.etsi_report_xml


def test_unloadable_lists_do_not_fail_the_validation(signed: Path, tmp_path: Path) -> None:
    # nothing cached, nothing bundled: both columns say why, the verdict stands
    empty = TrustConfig(eu_cache_dir=tmp_path / "empty", seed_bundled=False)
    env = load_environment(empty)
    assert env.jp is None and env.jp_unavailable is not None
    result = validate_pdf(signed, ValidationOptions(trust=empty))
    sig = _signature(result.signatures)
    assert sig.eu_qualification is Qualification.NOT_ASSESSED
    assert [r.code for r in sig.eu_reasons] == ["eu-trust-not-loaded"]
    assert sig.jp_status is not None and sig.jp_status.code == "not-assessed"
    assert result.error is None


def test_environment_is_loaded_once_per_process(trust: TrustConfig) -> None:
    assert environment_for(trust) is environment_for(trust)
    env = environment_for(trust)
    origins = {a.origin.value for a in env.anchors}
    assert origins == {"eu-tl", "jp-tl"}
    assert env.intermediates  # the JP list's intermediates help chain building


def test_desktop_builds_the_same_trust_configuration(pki: PKI) -> None:
    from desktop import core_adapter as core

    root = str(pki.cert_pem_path("root"))
    config = core.ValidationConfig(
        eu_trust=True, eu_territories=("BE",), jp_trust=False, user_anchors=(root,)
    )
    assert core.trust_config(config) == TrustConfig(
        eu_enabled=True,
        eu_territories=("BE",),
        jp_enabled=False,
        user_anchor_files=(Path(root),),
    )
    # every territory ticked in the settings: every cached list (None)
    from desktop.settings import AppSettings

    assert core.trust_config(AppSettings().validation()).eu_territories is None
    some = AppSettings(eu_territories=("BE", "EE")).validation()
    assert core.trust_config(some).eu_territories == ("BE", "EE")


def test_desktop_presign_warnings_come_from_the_core(pki: PKI) -> None:
    from desktop import core_adapter as core

    jpki = core.KeyChoice(kind="pkcs11", cert_der=pki.cert_der("jpki-signer", JP_ARCH))
    warning = core.jpki_privacy_warning(jpki, "en")
    assert warning is not None and "My Number" in warning
    assert any("My Number" in w for w in core.presign_warnings(jpki))
    other = core.KeyChoice(kind="pkcs11", cert_der=pki.cert_der("signer-rsa"))
    assert core.jpki_privacy_warning(other) is None


def test_eu_anchors_are_roots_but_not_copied_into_every_context(
    trust: TrustConfig, pki: PKI
) -> None:
    from asn1crypto import x509

    from signing.validation.context import prepared

    prep = prepared(ValidationOptions(trust=trust))
    manager = prep.cert_policy.trust_manager
    interm = x509.Certificate.load(pki.cert_der("interm"))
    assert manager.is_root(interm)  # the EU list's CA
    copied = {c.sha256 for c in manager.iter_certs()}
    assert interm.sha256 not in copied
    assert copied and all(prep.anchor_tags[h].startswith("jp-tl:") for h in copied)


def test_anchor_trust_manager_answers_as_pyhankos(
    pki: PKI, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The indexed trust manager against pyHanko's SimpleTrustManager on real
    anchors (the bundled EU snapshot and Japanese list, the test PKI) and real
    certificates to look up (the EU and JP corpora, test leaves)."""
    from asn1crypto import x509
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator.registry import SimpleTrustManager

    from signing.validation.trust_manager import AnchorTrustManager

    env = load_environment(TrustConfig(eu_cache_dir=tmp_path_factory.mktemp("bundled")))
    roots = [x509.Certificate.load(a.cert_der) for a in env.anchors]
    # (a few certificates on real lists have names asn1crypto cannot read:
    # pyHanko's manager would raise on them, ours skips them when compared)
    roots = [c for c in roots if _readable_name(c)]
    roots += [x509.Certificate.load(pki.cert_der(label)) for label in ("root", "interm")]
    assert len(roots) > 100
    files = [
        *sorted((shared_dir / "corpus" / "eu" / "certs").iterdir()),
        *sorted((shared_dir / "trust" / "jp").glob("*.pem")),
    ]
    queries = [*roots, *(x509.Certificate.load(d) for d in env.intermediates)]
    for f in files:
        try:
            queries.extend(load_certs_from_pemder([str(f)]))
        except (ValueError, OSError):
            continue
    for label in ("signer-rsa", "seal-ec", "tsa", "interm-ocsp"):
        queries.append(x509.Certificate.load(pki.cert_der(label)))
    for label in ("jpki-signer", "acc-signer", "jp-tsa", "gpki-official"):
        queries.append(x509.Certificate.load(pki.cert_der(label, JP_ARCH)))
    # an anchor without a subject key identifier whose child names its key
    no_ski_root, child = _root_without_ski_and_child()
    roots.append(no_ski_root)
    queries.append(child)
    ours = AnchorTrustManager.over(roots, [])
    theirs = SimpleTrustManager.build(trust_roots=roots)
    issuers_found = 0
    for cert in queries:
        assert ours.is_root(cert) == theirs.is_root(cert), cert.subject.human_friendly
        mine = {a.authority.hashable for a in ours.find_potential_issuers(cert)}
        reference = {a.authority.hashable for a in theirs.find_potential_issuers(cert)}
        assert mine == reference, cert.subject.human_friendly
        issuers_found += bool(reference)
    assert issuers_found > 10  # the comparison covered real issuer lookups
    assert [a.certificate for a in ours.find_potential_issuers(child)] == [no_ski_root]


def _root_without_ski_and_child() -> tuple[object, object]:
    import datetime as dt

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from tests.self_signed import cert_builder

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root without SKI")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    root = (
        cert_builder(
            key, name, serial=1, valid_from=start, valid_until=start + dt.timedelta(days=365)
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Leaf")])
    leaf = (
        cert_builder(
            leaf_key,
            leaf_name,
            issuer=name,
            serial=2,
            valid_from=start,
            valid_until=start + dt.timedelta(days=30),
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    der = serialization.Encoding.DER
    return (
        asn1_x509.Certificate.load(root.public_bytes(der)),
        asn1_x509.Certificate.load(leaf.public_bytes(der)),
    )


def _malformed_name_root() -> bytes:
    """A CA whose name has a telephoneNumber as UTF8String (asn1crypto wants a
    PrintableString): such entries exist on real trusted lists."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    from tests.self_signed import cert_builder

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(
                x509.ObjectIdentifier("2.5.4.20"), "123", _type=_ASN1Type.UTF8String
            ),
            x509.NameAttribute(NameOID.COMMON_NAME, "CA with a malformed name"),
        ]
    )
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = cert_builder(
        key, name, serial=7, valid_from=start, valid_until=start + dt.timedelta(days=365)
    ).sign(key, hashes.SHA256())
    return cert.public_bytes(serialization.Encoding.DER)


def test_a_malformed_anchor_does_not_break_validation(pki: PKI, signed: Path) -> None:
    from asn1crypto import x509
    from pyhanko_certvalidator.registry import SimpleTrustManager

    from signing.trust.anchors import AnchorOrigin, TrustAnchor
    from signing.validation.trust_manager import AnchorTrustManager

    bad = x509.Certificate.load(_malformed_name_root())
    with pytest.raises(ValueError):
        SimpleTrustManager.build(trust_roots=[bad])  # pyHanko's own manager gives up
    root = x509.Certificate.load(pki.cert_der("root"))
    manager = AnchorTrustManager.over([bad, root], [])
    assert not manager.is_root(bad)  # it cannot be compared: it matches nothing
    assert manager.is_root(root)
    # the whole validation still works with it among the anchors
    anchors = (
        TrustAnchor(_malformed_name_root(), AnchorOrigin.EU_TRUSTED_LIST, "XX"),
        TrustAnchor(pki.cert_der("root"), AnchorOrigin.USER, "root.pem"),
    )
    result = validate_pdf(signed, ValidationOptions(trust_anchors=anchors))
    assert _signature(result.signatures).indication is Indication.TOTAL_PASSED


def _readable_name(cert: Any) -> bool:
    try:
        return bool(cert.subject.native is not None and cert.issuer.native is not None)
    except ValueError:
        return False
