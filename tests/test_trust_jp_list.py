"""The Japanese trust list: compiled from real certificates with every fingerprint
checked, signed, loaded only when the pinned signer verifies it, read safely, and
readable by the EU (pyHanko) trusted-list code without ever yielding a qualified
service."""

from __future__ import annotations

import csv
import hashlib
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.validation.qualified import eutl_parse

from signing.errors import TrustListError
from signing.trust.anchors import AnchorOrigin
from signing.trust.jp_list import (
    JP_TSL_TYPE,
    STATUS_RECOGNISED,
    AnchorRole,
    CertUse,
    JpTrustList,
    LegalBasis,
    accept_update,
    bundled_list_path,
    load_bundled_jp_trust_list,
    load_jp_trust_list,
    pinned_signer_certs,
)
from tests.conftest import need
from tests.jp_trust_helpers import (
    builder,
    jp_test_services,
    make_list_signer,
    signed_list,
)
from tests.pki import JP_ARCH, PKI

# several real (historical) CA certificates have a negative serial number
pytestmark = pytest.mark.filterwarnings("ignore:Parsed a serial number")


@pytest.fixture(scope="module")
def test_list(pki: PKI) -> tuple[bytes, bytes]:
    signer = make_list_signer()
    return signed_list(jp_test_services(pki), signer), signer.cert_der


#: the two shared folders of real Japanese certificates
FOLDERS = ("jp", "jp-additions-2026")

#: what each certificate of the 2026 additions is in the list (its manifest's role
#: column says tsa-unit / tsa-ca / docsign-...; the list's reading of it)
ADDITIONS: dict[str, tuple[AnchorRole, CertUse, LegalBasis]] = {
    "amano-tsu-t2p1-3-2024.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.ACCREDITED_TSA,
    ),
    "amano-tsu-t2p2-3-2024.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.ACCREDITED_TSA,
    ),
    "amano-tsu-t2p3-3-2024.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.ACCREDITED_TSA,
    ),
    # the unit is its own anchor: its chain ends at a non-Japanese root (GlobalSign R3)
    "mind-tsu-diastamp-a2e01-101-2018.pem": (
        AnchorRole.ANCHOR,
        CertUse.TIMESTAMP,
        LegalBasis.ACCREDITED_TSA,
    ),
    "globalsign-ca-for-aatl-sha256-g2-2014.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.COMMERCIAL,
    ),
    "globalsign-root-ca-r3-2009.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.COMMERCIAL,
    ),
    "globalsign-ca-for-aatl-sha384-g4-2018.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.COMMERCIAL,
    ),
    "globalsign-root-ca-r6-2014.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.TIMESTAMP,
        LegalBasis.COMMERCIAL,
    ),
    "secom-passport-publicid-docsign-rsa-ca-2023.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.SIGNATURE,
        LegalBasis.COMMERCIAL,
    ),
    "jcsi-securesign-public-long-term-ca-2005.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.SIGNATURE,
        LegalBasis.COMMERCIAL,
    ),
    "hpki-jma-sign-ca-jv2-2014.pem": (AnchorRole.INTERMEDIATE, CertUse.SIGNATURE, LegalBasis.HPKI),
    "cybertrust-itrust-signature-ca-2018.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.SIGNATURE,
        LegalBasis.COMMERCIAL,
    ),
    "cybertrust-itrust-signature-ca-g2-2024.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.SIGNATURE,
        LegalBasis.COMMERCIAL,
    ),
    "cybertrust-itrust-signature-eccp384-root-ca-2025.pem": (
        AnchorRole.ANCHOR,
        CertUse.SIGNATURE,
        LegalBasis.COMMERCIAL,
    ),
    "cybertrust-itrust-signature-eccp384-ca-2025.pem": (
        AnchorRole.INTERMEDIATE,
        CertUse.SIGNATURE,
        LegalBasis.COMMERCIAL,
    ),
}


def _manifest(shared_dir: Path, folder: str = "jp") -> list[dict[str, str]]:
    with (shared_dir / "trust" / folder / "MANIFEST.tsv").open(encoding="utf-8") as f:
        return [dict(r, folder=folder) for r in csv.DictReader(f, delimiter="\t")]


def _all_rows(shared_dir: Path) -> list[dict[str, str]]:
    return [row for folder in FOLDERS for row in _manifest(shared_dir, folder)]


def _build_real(shared_dir: Path, signer: Any, sequence: int) -> tuple[bytes, list[str]]:
    trust = shared_dir / "trust"
    xml, _services, notes = builder().build(
        certs_dir=[trust / f for f in FOLDERS],
        key=signer.key,
        cert_der=signer.cert_der,
        sequence=sequence,
        manifest_path=[trust / f / "MANIFEST.tsv" for f in FOLDERS],
    )
    return xml, notes


def _expected_role(row: dict[str, str]) -> tuple[AnchorRole, CertUse | None]:
    """What the manifest says a certificate is (our reading of its role column)."""
    if row["file"] in ADDITIONS:
        role_, use_, _basis = ADDITIONS[row["file"]]
        return role_, use_
    role = row["role"]
    anchor = AnchorRole.INTERMEDIATE if "NOT an anchor" in role else AnchorRole.ANCHOR
    use: CertUse | None = None
    if "NOT a signature anchor" in role or "authentication only" in role:
        use = CertUse.AUTHENTICATION_ONLY
    elif "TLS only" in role or "(TLS)" in role or "TLS EV" in role or "Android root;" in role:
        use = CertUse.TLS_ONLY
    elif "S/MIME" in role:
        use = CertUse.SMIME_ONLY
    elif anchor is AnchorRole.INTERMEDIATE and ("TimeStamping" in role or "Time Stamping" in role):
        use = CertUse.TIMESTAMP
    return anchor, use


# --- the test list ----------------------------------------------------------------


def test_signed_list_loads_with_pinned_signer(test_list: tuple[bytes, bytes], pki: PKI) -> None:
    xml, signer_der = test_list
    jp = load_jp_trust_list(xml, [make_list_signer("other").cert_der, signer_der])
    assert jp.territory == "JP" and jp.tsl_type == JP_TSL_TYPE
    assert jp.signer_cert_der == signer_der
    assert {s.service_id for s in jp.services} >= {"jpki-sign", "jpki-auth", "tsa-ca"}
    jpki = jp.service("jpki-sign")
    assert jpki.legal_basis is LegalBasis.JPKI_SIGNATURE
    assert len(jpki.certificates) == 2  # both generations as DigitalIds
    assert all(s.status == STATUS_RECOGNISED for s in jp.services)
    anchors = jp.anchors()
    assert all(a.origin is AnchorOrigin.JP_TRUST_LIST for a in anchors)
    assert {a.source for a in anchors} >= {"Test JPKI signature CA", "Test accredited CA"}
    # intermediates are chain-building help, never anchors
    tsa_ca = pki.cert_der("tsa-ca", JP_ARCH)
    assert tsa_ca in jp.intermediates()
    assert tsa_ca not in {a.cert_der for a in anchors}


def test_wrong_signer_refused(test_list: tuple[bytes, bytes]) -> None:
    xml, _ = test_list
    with pytest.raises(TrustListError, match="pinned"):
        load_jp_trust_list(xml, [make_list_signer("impostor").cert_der])


def test_tampered_list_refused(test_list: tuple[bytes, bytes]) -> None:
    xml, signer_der = test_list
    tampered = xml.replace(b"Test accredited CA", b"Test accredited CB", 1)
    assert tampered != xml
    with pytest.raises(TrustListError, match="does not verify"):
        load_jp_trust_list(tampered, [signer_der])


def test_xxe_refused(tmp_path: Path, test_list: tuple[bytes, bytes]) -> None:
    _, signer_der = test_list
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&xxe;'
        "</TrustServiceStatusList>"
    ).encode()
    with pytest.raises(TrustListError, match="DTD") as err:
        load_jp_trust_list(xxe, [signer_der])
    assert "TOP-SECRET" not in str(err.value)


def test_list_claiming_eu_qualified_status_refused(pki: PKI) -> None:
    from dataclasses import replace

    signer = make_list_signer()
    services = jp_test_services(pki)
    granted = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted"
    services[0] = replace(services[0], status=granted)
    with pytest.raises(TrustListError, match="recognised at national level"):
        load_jp_trust_list(signed_list(services, signer), [signer.cert_der])
    services = jp_test_services(pki)
    services[0] = replace(services[0], service_type="http://uri.etsi.org/TrstSvc/Svctype/CA/QC")
    with pytest.raises(TrustListError, match="non-qualified"):
        load_jp_trust_list(signed_list(services, signer), [signer.cert_der])


def test_eu_parser_reads_list_but_finds_nothing_qualified(test_list: tuple[bytes, bytes]) -> None:
    """The same TS 119 612 code that reads EU lists verifies and parses ours, and sees no
    CA/QC and no QTST service: nothing Japanese can come out EU-qualified."""
    xml, signer_der = test_list
    registry, errors = eutl_parse.trust_list_to_registry(
        xml.decode("utf-8"), [asn1_x509.Certificate.load(signer_der)]
    )
    assert errors == []
    assert list(registry.known_certificate_authorities) == []
    assert list(registry.known_timestamp_authorities) == []


# --- the real certificates ------------------------------------------------------------


def _der_of_row(trust_dir: Path, row: dict[str, str]) -> bytes:
    der: bytes = builder().read_cert(trust_dir / row.get("folder", "jp") / row["file"])
    return der


def _check_real_list(jp: JpTrustList, rows: list[dict[str, str]], trust_dir: Path) -> None:
    for row in rows:
        path_der = _der_of_row(trust_dir, row)
        digest = hashlib.sha256(path_der).hexdigest()
        assert digest == row["sha256"], row["file"]
        svc = jp.service_for_cert(path_der)
        assert svc is not None, f"{row['file']} missing from the list"
        prov = {p.sha256_hex: p for p in svc.provenance}
        assert digest in prov and prov[digest].source.startswith(row["source_repo"])
        role, use = _expected_role(row)
        assert svc.role is role, row["file"]
        if use is not None:
            assert svc.use is use, row["file"]
        else:
            assert svc.use is CertUse.SIGNATURE, row["file"]
        if row["file"] in ADDITIONS:
            assert svc.legal_basis is ADDITIONS[row["file"]][2], row["file"]
        is_anchor = path_der in {a.cert_der for a in jp.anchors()}
        expect_anchor = role is AnchorRole.ANCHOR and use not in (
            CertUse.TLS_ONLY,
            CertUse.SMIME_ONLY,
        )
        assert is_anchor == expect_anchor, row["file"]


def test_compiled_from_shared_folders_has_every_certificate(
    tmp_path: Path, shared_dir: Path
) -> None:
    need(shared_dir / "trust" / "jp", shared_dir / "trust" / "jp-additions-2026")
    rows = _all_rows(shared_dir)
    signer = make_list_signer()
    xml, notes = _build_real(shared_dir, signer, 7)
    # only the registers still to be collected are missing (pending.tsv)
    assert [n for n in notes if "pending" not in n and "no certificate available" not in n] == []
    assert any("moj-registrar-ca.pem: still pending" in n for n in notes)
    out = tmp_path / "JP-TL.xml"
    builder().write_atomic(out, xml)
    jp = load_jp_trust_list(out.read_bytes(), [signer.cert_der])
    assert jp.sequence_number == 7
    assert len(rows) == sum(len(s.certificates) for s in jp.services) == 64
    _check_real_list(jp, rows, shared_dir / "trust")
    jpki = jp.service("jpki-sign")
    assert [p.generation for p in jpki.provenance] == [1, 2, 3]
    assert jpki.legal_basis is LegalBasis.JPKI_SIGNATURE
    assert jp.service("jpki-auth").use is CertUse.AUTHENTICATION_ONLY
    # the SECOM timestamping CAs (copies from a GPL-3.0 repository) are in, fingerprints
    # checked: a certificate is a public fact, the copy's licence is provenance
    ca3 = jp.service("secom-timestamping-ca3")
    assert "GPL-3.0" in ca3.provenance[0].licence
    # GlobalSign (Belgium) completes TSA chains but is never trusted by the list
    anchors = {a.cert_der for a in jp.anchors()}
    for sid in ("globalsign-root-r3", "globalsign-root-r6"):
        assert not set(jp.service(sid).certificates) & anchors
    amano = jp.service("amano-tsa-3161")
    assert amano.legal_basis is LegalBasis.ACCREDITED_TSA and len(amano.certificates) == 3
    mind = jp.service("mind-tsa")
    assert mind.accredited_from is not None and f"{mind.accredited_from:%Y-%m-%d}" == "2023-02-15"
    # iTrust: unverified until its accreditation is shown
    for sid in ("cybertrust-itrust-root", "cybertrust-itrust-signature-ca"):
        assert jp.service(sid).unverified_basis is LegalBasis.ACCREDITED_ESEAL
        assert jp.service(sid).legal_basis is LegalBasis.COMMERCIAL


def test_shipped_list_verifies_and_holds_every_certificate(shared_dir: Path) -> None:
    need(shared_dir / "trust" / "jp", shared_dir / "trust" / "jp-additions-2026")
    jp = load_bundled_jp_trust_list()
    assert jp.signer_cert_der in pinned_signer_certs()
    assert jp.sequence_number >= 3
    rows = _all_rows(shared_dir)
    assert len(rows) == 64
    _check_real_list(jp, rows, shared_dir / "trust")


def test_fingerprint_mismatch_refuses_build(tmp_path: Path, shared_dir: Path) -> None:
    src = shared_dir / "trust" / "jp"
    certs = tmp_path / "certs"
    shutil.copytree(src, certs)
    (certs / "jpki-sign-ca-03-2023.pem").chmod(0o644)
    # a certificate of another CA under the JPKI signature CA's file name
    shutil.copyfile(src / "jpki-auth-ca-03-2023.pem", certs / "jpki-sign-ca-03-2023.pem")
    b = builder()
    signer = make_list_signer()
    with pytest.raises(b.BuildError, match=r"jpki-sign-ca-03-2023\.pem: SHA-256"):
        b.build(
            certs_dir=certs,
            key=signer.key,
            cert_der=signer.cert_der,
            sequence=1,
            manifest_path=src / "MANIFEST.tsv",
        )
    key_path, cert_path = signer.write_files(tmp_path)
    out = tmp_path / "out.xml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = b.main(
            [
                "--certs",
                str(certs),
                "--key",
                str(key_path),
                "--cert",
                str(cert_path),
                "--sequence",
                "1",
                "--out",
                str(out),
            ]
        )
    assert rc == 2
    assert not out.exists()


def test_build_cli_writes_a_loadable_list(tmp_path: Path, shared_dir: Path) -> None:
    jp_dir = shared_dir / "trust" / "jp"
    need(jp_dir)  # the builder leaves a missing certificate out, with a note
    signer = make_list_signer()
    key_path, cert_path = signer.write_files(tmp_path)
    out = tmp_path / "out" / "JP-TL.xml"
    argv = ["--certs", str(jp_dir), "--manifest", str(jp_dir / "MANIFEST.tsv")]
    argv += ["--key", str(key_path), "--cert", str(cert_path), "--sequence", "5"]
    assert builder().main([*argv, "--out", str(out)]) == 0
    jp = load_jp_trust_list(out.read_bytes(), [signer.cert_der])
    assert jp.sequence_number == 5
    assert sum(len(s.certificates) for s in jp.services) == 49  # this one folder's


def test_rollback_refused_and_staleness(pki: PKI) -> None:
    import datetime as dt

    signer = make_list_signer()
    services = jp_test_services(pki)
    old = load_jp_trust_list(signed_list(services, signer, sequence=3), [signer.cert_der])
    new = load_jp_trust_list(signed_list(services, signer, sequence=4), [signer.cert_der])
    assert accept_update(old, new) is new
    assert accept_update(None, old) is old
    with pytest.raises(TrustListError, match="older"):
        accept_update(new, old)
    assert new.next_update is not None
    assert not new.is_stale(new.next_update - dt.timedelta(seconds=1))
    assert new.is_stale(new.next_update + dt.timedelta(seconds=1))


def test_bundled_list_is_the_committed_file() -> None:
    assert bundled_list_path().is_file()
    assert b"recognisedatnationallevel" in bundled_list_path().read_bytes()
    assert b"Svcstatus/granted" not in bundled_list_path().read_bytes()


def test_flows_through_the_shared_trust_list_cache(tmp_path: Path, pki: PKI) -> None:
    """The same verify/accept/cache code as the EU lists takes the JP list (scheme
    ``jp``), refuses a rollback, and the cached bytes load with the pinned signer."""
    import datetime as dt

    from signing.trust.tl_errors import TrustListRollbackError
    from signing.trust.tl_store import TrustListStore
    from signing.trust.tl_update import accept_list

    signer = make_list_signer()
    services = jp_test_services(pki)
    v2 = signed_list(services, signer, sequence=2)
    v1 = signed_list(services, signer, sequence=1)
    store = TrustListStore(tmp_path, "jp")

    def accept(data: bytes, signers: list[bytes]) -> Any:
        return accept_list(
            store,
            "JP",
            data,
            signers,
            url="https://example.invalid/JP-TL.xml",
            now=dt.datetime.now(dt.UTC),
            expected_territory="JP",
            expected_types={JP_TSL_TYPE},
        )

    state = accept(v2, [signer.cert_der])
    assert state.sequence == 2 and state.territory == "JP"
    with pytest.raises(TrustListRollbackError):
        accept(v1, [signer.cert_der])
    with pytest.raises(TrustListError):
        accept(v2, [make_list_signer("impostor").cert_der])
    cached = store.cached_list("JP")
    assert cached == v2
    assert load_jp_trust_list(cached, [signer.cert_der]).sequence_number == 2


def test_list_content_fits_the_ts_119612_model() -> None:
    """Every element of the shipped list (signature aside: signxml writes XAdES
    SigningCertificateV2, newer than pyHanko's 1.3.2 model) is known to pyHanko's
    generated TS 119 612 data model."""
    from lxml import etree
    from pyhanko.generated.etsi import ts_119612
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.parsers.config import ParserConfig

    root = etree.fromstring(bundled_list_path().read_bytes())
    for sig in root.findall("{http://www.w3.org/2000/09/xmldsig#}Signature"):
        root.remove(sig)
    strict = XmlParser(
        config=ParserConfig(fail_on_unknown_properties=True, fail_on_unknown_attributes=True)
    )
    tl = strict.from_bytes(etree.tostring(root), ts_119612.TrustServiceStatusList)
    assert tl.scheme_information is not None
    assert tl.scheme_information.scheme_territory.value == "JP"
    assert tl.trust_service_provider_list is not None
    services = [
        s.service_information
        for tsp in tl.trust_service_provider_list.trust_service_provider
        for s in tsp.tspservices.tspservice
    ]
    assert len(services) == 51
    assert {s.service_status.value for s in services} == {STATUS_RECOGNISED}


def _pending_case(tmp_path: Path, sha256: str | None) -> tuple[Path, Path, bytes]:
    """A copy of packaging/jp-anchors whose pending row for the GPKI Bridge CA carries
    ``sha256`` (None: the certificate's own), and a folder with that certificate."""
    from cryptography.hazmat.primitives import serialization

    from tests.self_signed import self_signed_cert

    anchors = tmp_path / "anchors"
    shutil.copytree(builder().ANCHORS_DIR, anchors)
    key = make_list_signer().key
    cert = self_signed_cert(key, "Test GPKI Bridge CA", days=365)
    der = cert.public_bytes(serialization.Encoding.DER)
    digest = hashlib.sha256(der).hexdigest() if sha256 is None else sha256
    pending = anchors / "pending.tsv"
    text = pending.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("gpki-bridgeca.pem\t"))
    cells = row.split("\t")
    cells[2] = digest
    pending.write_text(text.replace(row, "\t".join(cells)), encoding="utf-8")
    certs = tmp_path / "downloaded"
    certs.mkdir()
    (certs / "gpki-bridgeca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return anchors, certs, der


@pytest.mark.parametrize("published", ["", "0" * 64])
def test_pending_register_refused_without_or_against_its_published_fingerprint(
    tmp_path: Path, shared_dir: Path, published: str
) -> None:
    anchors, certs, _der = _pending_case(tmp_path, published)
    signer = make_list_signer()
    b = builder()
    expected = "no published fingerprint" if not published else "published fingerprint"
    with pytest.raises(b.BuildError, match=expected):
        b.build(
            certs_dir=[shared_dir / "trust" / "jp", certs],
            key=signer.key,
            cert_der=signer.cert_der,
            sequence=1,
            anchors_dir=anchors,
        )
    key_path, cert_path = signer.write_files(tmp_path)
    out = tmp_path / "out.xml"
    argv = ["--certs", str(certs), "--anchors", str(anchors), "--key", str(key_path)]
    argv += ["--cert", str(cert_path), "--sequence", "1", "--out", str(out)]
    assert b.main(argv) == 2
    assert not out.exists()


def test_pending_register_enters_the_list_once_its_fingerprint_matches(
    tmp_path: Path, shared_dir: Path
) -> None:
    """The next release adds a register by filling pending.tsv: no code change."""
    anchors, certs, der = _pending_case(tmp_path, None)
    signer = make_list_signer()
    xml, _services, notes = builder().build(
        certs_dir=[shared_dir / "trust" / "jp", certs],
        key=signer.key,
        cert_der=signer.cert_der,
        sequence=1,
        anchors_dir=anchors,
        distribution_point="https://trust.example.org/shomei/JP-TL.xml",
    )
    assert not any("gpki-bridgeca.pem" in n for n in notes)
    jp = load_jp_trust_list(xml, [signer.cert_der])
    bridge = jp.service("gpki-bridge-ca")
    assert bridge.certificates == (der,) and bridge.legal_basis is LegalBasis.GPKI
    assert der in {a.cert_der for a in jp.anchors()}
    assert jp.distribution_points == ("https://trust.example.org/shomei/JP-TL.xml",)
