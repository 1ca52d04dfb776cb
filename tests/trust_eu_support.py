"""Test trusted lists: a LOTL and national lists built and XAdES-signed in the
tests (signxml), with TLSO certificates made here with ``cryptography``, and a
small HTTP server on 127.0.0.1 serving them."""

from __future__ import annotations

import base64
import http.server
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

from tests.local_http import LocalServer, send_body, served
from tests.self_signed import cert_builder

TSL = "http://uri.etsi.org/02231/v2#"
ADD = "http://uri.etsi.org/02231/v2/additionaltypes#"
SIE = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TYPE_LOTL = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists"
TYPE_GENERIC = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric"
CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
QTST = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST"
STATUS = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/"
SIE_URI = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/"


@dataclass
class Tlso:
    """A trusted-list scheme operator's signing key and certificate."""

    key: Any
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_tlso(name: str) -> Tlso:
    key = rsa.generate_private_key(65537, 2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    now = datetime(2020, 1, 1, tzinfo=UTC)
    cert = (
        cert_builder(key, subject, valid_from=now, valid_until=now + timedelta(days=365 * 20))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .sign(key, hashes.SHA256())
    )
    return Tlso(key, cert)


@dataclass
class Service:
    name: str
    cert_der: bytes
    type_uri: str = CA_QC
    status: str = "granted"
    start: datetime = datetime(2020, 1, 1, tzinfo=UTC)
    #: older periods: (status, start), any order
    history: list[tuple[str, datetime]] = field(default_factory=list)
    #: qualifiers (tails) applied to certificates with the given policy OID / to all
    qualifiers: list[str] = field(default_factory=list)
    asi: list[str] = field(default_factory=list)
    unknown_critical_extension: bool = False


def _sub(parent: etree._Element, tag: str, text: str | None = None, ns: str = TSL) -> Any:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}")
    if text is not None:
        el.text = text
    return el


def _names(parent: etree._Element, tag: str, name: str) -> None:
    n = _sub(parent, tag)
    _sub(n, "Name", name).set(XML_LANG, "en")


def _dt(d: datetime) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _extensions(parent: etree._Element, svc: Service, quals: list[str], asi: list[str]) -> None:
    if not (quals or asi or svc.unknown_critical_extension):
        return
    exts = _sub(parent, "ServiceInformationExtensions")
    for uri in asi:
        ext = _sub(exts, "Extension")
        ext.set("Critical", "true")
        a = _sub(ext, "AdditionalServiceInformation")
        _sub(a, "URI", SIE_URI + uri).set(XML_LANG, "en")
    if quals:
        ext = _sub(exts, "Extension")
        ext.set("Critical", "true")
        q = _sub(ext, "Qualifications", ns=SIE)
        qe = _sub(q, "QualificationElement", ns=SIE)
        qs = _sub(qe, "Qualifiers", ns=SIE)
        for tail in quals:
            _sub(qs, "Qualifier", ns=SIE).set("uri", SIE_URI + tail)
        cl = _sub(qe, "CriteriaList", ns=SIE)
        cl.set("assert", "atLeastOne")
        ku = _sub(cl, "KeyUsage", ns=SIE)
        bit = _sub(ku, "KeyUsageBit", "true", ns=SIE)
        bit.set("name", "nonRepudiation")
        ku2 = _sub(cl, "KeyUsage", ns=SIE)
        bit2 = _sub(ku2, "KeyUsageBit", "true", ns=SIE)
        bit2.set("name", "digitalSignature")
    if svc.unknown_critical_extension:
        ext = _sub(exts, "Extension")
        ext.set("Critical", "true")
        _sub(ext, "ShomeiUnknownExtension", "must be understood", ns="urn:example:unknown")


def _scheme_info(
    root: etree._Element,
    *,
    seq: int,
    tsl_type: str,
    territory: str,
    issued: datetime,
    next_update: datetime | None,
    scheme_uris: tuple[str, ...] = (),
) -> Any:
    si = _sub(root, "SchemeInformation")
    _sub(si, "TSLVersionIdentifier", "6")
    _sub(si, "TSLSequenceNumber", str(seq))
    _sub(si, "TSLType", tsl_type)
    _names(si, "SchemeOperatorName", f"Test operator {territory}")
    sinfo = _sub(si, "SchemeInformationURI")
    for uri in (*scheme_uris, "https://example.invalid/scheme"):
        _sub(sinfo, "URI", uri).set(XML_LANG, "en")
    _sub(
        si,
        "StatusDeterminationApproach",
        "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate",
    )
    _sub(si, "SchemeTerritory", territory)
    return si


def _finish_scheme_info(si: Any, issued: datetime, next_update: datetime | None) -> None:
    _sub(si, "ListIssueDateTime", _dt(issued))
    nu = _sub(si, "NextUpdate")
    if next_update is not None:
        _sub(nu, "dateTime", _dt(next_update))


def build_tl(
    territory: str,
    seq: int,
    services: list[Service],
    *,
    issued: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    next_update: datetime | None = datetime(2027, 1, 1, tzinfo=UTC),
    tsl_type: str = TYPE_GENERIC,
) -> etree._Element:
    root = etree.Element(f"{{{TSL}}}TrustServiceStatusList", nsmap={None: TSL, "ns3": ADD})
    root.set("Id", f"TL-{territory}")
    root.set("TSLTag", "http://uri.etsi.org/19612/TSLTag")
    si = _scheme_info(
        root,
        seq=seq,
        tsl_type=tsl_type,
        territory=territory,
        issued=issued,
        next_update=next_update,
    )
    _finish_scheme_info(si, issued, next_update)
    tspl = _sub(root, "TrustServiceProviderList")
    tsp = _sub(tspl, "TrustServiceProvider")
    info = _sub(tsp, "TSPInformation")
    _names(info, "TSPName", f"Test TSP {territory}")
    svcs = _sub(tsp, "TSPServices")
    for svc in services:
        s = _sub(svcs, "TSPService")
        si2 = _sub(s, "ServiceInformation")
        _service_status(si2, svc, svc.status, svc.start)
        _extensions(si2, svc, svc.qualifiers, svc.asi)
        if svc.history:
            hist = _sub(s, "ServiceHistory")
            for status, start in svc.history:
                h = _sub(hist, "ServiceHistoryInstance")
                _service_status(h, svc, status, start)
                _extensions(h, Service(svc.name, b""), svc.qualifiers, svc.asi)
    return root


def _service_status(parent: etree._Element, svc: Service, status: str, start: datetime) -> None:
    """Type, name, certificate, status and its start: what a service's current
    information and each of its history instances both carry."""
    _sub(parent, "ServiceTypeIdentifier", svc.type_uri)
    _names(parent, "ServiceName", svc.name)
    sdi = _sub(parent, "ServiceDigitalIdentity")
    did = _sub(sdi, "DigitalId")
    _sub(did, "X509Certificate", base64.b64encode(svc.cert_der).decode())
    _sub(parent, "ServiceStatus", STATUS + status)
    _sub(parent, "StatusStartingTime", _dt(start))


def build_lotl(
    seq: int,
    pointers: list[tuple[str, str, list[bytes]]],
    *,
    issued: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    next_update: datetime | None = datetime(2027, 1, 1, tzinfo=UTC),
    self_url: str = "http://127.0.0.1/lotl.xml",
    lotl_signers: list[bytes] | None = None,
    pivot_urls: tuple[str, ...] = (),
) -> etree._Element:
    """``pointers``: (territory, url, TLSO certificates DER); ``lotl_signers``:
    the signers announced for the next LOTLs; ``pivot_urls``: pivot LOTLs."""
    root = etree.Element(f"{{{TSL}}}TrustServiceStatusList", nsmap={None: TSL, "ns3": ADD})
    root.set("Id", "LOTL")
    si = _scheme_info(
        root,
        seq=seq,
        tsl_type=TYPE_LOTL,
        territory="EU",
        issued=issued,
        next_update=next_update,
        scheme_uris=pivot_urls,
    )
    ptrs = _sub(si, "PointersToOtherTSL")
    all_ptrs = [("EU", self_url, lotl_signers or []), *pointers]
    for territory, url, certs in all_ptrs:
        p = _sub(ptrs, "OtherTSLPointer")
        sdis = _sub(p, "ServiceDigitalIdentities")
        for der in certs:
            sdi = _sub(sdis, "ServiceDigitalIdentity")
            did = _sub(sdi, "DigitalId")
            _sub(did, "X509Certificate", base64.b64encode(der).decode())
        _sub(p, "TSLLocation", url)
        ai = _sub(p, "AdditionalInformation")
        _sub(
            _sub(ai, "OtherInformation"),
            "TSLType",
            TYPE_LOTL if territory == "EU" else TYPE_GENERIC,
        )
        _sub(_sub(ai, "OtherInformation"), "SchemeTerritory", territory)
        _sub(_sub(ai, "OtherInformation"), "MimeType", "application/vnd.etsi.tsl+xml", ns=ADD)
        rules = _sub(_sub(ai, "OtherInformation"), "SchemeTypeCommunityRules")
        rule = (
            "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUlistofthelists"
            if territory == "EU"
            else "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon"
        )
        _sub(rules, "URI", rule).set(XML_LANG, "en")
    _finish_scheme_info(si, issued, next_update)
    return root


def sign(root: etree._Element, tlso: Tlso) -> bytes:
    """XAdES-BES enveloped signature over the whole list."""
    from signxml import DigestAlgorithm
    from signxml.xades import XAdESSigner

    signer = XAdESSigner(signature_algorithm="rsa-sha256", digest_algorithm=DigestAlgorithm.SHA256)
    key_pem = tlso.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signed = signer.sign(root, key=key_pem, cert=[tlso.pem.decode()])
    out: bytes = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    return out


class ListServer(LocalServer):
    """Serves ``files`` (path -> bytes) on 127.0.0.1; unknown paths get 404,
    paths in ``broken`` get 503 (an unreachable territory)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.broken: set[str] = set()
        self.hits: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                if self.path in outer.broken:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = outer.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                send_body(self, body, "application/vnd.etsi.tsl+xml")

            def log_message(self, *args: Any) -> None:
                return None

        super().__init__(Handler)

    def url(self, path: str) -> str:
        return self.base_url + path


def serve() -> Iterator[ListServer]:
    return served(ListServer())
