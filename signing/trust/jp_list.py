"""The Japanese trust list: a signed ETSI TS 119 612 document that Shomei compiles.

Japan publishes no machine-readable trusted list, so ``packaging/build_jp_trust_list.py``
compiles one from curated certificates, signs it (XAdES, enveloped) with the project key,
and the app pins the project signer certificates in ``resources/trust/jp/signers/``.

The document is a genuine TS 119 612 list, so the EU parsing code reads it too, but it
can never be taken for an EU list: scheme territory ``JP``, a TSL type of our own, and
every service has status *recognised at national level* (never *granted*) and a
non-qualified service type. What each service means in Japanese law lives in a
service-information extension in our namespace (:data:`NS_JP`, documented in
``resources/trust/jp/README.md``).

Reading is safe by construction: documents with a DTD (entities, XXE) are refused
before any parsing of content, and only the part covered by a verified signature is read.
"""

from __future__ import annotations

import base64
import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from signing.errors import TrustListError
from signing.model.reasons import causes
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.trust.tl_xml import parse_safely

NS_TSL = "http://uri.etsi.org/02231/v2#"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
#: our service-information extension (see resources/trust/jp/README.md)
NS_JP = "http://shomei.example/ns/jp-trust/v1#"
NS_XML = "http://www.w3.org/XML/1998/namespace"

JP_TSL_TYPE = "http://shomei.example/TrstSvc/TrustedList/TSLType/JP-compiled"
JP_SCHEME_RULES = "http://shomei.example/TrstSvc/TrustedList/schemerules/JP-compiled"
STATUS_RECOGNISED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel"
STATUS_DEPRECATED = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/deprecatedatnationallevel"
SVC_TYPE_CA_PKC = "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC"
SVC_TYPE_TSA = "http://uri.etsi.org/TrstSvc/Svctype/TSA"
#: AdditionalServiceInformation URI per legal basis: what a future MRA would map
LEGAL_BASIS_URI_BASE = "http://shomei.example/TrstSvc/JP/LegalBasis/"

_EU_TSL_TYPES = (
    "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists",
    "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric",
)
_ALLOWED_STATUSES = (STATUS_RECOGNISED, STATUS_DEPRECATED)
_ALLOWED_SERVICE_TYPES = (SVC_TYPE_CA_PKC, SVC_TYPE_TSA)


def bundled_dir() -> Path:
    """``resources/trust/jp`` of the installed app (or of the source tree)."""
    from signing.trust.eu import resources_dir

    return resources_dir() / "trust" / "jp"


def bundled_list_path() -> Path:
    return bundled_dir() / "JP-TL.xml"


class LegalBasis(enum.Enum):
    """Why a Japanese service is in the list."""

    JPKI_SIGNATURE = "jpki-signature"
    JPKI_AUTHENTICATION = "jpki-authentication"
    ACCREDITED_CA = "accredited-ca"
    COMMERCIAL_REGISTRATION = "commercial-registration"
    GPKI = "gpki"
    LGPKI = "lgpki"
    ACCREDITED_TSA = "accredited-tsa"
    ACCREDITED_ESEAL = "accredited-eseal"
    HPKI = "hpki"
    COMMERCIAL = "commercial"  # a Japanese CA or TSA without statutory accreditation

    @property
    def uri(self) -> str:
        return LEGAL_BASIS_URI_BASE + self.value


#: (English, Japanese) description of each legal basis, written into the list
LEGAL_BASIS_TEXT: dict[LegalBasis, tuple[str, str]] = {
    LegalBasis.JPKI_SIGNATURE: (
        "JPKI signature certificate under the Act on Certification Services of J-LIS for "
        "Electronic Signatures (Public Certification Act)",
        "電子署名等に係る地方公共団体情報システム機構の認証業務に関する法律"
        "（公的個人認証法）に基づく署名用電子証明書",
    ),
    LegalBasis.JPKI_AUTHENTICATION: (
        "JPKI user-authentication certificate under the Public Certification Act: "
        "proves identity at log-in, not a signature certificate under the Act",
        "公的個人認証法に基づく利用者証明用電子証明書（署名用電子証明書ではない）",
    ),
    LegalBasis.ACCREDITED_CA: (
        "Accredited certification business under the Act on Electronic Signatures and "
        "Certification Business (E-Signature Act)",
        "電子署名及び認証業務に関する法律（電子署名法）に基づく認定認証業務",
    ),
    LegalBasis.COMMERCIAL_REGISTRATION: (
        "Commercial registration electronic certificate issued by the Ministry of Justice",
        "法務省 商業登記電子証明書（商業登記に基礎を置く電子認証制度）",
    ),
    LegalBasis.GPKI: (
        "Government Public Key Infrastructure (GPKI) of the Government of Japan",
        "政府認証基盤（GPKI）",
    ),
    LegalBasis.LGPKI: (
        "Local Government Public Key Infrastructure (LGPKI)",
        "地方公共団体組織認証基盤（LGPKI）",
    ),
    LegalBasis.ACCREDITED_TSA: (
        "Time-stamping service accredited by the Minister for Internal Affairs and Communications",
        "総務大臣による認定タイムスタンプ（時刻認証業務の認定）",
    ),
    LegalBasis.ACCREDITED_ESEAL: (
        "E-seal service accredited by the Minister for Internal Affairs and Communications",
        "総務大臣による認定eシール",
    ),
    LegalBasis.HPKI: (
        "Healthcare PKI (HPKI) under the MHLW certificate policy",
        "厚生労働省 保健医療福祉分野PKI（HPKI）証明書ポリシーに基づく認証局",
    ),
    LegalBasis.COMMERCIAL: (
        "Japanese commercial certification authority, not accredited under a statute",
        "民間認証局（法令に基づく認定なし）",
    ),
}


class AnchorRole(enum.Enum):
    ANCHOR = "anchor"  # a root: chains may end here
    INTERMEDIATE = (
        "intermediate"  # helps chain building and says what the chain is, never trusted alone
    )


class CertUse(enum.Enum):
    """What certificates under the service may be used for."""

    SIGNATURE = "signature"
    TIMESTAMP = "timestamp"
    AUTHENTICATION_ONLY = "authentication-only"
    TLS_ONLY = "tls-only"
    SMIME_ONLY = "smime-only"


class RevocationAccess(enum.Enum):
    """How a relying party reaches revocation status for certificates under the service."""

    PUBLIC = "public"  # CRL / OCSP at URLs anyone may use
    REGISTERED_VERIFIERS = "registered-verifiers"  # JPKI: only 署名検証者 registered with J-LIS
    DIRECTORY_NAME_ONLY = "directory-name-only"  # GPKI officials: CRL DP names a directory entry


@dataclass(frozen=True)
class CertProvenance:
    """Where one certificate generation of a service came from."""

    sha256_hex: str
    #: 1 for the oldest generation
    generation: int
    #: the copy that was compiled (repository:path@commit, or a maintainer's download)
    source: str
    #: the publisher's page or file
    official_url: str
    #: ISO date the copy was retrieved
    retrieved: str
    licence: str


@dataclass(frozen=True)
class JpService:
    """One service of the list: one anchor (or intermediate) with all its generations."""

    service_id: str
    name_en: str
    name_ja: str
    tsp_name: str
    legal_basis: LegalBasis
    role: AnchorRole
    use: CertUse
    revocation: RevocationAccess
    #: DER of every certificate generation (pick the issuer by signature, not by name)
    certificates: tuple[bytes, ...]
    provenance: tuple[CertProvenance, ...] = ()
    #: a certificate "counts" under the basis if one of its policies starts with one of these
    #: (empty: no policy requirement)
    policy_oid_prefixes: tuple[str, ...] = ()
    #: key usages the end-entity certificate must have (names as in RFC 5280, camelCase)
    key_usage: tuple[str, ...] = ()
    #: extended key usages (dotted OIDs) the end-entity certificate must have
    ext_key_usage: tuple[str, ...] = ()
    revocation_note: str = ""
    caveats: tuple[str, ...] = ()
    service_type: str = SVC_TYPE_CA_PKC
    status: str = STATUS_RECOGNISED
    #: the accreditation period where the publisher states it (accredited services)
    accredited_from: datetime | None = None
    accredited_until: datetime | None = None
    #: a basis someone claims for the service that the official registers have not
    #: confirmed yet (e.g. iTrust's e-seal accreditation): the service counts under
    #: ``legal_basis`` only, and the Japanese status says the claim is unverified
    unverified_basis: LegalBasis | None = None

    def accredited_at(self, at: datetime) -> bool:
        """``at`` falls inside the stated accreditation period (no stated bound: open)."""
        if self.accredited_from is not None and at < self.accredited_from:
            return False
        return self.accredited_until is None or at <= self.accredited_until

    @property
    def sha256s(self) -> tuple[str, ...]:
        return tuple(hashlib.sha256(der).hexdigest() for der in self.certificates)


@dataclass(frozen=True)
class JpTrustList:
    """A loaded Japanese trust list (signature already verified, if it came through
    :func:`load_jp_trust_list`)."""

    territory: str
    tsl_type: str
    sequence_number: int
    issued: datetime | None
    next_update: datetime | None
    services: tuple[JpService, ...]
    #: the pinned certificate the signature verified against
    signer_cert_der: bytes | None = None
    #: where the list says it is published (``DistributionPoints``): the default
    #: update URL, set by whoever built and signed it
    distribution_points: tuple[str, ...] = ()

    def anchors(self) -> tuple[TrustAnchor, ...]:
        """Roots to build chains to: every generation of every anchor service whose
        certificates are meant for documents (signatures, timestamps, and the JPKI
        authentication CA so that such signatures can be recognised and flagged)."""
        out: list[TrustAnchor] = []
        for svc in self.services:
            if svc.role is not AnchorRole.ANCHOR or svc.status != STATUS_RECOGNISED:
                continue
            if svc.use in (CertUse.TLS_ONLY, CertUse.SMIME_ONLY):
                continue
            out.extend(
                TrustAnchor(cert_der=der, origin=AnchorOrigin.JP_TRUST_LIST, source=svc.name_en)
                for der in svc.certificates
            )
        return tuple(out)

    def intermediates(self) -> tuple[bytes, ...]:
        """Listed intermediate CA certificates, to help chain building."""
        return tuple(
            der
            for svc in self.services
            if svc.role is AnchorRole.INTERMEDIATE
            for der in svc.certificates
        )

    def service_for_cert(self, cert_der: bytes) -> JpService | None:
        """The service that lists exactly this certificate, if any."""
        digest = hashlib.sha256(cert_der).hexdigest()
        for svc in self.services:
            if digest in svc.sha256s:
                return svc
        return None

    def is_stale(self, at: datetime) -> bool:
        """``NextUpdate`` has passed: a newer list should exist."""
        return self.next_update is not None and at > self.next_update

    def service(self, service_id: str) -> JpService:
        for svc in self.services:
            if svc.service_id == service_id:
                return svc
        raise KeyError(service_id)


# --- reading the signed document ---------------------------------------------


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _text(el: Any, path: str) -> str | None:
    found = el.find(path, namespaces={"t": NS_TSL, "jp": NS_JP})
    if found is None or found.text is None:
        return None
    return str(found.text).strip()


def _required(el: Any, path: str, message: str, *, ja: str) -> Any:
    """The element at ``path`` below ``el``; the list is refused without it."""
    found = el.find(path, namespaces={"t": NS_TSL, "jp": NS_JP})
    if found is None:
        raise TrustListError(message, ja=ja)
    return found


def _texts(el: Any, path: str) -> tuple[str, ...]:
    return tuple(
        str(x.text).strip()
        for x in el.findall(path, namespaces={"t": NS_TSL, "jp": NS_JP})
        if x.text is not None
    )


def _lang_text(el: Any, path: str, lang: str) -> str | None:
    for x in el.findall(path, namespaces={"t": NS_TSL, "jp": NS_JP}):
        if x.get(_q(NS_XML, "lang")) == lang and x.text:
            return str(x.text).strip()
    return None


def _dt(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _enum(cls: Any, value: str | None, what: str) -> Any:
    try:
        return cls(value)
    except ValueError as e:
        raise TrustListError(
            f"Japanese trust list: unknown {what} {value!r}.",
            ja=f"日本のトラストリスト：不明な{what}です（{value!r}）。",
        ) from e


def _parse_service(svc_el: Any, tsp_name: str) -> JpService:
    info = _required(
        svc_el,
        "t:ServiceInformation",
        "Japanese trust list: a service has no ServiceInformation.",
        ja="日本のトラストリスト：ServiceInformationのないサービスがあります。",
    )
    service_type = _text(info, "t:ServiceTypeIdentifier") or ""
    status = _text(info, "t:ServiceStatus") or ""
    name_en = _lang_text(info, "t:ServiceName/t:Name", "en") or ""
    if service_type not in _ALLOWED_SERVICE_TYPES:
        raise TrustListError(
            f"Japanese trust list: service {name_en!r} has service type {service_type!r}; "
            "only non-qualified types (CA/PKC, TSA) may appear in it.",
            ja=f"日本のトラストリスト：サービス{name_en!r}の種類は{service_type!r}です。"
            "載せられるのは適格でない種類（CA/PKC、TSA）だけです。",
        )
    if status not in _ALLOWED_STATUSES:
        raise TrustListError(
            f"Japanese trust list: service {name_en!r} has status {status!r}; only "
            "'recognised at national level' may appear (never an EU qualified status).",
            ja=f"日本のトラストリスト：サービス{name_en!r}の状態は{status!r}です。"
            "載せられるのは「国レベルで承認」だけです（EUの適格の状態は不可）。",
        )
    certs = tuple(
        _b64cert(t) for t in _texts(info, "t:ServiceDigitalIdentity/t:DigitalId/t:X509Certificate")
    )
    if not certs:
        raise TrustListError(
            f"Japanese trust list: service {name_en!r} lists no certificate.",
            ja=f"日本のトラストリスト：サービス{name_en!r}に証明書が記載されていません。",
        )
    ext = _required(
        info,
        "t:ServiceInformationExtensions/t:Extension/jp:JapaneseTrustInfo",
        f"Japanese trust list: service {name_en!r} lacks its JapaneseTrustInfo extension.",
        ja=f"日本のトラストリスト：サービス{name_en!r}にJapaneseTrustInfo拡張がありません。",
    )
    basis_el = ext.find("jp:LegalBasis", namespaces={"jp": NS_JP})
    provenance = []
    for c in ext.findall("jp:Provenance/jp:Certificate", namespaces={"jp": NS_JP}):
        provenance.append(
            CertProvenance(
                sha256_hex=(c.get("sha256") or "").lower(),
                generation=int(c.get("generation") or 0),
                source=_text(c, "jp:Source") or "",
                official_url=_text(c, "jp:OfficialURL") or "",
                retrieved=_text(c, "jp:Retrieved") or "",
                licence=_text(c, "jp:Licence") or "",
            )
        )
    revocation_el = ext.find("jp:Revocation", namespaces={"jp": NS_JP})
    accreditation = ext.find("jp:Accreditation", namespaces={"jp": NS_JP})
    unverified = ext.find("jp:UnverifiedClaim", namespaces={"jp": NS_JP})
    return JpService(
        service_id=_text(ext, "jp:ServiceId") or name_en,
        name_en=name_en,
        name_ja=_lang_text(info, "t:ServiceName/t:Name", "ja") or name_en,
        tsp_name=tsp_name,
        legal_basis=_enum(
            LegalBasis, None if basis_el is None else basis_el.get("code"), "legal basis"
        ),
        role=_enum(AnchorRole, _text(ext, "jp:Role"), "role"),
        use=_enum(CertUse, _text(ext, "jp:Use"), "certificate use"),
        revocation=_enum(
            RevocationAccess,
            None if revocation_el is None else revocation_el.get("access"),
            "revocation access",
        ),
        certificates=certs,
        provenance=tuple(provenance),
        policy_oid_prefixes=_texts(ext, "jp:CountingCertificates/jp:PolicyOIDPrefix"),
        key_usage=_texts(ext, "jp:CountingCertificates/jp:KeyUsage"),
        ext_key_usage=_texts(ext, "jp:CountingCertificates/jp:ExtendedKeyUsage"),
        revocation_note=(
            "" if revocation_el is None else (_lang_text(revocation_el, "jp:Text", "en") or "")
        ),
        caveats=_texts(ext, "jp:Caveat"),
        service_type=service_type,
        status=status,
        accredited_from=None if accreditation is None else _dt(accreditation.get("from")),
        accredited_until=None if accreditation is None else _dt(accreditation.get("until")),
        unverified_basis=(
            None
            if unverified is None
            else _enum(LegalBasis, unverified.get("code"), "unverified legal basis")
        ),
    )


def _b64cert(text: str) -> bytes:
    der = base64.b64decode("".join(text.split()))
    try:
        x509.load_der_x509_certificate(der)
    except ValueError as e:
        cause = causes.certificate_parse()
        raise TrustListError(
            f"Japanese trust list: a listed certificate is invalid ({cause.en}).",
            ja=f"日本のトラストリスト：記載された証明書が不正です（{cause.ja}）。",
            technical=str(e),
        ) from e
    return der


def parse_jp_trust_list_element(root: Any, signer_cert_der: bytes | None = None) -> JpTrustList:
    """Read an already verified ``TrustServiceStatusList`` element."""
    if root.tag != _q(NS_TSL, "TrustServiceStatusList"):
        raise TrustListError(
            "This is not an ETSI TS 119 612 trust list.",
            ja="ETSI TS 119 612のトラストリストではありません。",
        )
    scheme = _required(
        root,
        "t:SchemeInformation",
        "The trust list has no SchemeInformation.",
        ja="トラストリストにSchemeInformationがありません。",
    )
    territory = _text(scheme, "t:SchemeTerritory") or ""
    tsl_type = _text(scheme, "t:TSLType") or ""
    if tsl_type in _EU_TSL_TYPES or tsl_type != JP_TSL_TYPE:
        raise TrustListError(
            f"This trust list has TSL type {tsl_type!r}, not the Shomei Japanese list type.",
            ja=f"このトラストリストのTSL種別は{tsl_type!r}で、Shomeiの日本のリストの種別ではありません。",
        )
    if territory != "JP":
        raise TrustListError(
            f"The Japanese trust list has scheme territory {territory!r}.",
            ja=f"日本のトラストリストのスキーム地域が{territory!r}になっています。",
        )
    services = []
    for tsp in root.findall(
        "t:TrustServiceProviderList/t:TrustServiceProvider", namespaces={"t": NS_TSL}
    ):
        tsp_name = _lang_text(tsp, "t:TSPInformation/t:TSPName/t:Name", "en") or ""
        for svc in tsp.findall("t:TSPServices/t:TSPService", namespaces={"t": NS_TSL}):
            services.append(_parse_service(svc, tsp_name))
    return JpTrustList(
        territory=territory,
        tsl_type=tsl_type,
        sequence_number=int(_text(scheme, "t:TSLSequenceNumber") or 0),
        issued=_dt(_text(scheme, "t:ListIssueDateTime")),
        next_update=_dt(_text(scheme, "t:NextUpdate/t:dateTime")),
        services=tuple(services),
        signer_cert_der=signer_cert_der,
        distribution_points=tuple(
            u
            for u in _texts(scheme, "t:DistributionPoints/t:URI")
            if u.startswith(("https://", "http://"))
        ),
    )


def load_jp_trust_list(xml: bytes, pinned_signers: Sequence[bytes]) -> JpTrustList:
    """Verify the list's XAdES signature against the pinned signer certificates and
    parse the signed content.

    :raises TrustListError: no pinned certificate verifies the signature, the document
        carries a DTD, or the content is not a Shomei Japanese list.
    """
    from signxml.exceptions import SignXMLException
    from signxml.xades.xades import XAdESSignatureConfiguration, XAdESVerifier

    parse_safely(xml)  # refuse DTDs before the XML-DSig library sees the bytes
    if not pinned_signers:
        raise TrustListError(
            "No pinned signer certificate for the Japanese trust list.",
            ja="日本のトラストリストの署名者証明書が固定されていません。",
        )
    errors = []
    for der in pinned_signers:
        cert = x509.load_der_x509_certificate(der)
        try:
            results = XAdESVerifier().verify(
                xml,
                x509_cert=cert,
                expect_config=XAdESSignatureConfiguration(
                    require_x509=True, expect_references=True
                ),
            )
        except SignXMLException as e:
            errors.append(f"{cert.subject.rfc4514_string()}: {e}")
            continue
        for result in results:
            signed = result.signed_xml
            if signed is not None and signed.tag == _q(NS_TSL, "TrustServiceStatusList"):
                return parse_jp_trust_list_element(signed, signer_cert_der=der)
        errors.append(f"{cert.subject.rfc4514_string()}: the signature does not cover the list")
    raise TrustListError(
        "The Japanese trust list's signature does not verify against any pinned Shomei "
        "signer certificate, so it was not used (" + "; ".join(errors) + ").",
        ja="日本のトラストリストの署名は、固定されたShomeiの署名者証明書のいずれでも"
        "検証できないため使用しませんでした（" + "／".join(errors) + "）。",
    )


def accept_update(current: JpTrustList | None, candidate: JpTrustList) -> JpTrustList:
    """The verified ``candidate`` if it may replace ``current``; a lower sequence number
    is a rollback (an old list replayed) and is refused."""
    if current is not None and candidate.sequence_number < current.sequence_number:
        raise TrustListError(
            f"The downloaded Japanese trust list (sequence {candidate.sequence_number}) is "
            f"older than the one in use (sequence {current.sequence_number}); it was refused.",
            ja=f"ダウンロードした日本のトラストリスト（シーケンス{candidate.sequence_number}）は"
            f"使用中のもの（シーケンス{current.sequence_number}）より古いため拒否しました。",
        )
    return candidate


def pinned_signer_certs(directory: Path | None = None) -> tuple[bytes, ...]:
    """Every pinned list-signer certificate (PEM or DER files) in ``directory``
    (default: the app's ``resources/trust/jp/signers``)."""
    out: list[bytes] = []
    directory = directory if directory is not None else bundled_dir() / "signers"
    for path in sorted(directory.glob("*")):
        if path.suffix.lower() not in (".pem", ".crt", ".cer", ".der"):
            continue
        data = path.read_bytes()
        if b"-----BEGIN" in data:
            for cert in x509.load_pem_x509_certificates(data):
                out.append(cert.public_bytes(Encoding.DER))
        else:
            out.append(x509.load_der_x509_certificate(data).public_bytes(Encoding.DER))
    return tuple(out)


def load_bundled_jp_trust_list() -> JpTrustList:
    """The list shipped with the app, verified against the pinned signers."""
    try:
        xml = bundled_list_path().read_bytes()
    except OSError as e:
        raise TrustListError(
            f"The bundled Japanese trust list cannot be read: {e}",
            ja=f"同梱の日本のトラストリストを読み取れません（{causes.file_problem(e).ja}）。",
            technical=str(e),
        ) from e
    return load_jp_trust_list(xml, pinned_signer_certs())
