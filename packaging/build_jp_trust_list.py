#!/usr/bin/env python3
"""Compile and sign Shomei's Japanese trust list (ETSI TS 119 612 XML, XAdES enveloped).

Inputs (see resources/trust/jp/README.md):

* ``packaging/jp-anchors/services.toml`` -- one entry per service (an anchor or an
  intermediate with all its certificate generations): legal basis, role, use, which
  certificates count, how revocation is reached, caveats; and the TSPs.
* ``packaging/jp-anchors/sources.tsv`` -- one row per certificate file: the service it
  belongs to, its SHA-256 fingerprint, the official download URL.
* ``packaging/jp-anchors/pending.tsv`` -- the registers still to be collected: for each
  expected certificate, where to download it and where its fingerprint is published.
  A file named there that is present in a ``--certs`` folder is compiled once its SHA-256
  equals the published one (filled in the row); a mismatch stops the build.
* ``--certs DIR`` (repeatable) -- the certificate files themselves, provided by the
  maintainer (downloaded from the official URLs) or, for tests, the shared test folders.
* ``--manifest`` (repeatable) -- MANIFEST.tsv files describing where each file was taken
  from; when given, every fingerprint must match them as well.

What ships is the certificate, a public fact the CA publishes, identified by its SHA-256;
where a copy was taken from (and that repository's licence) is recorded as provenance,
never a reason to leave a certificate out. Every fingerprint is checked; any mismatch
stops the build (exit status 2). The signing
key is read from ``--key`` or ``$SHOMEI_JP_TL_KEY`` (PEM; password in
``$SHOMEI_JP_TL_KEY_PASSWORD`` if encrypted) and never leaves the maintainer's machine.

Usage::

    python packaging/build_jp_trust_list.py --certs ~/jp-anchors-download \\
        --key /secure/jp-list-key/key.pem --cert resources/trust/jp/signers/<signer>.pem \\
        --sequence 2 --out resources/trust/jp/JP-TL.xml
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, rsa  # noqa: E402
from lxml import etree  # noqa: E402

from signing.trust.jp_list import (  # noqa: E402
    JP_SCHEME_RULES,
    JP_TSL_TYPE,
    LEGAL_BASIS_TEXT,
    NS_JP,
    NS_TSL,
    NS_XML,
    SVC_TYPE_CA_PKC,
    SVC_TYPE_TSA,
    AnchorRole,
    CertProvenance,
    CertUse,
    JpService,
    LegalBasis,
    RevocationAccess,
)
from signing.trust.jp_status import signed_by  # noqa: E402

ANCHORS_DIR = REPO / "packaging" / "jp-anchors"
#: accreditation dates are Japanese calendar days
JST = timezone(timedelta(hours=9))

REVOCATION_TEXT = {
    RevocationAccess.PUBLIC: (
        "Revocation status is published at public CRL / OCSP URLs.",
        "失効情報は公開の CRL / OCSP で確認できる。",
    ),
    RevocationAccess.REGISTERED_VERIFIERS: (
        "Revocation status is only available to verifiers registered with the operator "
        "(署名検証者); the public cannot check it.",
        "失効情報は総務大臣の認定を受けた署名検証者のみが確認できる。",
    ),
    RevocationAccess.DIRECTORY_NAME_ONLY: (
        "Certificates name their CRL by directory name only (no URL); revocation data "
        "must be embedded in the signed file to be checked.",
        "CRL 配布点はディレクトリ名のみで URL がない。失効情報はファイルに埋め込む必要がある。",
    ),
}


class BuildError(Exception):
    """The list cannot be built as asked (fingerprint mismatch, bad input)."""


@dataclass(frozen=True)
class Tsp:
    key: str
    name_en: str
    name_ja: str
    uri: str = ""


@dataclass(frozen=True)
class ServiceSpec:
    service_id: str
    tsp: str
    name_en: str
    name_ja: str
    legal_basis: LegalBasis
    role: AnchorRole
    use: CertUse
    revocation: RevocationAccess
    policy_oid_prefixes: tuple[str, ...] = ()
    key_usage: tuple[str, ...] = ()
    ext_key_usage: tuple[str, ...] = ()
    revocation_note: str = ""
    caveats: tuple[str, ...] = ()
    accredited_from: datetime | None = None
    accredited_until: datetime | None = None
    unverified_basis: LegalBasis | None = None


@dataclass(frozen=True)
class SourceRow:
    file: str
    service: str
    sha256: str
    official_url: str
    notes: str = ""
    #: pending.tsv: where the expected fingerprint is published (官報 告示, publisher page)
    fingerprint_source: str = ""
    pending: bool = False


# --- inputs ------------------------------------------------------------------


def load_services(path: Path) -> tuple[dict[str, Tsp], dict[str, ServiceSpec]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    tsps = {
        key: Tsp(key, v["name_en"], v.get("name_ja", v["name_en"]), v.get("uri", ""))
        for key, v in data.get("tsp", {}).items()
    }
    services = {}
    for sid, v in data.get("service", {}).items():
        if v["tsp"] not in tsps:
            raise BuildError(f"service {sid}: unknown TSP {v['tsp']!r}")
        services[sid] = ServiceSpec(
            service_id=sid,
            tsp=v["tsp"],
            name_en=v["name_en"],
            name_ja=v.get("name_ja", v["name_en"]),
            legal_basis=LegalBasis(v["legal_basis"]),
            role=AnchorRole(v["role"]),
            use=CertUse(v["use"]),
            revocation=RevocationAccess(v["revocation"]),
            policy_oid_prefixes=tuple(v.get("policy_oid_prefixes", ())),
            key_usage=tuple(v.get("key_usage", ())),
            ext_key_usage=tuple(v.get("ext_key_usage", ())),
            revocation_note=v.get("revocation_note", ""),
            caveats=tuple(v.get("caveats", ())),
            accredited_from=_jst_day(v.get("accredited_from"), sid),
            accredited_until=_jst_day(v.get("accredited_until"), sid, end=True),
            unverified_basis=_unverified(v, sid),
        )
    return tsps, services


def _jst_day(value: Any, sid: str, *, end: bool = False) -> datetime | None:
    """A ``YYYY-MM-DD`` of services.toml as the start (or end) of that day in Japan."""
    if value is None:
        return None
    try:
        day = datetime.strptime(str(value), "%Y-%m-%d").replace(tzinfo=JST)
    except ValueError as e:
        raise BuildError(f"service {sid}: {value!r} is not a YYYY-MM-DD date") from e
    return day + timedelta(days=1, microseconds=-1) if end else day


def _unverified(v: Mapping[str, Any], sid: str) -> LegalBasis | None:
    verification = v.get("verification", "verified")
    if verification not in ("verified", "unverified"):
        raise BuildError(f"service {sid}: verification must be verified or unverified")
    if verification == "verified":
        return None
    if "claimed_basis" not in v:
        raise BuildError(f"service {sid}: an unverified service names its claimed_basis")
    return LegalBasis(v["claimed_basis"])


def _tsv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated file, without those commented out with ``#``."""
    with path.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f, delimiter="\t") if not r["file"].startswith("#")]


def _source_row(r: dict[str, str], sha256: str, **extra: Any) -> SourceRow:
    return SourceRow(
        r["file"].strip(),
        r["service"].strip(),
        sha256.strip().lower(),
        r["official_url"].strip(),
        (r.get("notes") or "").strip(),
        **extra,
    )


def load_sources(path: Path) -> list[SourceRow]:
    return [_source_row(r, r["sha256"]) for r in _tsv_rows(path)]


def load_pending(path: Path) -> list[SourceRow]:
    """``pending.tsv``: certificates of registers still to be collected (see its header)."""
    if not path.is_file():
        return []
    return [
        _source_row(
            r,
            r.get("sha256") or "",
            fingerprint_source=(r.get("fingerprint_source") or "").strip(),
            pending=True,
        )
        for r in _tsv_rows(path)
    ]


def load_manifest(path: Path | Sequence[Path]) -> dict[str, dict[str, str]]:
    """One or several MANIFEST.tsv files, merged by file name (a name described twice
    must carry the same fingerprint)."""
    paths = [path] if isinstance(path, Path) else list(path)
    out: dict[str, dict[str, str]] = {}
    for p in paths:
        with p.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                r = dict(r, retrieved=manifest_date(p) or "")
                seen = out.get(r["file"])
                if seen is not None and seen["sha256"].lower() != r["sha256"].lower():
                    raise BuildError(f"{r['file']}: two manifests give different SHA-256")
                out[r["file"]] = r
    return out


def manifest_date(path: Path) -> str | None:
    """The snapshot date of a shared MANIFEST.tsv (from its ``status_on_<date>`` column)."""
    header = path.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")
    for col in header:
        if col.startswith("status_on_"):
            return col.removeprefix("status_on_")
    return None


def read_cert(path: Path) -> bytes:
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        cert = x509.load_pem_x509_certificate(data)
    else:
        cert = x509.load_der_x509_certificate(data)
    return cert.public_bytes(serialization.Encoding.DER)


def _find(certs_dirs: Sequence[Path], name: str) -> Path | None:
    for folder in certs_dirs:
        if (folder / name).is_file():
            return folder / name
    return None


def compile_services(
    tsps: Mapping[str, Tsp],
    specs: Mapping[str, ServiceSpec],
    sources: Sequence[SourceRow],
    certs_dir: Path | Sequence[Path],
    *,
    manifest: Mapping[str, Mapping[str, str]] | None = None,
    retrieved: str = "",
) -> tuple[list[JpService], list[str]]:
    """Read every certificate, check its fingerprint, group the generations per service.

    Returns the services and the notes on files left out (not provided). Raises
    :class:`BuildError` on any fingerprint mismatch.
    """
    certs_dirs = [certs_dir] if isinstance(certs_dir, Path) else list(certs_dir)
    notes: list[str] = []
    found: dict[str, list[tuple[bytes, SourceRow, Mapping[str, str] | None]]] = {}
    for row in sources:
        if row.service not in specs:
            raise BuildError(f"{row.file}: unknown service {row.service!r}")
        path = _find(certs_dirs, row.file)
        if path is None:
            if row.pending:
                notes.append(f"{row.file}: still pending ({row.official_url}), left out")
            else:
                notes.append(f"{row.file}: not provided, left out")
            continue
        der = read_cert(path)
        digest = hashlib.sha256(der).hexdigest()
        if row.pending and not row.sha256:
            raise BuildError(
                f"{row.file}: pending.tsv gives no published fingerprint yet; read it from "
                f"{row.fingerprint_source} and write it in the sha256 column (this file's "
                f"SHA-256 is {digest})"
            )
        if digest != row.sha256:
            where = (
                f"the published fingerprint ({row.fingerprint_source})"
                if row.pending
                else ("sources.tsv")
            )
            raise BuildError(f"{row.file}: SHA-256 {digest} does not match {where} ({row.sha256})")
        mrow = None
        if manifest is not None and not (row.pending and row.file not in manifest):
            mrow = manifest.get(row.file)
            if mrow is None:
                raise BuildError(f"{row.file}: not described in the manifest")
            if mrow["sha256"].strip().lower() != digest:
                raise BuildError(
                    f"{row.file}: SHA-256 {digest} does not match the manifest ({mrow['sha256']})"
                )
        found.setdefault(row.service, []).append((der, row, mrow))

    _check_signatures(specs, found, notes)
    services = []
    for sid, spec in specs.items():
        entries = found.get(sid)
        if not entries:
            notes.append(f"service {sid}: no certificate available, left out")
            continue
        entries.sort(key=lambda e: x509.load_der_x509_certificate(e[0]).not_valid_before_utc)
        provenance = []
        for gen, (_der, row, mrow) in enumerate(entries, start=1):
            if mrow is not None:
                source = (
                    f"{mrow.get('source_repo', '')}:{mrow.get('source_path', '')}"
                    f"@{mrow.get('commit', '')[:12]}"
                )
                licence = f"copy from a repository under {mrow.get('repo_license', '?')}"
            else:
                source, licence = "maintainer download from the official URL", "public"
            provenance.append(
                CertProvenance(
                    sha256_hex=row.sha256,
                    generation=gen,
                    source=source,
                    official_url=row.official_url,
                    retrieved=(mrow or {}).get("retrieved") or retrieved,
                    licence=licence,
                )
            )
        services.append(
            JpService(
                service_id=sid,
                name_en=spec.name_en,
                name_ja=spec.name_ja,
                tsp_name=tsps[spec.tsp].name_en,
                legal_basis=spec.legal_basis,
                role=spec.role,
                use=spec.use,
                revocation=spec.revocation,
                certificates=tuple(der for der, _, _ in entries),
                provenance=tuple(provenance),
                policy_oid_prefixes=spec.policy_oid_prefixes,
                key_usage=spec.key_usage,
                ext_key_usage=spec.ext_key_usage,
                revocation_note=spec.revocation_note,
                caveats=spec.caveats,
                service_type=SVC_TYPE_TSA if spec.use is CertUse.TIMESTAMP else SVC_TYPE_CA_PKC,
                accredited_from=spec.accredited_from,
                accredited_until=spec.accredited_until,
                unverified_basis=spec.unverified_basis,
            )
        )
    return services, notes


def _check_signatures(
    specs: Mapping[str, ServiceSpec],
    found: Mapping[str, list[tuple[bytes, SourceRow, Mapping[str, str] | None]]],
    notes: list[str],
) -> None:
    """Anchors must be self-signed (or be a time-stamping unit trusted by its own
    certificate, whose chain ends outside Japan); an intermediate's issuer should be
    in the list."""
    every = [
        x509.load_der_x509_certificate(der) for entries in found.values() for der, *_ in entries
    ]
    for sid, entries in found.items():
        for der, row, _ in entries:
            cert = x509.load_der_x509_certificate(der)
            if specs[sid].role is AnchorRole.ANCHOR:
                if not signed_by(cert, cert) and not _is_unit(cert, specs[sid]):
                    raise BuildError(f"{row.file}: listed as an anchor but not self-signed")
            elif not signed_by(cert, cert) and not any(
                signed_by(cert, other) for other in every if other != cert
            ):
                notes.append(f"{row.file}: its issuer is not in the list")


def _is_unit(cert: x509.Certificate, spec: ServiceSpec) -> bool:
    """A time-stamping unit's own (end-entity) certificate in a timestamp service."""
    try:
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        ca = False
    return spec.use is CertUse.TIMESTAMP and not ca


# --- the XML -----------------------------------------------------------------


def _el(parent: Any, ns: str, tag: str, text: str | None = None, **attrib: str) -> Any:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _names(parent: Any, tag: str, en: str, ja: str | None = None) -> Any:
    box = _el(parent, NS_TSL, tag)
    _el(box, NS_TSL, "Name", en, **{f"{{{NS_XML}}}lang": "en"})
    if ja:
        _el(box, NS_TSL, "Name", ja, **{f"{{{NS_XML}}}lang": "ja"})
    return box


def _uris(parent: Any, tag: str, *uris: str) -> None:
    box = _el(parent, NS_TSL, tag)
    for uri in uris:
        _el(box, NS_TSL, "URI", uri, **{f"{{{NS_XML}}}lang": "en"})


def _address(parent: Any, tag: str, street: str, locality: str, uri: str) -> None:
    """An ETSI address in Japan: one English postal address and one web address."""
    address = _el(parent, NS_TSL, tag)
    postal = _el(_el(address, NS_TSL, "PostalAddresses"), NS_TSL, "PostalAddress")
    postal.set(f"{{{NS_XML}}}lang", "en")
    _el(postal, NS_TSL, "StreetAddress", street)
    _el(postal, NS_TSL, "Locality", locality)
    _el(postal, NS_TSL, "CountryName", "JP")
    _uris(address, "ElectronicAddress", uri)


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _jp_extension(parent: Any, svc: JpService) -> None:
    lang = f"{{{NS_XML}}}lang"
    ext = _el(parent, NS_TSL, "Extension", Critical="false")
    info = _el(ext, NS_JP, "JapaneseTrustInfo")
    _el(info, NS_JP, "ServiceId", svc.service_id)
    basis = _el(info, NS_JP, "LegalBasis", code=svc.legal_basis.value)
    en, ja = LEGAL_BASIS_TEXT[svc.legal_basis]
    _el(basis, NS_JP, "Text", en, **{lang: "en"})
    _el(basis, NS_JP, "Text", ja, **{lang: "ja"})
    _el(info, NS_JP, "Role", svc.role.value)
    _el(info, NS_JP, "Use", svc.use.value)
    counting = _el(info, NS_JP, "CountingCertificates")
    for oid in svc.policy_oid_prefixes:
        _el(counting, NS_JP, "PolicyOIDPrefix", oid)
    for ku in svc.key_usage:
        _el(counting, NS_JP, "KeyUsage", ku)
    for eku in svc.ext_key_usage:
        _el(counting, NS_JP, "ExtendedKeyUsage", eku)
    rev = _el(info, NS_JP, "Revocation", access=svc.revocation.value)
    rev_en, rev_ja = REVOCATION_TEXT[svc.revocation]
    _el(rev, NS_JP, "Text", svc.revocation_note or rev_en, **{lang: "en"})
    _el(rev, NS_JP, "Text", rev_ja, **{lang: "ja"})
    prov = _el(info, NS_JP, "Provenance")
    for p in svc.provenance:
        c = _el(prov, NS_JP, "Certificate", sha256=p.sha256_hex, generation=str(p.generation))
        _el(c, NS_JP, "Source", p.source)
        _el(c, NS_JP, "OfficialURL", p.official_url)
        _el(c, NS_JP, "Retrieved", p.retrieved)
        _el(c, NS_JP, "Licence", p.licence)
    if svc.accredited_from is not None or svc.accredited_until is not None:
        period = {"from": _iso(svc.accredited_from)} if svc.accredited_from else {}
        if svc.accredited_until is not None:
            period["until"] = _iso(svc.accredited_until)
        _el(info, NS_JP, "Accreditation", **period)
    if svc.unverified_basis is not None:
        _el(info, NS_JP, "UnverifiedClaim", code=svc.unverified_basis.value)
    for caveat in svc.caveats:
        _el(info, NS_JP, "Caveat", caveat, **{lang: "en"})


def build_tl_element(
    services: Iterable[JpService],
    *,
    sequence: int,
    issued: datetime,
    next_update: datetime,
    tsp_names_ja: Mapping[str, str] | None = None,
    tsp_uris: Mapping[str, str] | None = None,
    distribution_point: str = "",
) -> Any:
    """The unsigned ``TrustServiceStatusList`` element."""
    tsp_names_ja = tsp_names_ja or {}
    tsp_uris = tsp_uris or {}
    root = etree.Element(
        f"{{{NS_TSL}}}TrustServiceStatusList",
        {"Id": "shomei-jp-tl", "TSLTag": "http://uri.etsi.org/19612/TSLTag"},
        nsmap={None: NS_TSL, "jp": NS_JP},
    )
    scheme = _el(root, NS_TSL, "SchemeInformation")
    _el(scheme, NS_TSL, "TSLVersionIdentifier", "5")
    _el(scheme, NS_TSL, "TSLSequenceNumber", str(sequence))
    _el(scheme, NS_TSL, "TSLType", JP_TSL_TYPE)
    _names(scheme, "SchemeOperatorName", "Shomei project", "Shomei プロジェクト")
    _address(
        scheme,
        "SchemeOperatorAddress",
        "n/a (software project)",
        "n/a",
        "https://shomei.example/trust/jp",
    )
    _names(
        scheme,
        "SchemeName",
        "JP: Japanese trust anchors compiled by the Shomei project from the official "
        "registers (not an official list of the Government of Japan, not an EU trusted list)",
        "JP: 各公的登録簿から Shomei プロジェクトが編纂した日本のトラストアンカー"
        "（日本政府の公式リストでも EU トラステッドリストでもない）",
    )
    _uris(scheme, "SchemeInformationURI", "https://shomei.example/trust/jp/README")
    _el(
        scheme,
        NS_TSL,
        "StatusDeterminationApproach",
        "http://shomei.example/TrstSvc/TrustedList/StatusDetn/JP-compiled",
    )
    _uris(scheme, "SchemeTypeCommunityRules", JP_SCHEME_RULES)
    _el(scheme, NS_TSL, "SchemeTerritory", "JP")
    notice = _el(scheme, NS_TSL, "PolicyOrLegalNotice")
    _el(
        notice,
        NS_TSL,
        "TSLLegalNotice",
        "Compiled for signature validation in Shomei. Statuses are national recognitions "
        "under Japanese law; none is an EU qualified status.",
        **{f"{{{NS_XML}}}lang": "en"},
    )
    _el(scheme, NS_TSL, "HistoricalInformationPeriod", "65535")
    _el(scheme, NS_TSL, "ListIssueDateTime", _iso(issued))
    _el(_el(scheme, NS_TSL, "NextUpdate"), NS_TSL, "dateTime", _iso(next_update))
    if distribution_point:
        _uris(scheme, "DistributionPoints", distribution_point)

    by_tsp: dict[str, list[JpService]] = {}
    for svc in services:
        by_tsp.setdefault(svc.tsp_name, []).append(svc)
    tsp_list = _el(root, NS_TSL, "TrustServiceProviderList")
    for tsp_name, svcs in by_tsp.items():
        tsp = _el(tsp_list, NS_TSL, "TrustServiceProvider")
        info = _el(tsp, NS_TSL, "TSPInformation")
        _names(info, "TSPName", tsp_name, tsp_names_ja.get(tsp_name))
        _address(
            info,
            "TSPAddress",
            "see TSPInformationURI",
            "Japan",
            tsp_uris.get(tsp_name) or "https://example.jp/",
        )
        _uris(info, "TSPInformationURI", tsp_uris.get(tsp_name) or "https://example.jp/")
        services_el = _el(tsp, NS_TSL, "TSPServices")
        for svc in svcs:
            si = _el(_el(services_el, NS_TSL, "TSPService"), NS_TSL, "ServiceInformation")
            _el(si, NS_TSL, "ServiceTypeIdentifier", svc.service_type)
            _names(si, "ServiceName", svc.name_en, svc.name_ja)
            sdi = _el(si, NS_TSL, "ServiceDigitalIdentity")
            for der in svc.certificates:
                _el(
                    _el(sdi, NS_TSL, "DigitalId"),
                    NS_TSL,
                    "X509Certificate",
                    base64.b64encode(der).decode("ascii"),
                )
            _el(si, NS_TSL, "ServiceStatus", svc.status)
            # an accredited service's status starts with its accreditation
            _el(si, NS_TSL, "StatusStartingTime", _iso(svc.accredited_from or issued))
            exts = _el(si, NS_TSL, "ServiceInformationExtensions")
            asi_ext = _el(exts, NS_TSL, "Extension", Critical="false")
            asi = _el(asi_ext, NS_TSL, "AdditionalServiceInformation")
            _el(asi, NS_TSL, "URI", svc.legal_basis.uri, **{f"{{{NS_XML}}}lang": "en"})
            _jp_extension(exts, svc)
    etree.indent(root)  # readable diffs between releases; the signature covers it as is
    return root


def sign_tl(root: Any, key: Any, cert_der: bytes) -> bytes:
    """XAdES-sign (enveloped) the list and serialise it."""
    from signxml import SignatureConstructionMethod
    from signxml.xades import XAdESSigner

    if isinstance(key, ec.EllipticCurvePrivateKey):
        algorithm = "ecdsa-sha256" if key.curve.key_size <= 256 else "ecdsa-sha384"
    elif isinstance(key, rsa.RSAPrivateKey):
        algorithm = "rsa-sha256"
    else:
        raise BuildError("The list-signing key must be RSA or ECDSA.")
    cert = x509.load_der_x509_certificate(cert_der)
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        raise BuildError("The signer certificate does not match the signing key.")
    signer = XAdESSigner(
        method=SignatureConstructionMethod.enveloped, signature_algorithm=algorithm
    )
    signed = signer.sign(root, key=key, cert=[cert])
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the list is public
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(
    *,
    certs_dir: Path | Sequence[Path],
    key: Any,
    cert_der: bytes,
    sequence: int,
    anchors_dir: Path = ANCHORS_DIR,
    manifest_path: Path | Sequence[Path] | None = None,
    issued: datetime | None = None,
    validity_days: int = 365,
    distribution_point: str = "",
) -> tuple[bytes, list[JpService], list[str]]:
    """Compile, check and sign; returns the signed XML, the services, and notes.

    ``distribution_point``: the URL where this list (and its successors) is published;
    written as the list's ``DistributionPoints``, the app's default update URL.
    """
    tsps, specs = load_services(anchors_dir / "services.toml")
    sources = load_sources(anchors_dir / "sources.tsv")
    sources += load_pending(anchors_dir / "pending.tsv")
    manifest = load_manifest(manifest_path) if manifest_path else None
    services, notes = compile_services(tsps, specs, sources, certs_dir, manifest=manifest)
    issued = issued or datetime.now(UTC).replace(microsecond=0)
    root = build_tl_element(
        services,
        sequence=sequence,
        issued=issued,
        next_update=issued + timedelta(days=validity_days),
        tsp_names_ja={t.name_en: t.name_ja for t in tsps.values()},
        tsp_uris={t.name_en: t.uri for t in tsps.values()},
        distribution_point=distribution_point,
    )
    return sign_tl(root, key, cert_der), services, notes


def _load_key(path: Path) -> Any:
    password = os.environ.get("SHOMEI_JP_TL_KEY_PASSWORD")
    return serialization.load_pem_private_key(
        path.read_bytes(), password.encode() if password else None
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--certs",
        type=Path,
        action="append",
        required=True,
        help="folder with the certificate files (repeatable)",
    )
    p.add_argument(
        "--anchors", type=Path, default=ANCHORS_DIR, help="services.toml, sources.tsv, pending.tsv"
    )
    p.add_argument(
        "--manifest",
        type=Path,
        action="append",
        help="MANIFEST.tsv to check fingerprints against (repeatable)",
    )
    p.add_argument("--key", type=Path, default=os.environ.get("SHOMEI_JP_TL_KEY"))
    p.add_argument("--cert", type=Path, required=True, help="signer certificate (PEM)")
    p.add_argument("--sequence", type=int, required=True, help="TSLSequenceNumber")
    p.add_argument("--validity-days", type=int, default=365)
    p.add_argument(
        "--distribution-point",
        default="",
        metavar="URL",
        help="where this list is published (the app's default update URL)",
    )
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    if args.key is None:
        p.error("no signing key: pass --key or set SHOMEI_JP_TL_KEY")
    try:
        xml, services, notes = build(
            certs_dir=args.certs,
            key=_load_key(args.key),
            cert_der=read_cert(args.cert),
            sequence=args.sequence,
            anchors_dir=args.anchors,
            manifest_path=args.manifest,
            validity_days=args.validity_days,
            distribution_point=args.distribution_point,
        )
    except BuildError as e:
        print(f"refusing to build: {e}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    write_atomic(args.out, xml)
    n_certs = sum(len(s.certificates) for s in services)
    print(f"wrote {args.out}: {len(services)} services, {n_certs} certificates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "BuildError",
    "ServiceSpec",
    "SourceRow",
    "Tsp",
    "build",
    "build_tl_element",
    "compile_services",
    "load_manifest",
    "load_pending",
    "load_services",
    "load_sources",
    "main",
    "sign_tl",
    "write_atomic",
]
