"""The Japanese column of a validation: what a signature (or a timestamp) is under
Japanese law, according to Shomei's Japanese trust list.

This never touches the EU qualification: a Japanese status is national recognition,
and nothing here can make a signature EU-qualified (see ``signing/trust/mra.py`` for
how a future EU-Japan mutual recognition would be expressed).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

from signing.model.reasons import japan as J
from signing.model.results import JapaneseStatus, Reason, TrustPath
from signing.trust.anchors import AnchorOrigin
from signing.trust.jp_list import (
    LEGAL_BASIS_TEXT,
    STATUS_DEPRECATED,
    AnchorRole,
    CertUse,
    JpService,
    JpTrustList,
    LegalBasis,
    RevocationAccess,
)

#: J-LIS arc of the subjectAltName attributes of JPKI certificates (name, sex, birth, address)
JPKI_SAN_ARC = "1.2.392.200149.8.5.5."
JPKI_SIGN_POLICY_ARC = "1.2.392.200149.8.5.1.1"
JPKI_AUTH_POLICY_ARC = "1.2.392.200149.8.5.1.3"

#: code -> (English label, Japanese label)
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "jpki-signature": (
        "JPKI signature certificate (公的個人認証 署名用電子証明書)",
        "公的個人認証 署名用電子証明書",
    ),
    "jpki-authentication": (
        "JPKI user-authentication certificate, not a signature certificate under the Act "
        "(公的個人認証 利用者証明用電子証明書)",
        "公的個人認証 利用者証明用電子証明書（法に基づく署名用電子証明書ではない）",
    ),
    "accredited-ca": (
        "Accredited certification business (認定認証業務)",
        "電子署名法に基づく認定認証業務",
    ),
    "commercial-registration": (
        "Commercial registration certificate (商業登記電子証明書)",
        "商業登記電子証明書",
    ),
    "gpki": ("Government (GPKI)", "政府認証基盤（GPKI）"),
    "lgpki": ("LGPKI", "地方公共団体組織認証基盤（LGPKI）"),
    "accredited-tsa": ("Accredited timestamp (認定タイムスタンプ)", "認定タイムスタンプ"),
    "accredited-eseal": ("Accredited e-seal (認定eシール)", "認定eシール"),
    "hpki": ("Healthcare PKI (HPKI)", "保健医療福祉分野PKI（HPKI）"),
    "hpki-authentication": (
        "HPKI authentication certificate, not a signature certificate",
        "HPKI 認証用証明書（署名用ではない）",
    ),
    "commercial": (
        "Japanese commercial CA, not accredited (民間認証局)",
        "民間認証局（認定なし）",
    ),
    "commercial-tsa": (
        "Japanese commercial timestamp, not accredited (民間タイムスタンプ)",
        "民間タイムスタンプ（認定なし）",
    ),
    "not-a-japanese-anchor": ("Not a Japanese anchor", "日本のトラストアンカーではない"),
}

#: how the anchor is named in the revocation explanation
_CA_PHRASE: dict[LegalBasis, tuple[str, str]] = {
    LegalBasis.JPKI_SIGNATURE: ("the JPKI signature CA", "公的個人認証サービス署名用認証局"),
    LegalBasis.JPKI_AUTHENTICATION: (
        "the JPKI user-authentication CA",
        "公的個人認証サービス利用者証明用認証局",
    ),
}


def _status(code: str, long_term: bool, svc: JpService | None = None) -> JapaneseStatus:
    en, ja = STATUS_LABELS[code]
    if code == "accredited-tsa" and svc is not None:
        # name the service: "which accredited TSA" is what a reader checks
        en = f"Accredited time-stamping service, {svc.name_en} (総務大臣認定タイムスタンプ)"
        ja = f"総務大臣認定タイムスタンプ（{svc.name_ja}）"
    return JapaneseStatus(code=code, en=en, ja=ja, long_term_profile=long_term)


def _load(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """``issuer`` issued ``cert``: names match *and* the signature verifies (several JPKI
    CA generations share one subject name). Unlike cryptography's
    ``verify_directly_issued_by`` this accepts SHA-1 signatures, which historical
    Japanese roots and CAs still carry."""
    if cert.issuer != issuer.subject:
        return False
    key = issuer.public_key()
    params = cert.signature_algorithm_parameters
    algorithm = cert.signature_hash_algorithm
    try:
        if isinstance(key, rsa.RSAPublicKey):
            if not isinstance(params, padding.PKCS1v15 | padding.PSS) or algorithm is None:
                return False
            key.verify(cert.signature, cert.tbs_certificate_bytes, params, algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            if not isinstance(params, ec.ECDSA):
                return False
            key.verify(cert.signature, cert.tbs_certificate_bytes, params)
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes)
        else:
            return False
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True


def build_path(
    signer: x509.Certificate,
    pool: Sequence[x509.Certificate],
    named: Sequence[tuple[x509.Name, x509.Certificate]] = (),
) -> list[x509.Certificate]:
    """The signer and its issuers, each chosen by signature from ``pool`` (and
    ``named``: certificates with their subject already read, which costs), up to a
    self-signed certificate or the first issuer that they lack."""
    candidates = [*((c.subject, c) for c in pool), *named]
    path = [signer]
    current = signer
    while len(path) < 12:
        if current.issuer == current.subject and signed_by(current, current):
            break  # self-signed: the top
        wanted = current.issuer
        issuer = next(
            (c for name, c in candidates if name == wanted and signed_by(current, c)), None
        )
        if issuer is None or issuer in path:
            break
        path.append(issuer)
        current = issuer
    return path


def _ext(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> x509.ExtensionType | None:
    try:
        return cert.extensions.get_extension_for_oid(oid).value
    except x509.ExtensionNotFound:
        return None


def _policies(cert: x509.Certificate) -> tuple[str, ...]:
    ext = _ext(cert, ExtensionOID.CERTIFICATE_POLICIES)
    if not isinstance(ext, x509.CertificatePolicies):
        return ()
    return tuple(p.policy_identifier.dotted_string for p in ext)


def _has_key_usage(cert: x509.Certificate, name: str) -> bool:
    ku = _ext(cert, ExtensionOID.KEY_USAGE)
    if not isinstance(ku, x509.KeyUsage):
        return False
    attr = {
        "digitalSignature": "digital_signature",
        "nonRepudiation": "content_commitment",
        "contentCommitment": "content_commitment",
    }.get(name, name)
    return bool(getattr(ku, attr, False))


def _ekus(cert: x509.Certificate) -> tuple[str, ...]:
    eku = _ext(cert, ExtensionOID.EXTENDED_KEY_USAGE)
    if not isinstance(eku, x509.ExtendedKeyUsage):
        return ()
    return tuple(o.dotted_string for o in eku)


def has_revocation_url(cert: x509.Certificate) -> bool:
    """Whether the certificate points at a CRL or OCSP responder by URL."""
    crl_dp = _ext(cert, ExtensionOID.CRL_DISTRIBUTION_POINTS)
    if isinstance(crl_dp, x509.CRLDistributionPoints):
        for dp in crl_dp:
            if any(isinstance(n, x509.UniformResourceIdentifier) for n in dp.full_name or ()):
                return True
    aia = _ext(cert, ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    if isinstance(aia, x509.AuthorityInformationAccess):
        for desc in aia:
            if desc.access_method == AuthorityInformationAccessOID.OCSP:
                return True
    return False


def _names(svc: JpService) -> tuple[str, str]:
    return svc.name_en, svc.name_ja


def _counting_reasons(signer: x509.Certificate, svc: JpService) -> list[Reason]:
    """Does the end-entity certificate meet what the legal basis counts?"""
    reasons = []
    policies = _policies(signer)
    if svc.policy_oid_prefixes and not any(
        p == pre or p.startswith(pre + ".") for p in policies for pre in svc.policy_oid_prefixes
    ):
        reasons.append(J.policy_not_counting(_names(svc), svc.policy_oid_prefixes))
    for ku in svc.key_usage:
        if not _has_key_usage(signer, ku):
            reasons.append(J.key_usage_not_counting(_names(svc), ku))
    for eku in svc.ext_key_usage:
        if eku not in _ekus(signer):
            reasons.append(J.eku_not_counting(_names(svc), eku))
    return reasons


def _status_code(svc: JpService) -> str:
    basis = svc.legal_basis
    if svc.use is CertUse.AUTHENTICATION_ONLY:
        return "hpki-authentication" if basis is LegalBasis.HPKI else "jpki-authentication"
    if basis is LegalBasis.COMMERCIAL:
        return "commercial-tsa" if svc.use is CertUse.TIMESTAMP else "commercial"
    return str(basis.value)


@functools.lru_cache(maxsize=4)
def _listed(jp: JpTrustList) -> tuple[tuple[x509.Name, x509.Certificate, JpService], ...]:
    """Every certificate of the list, parsed once per list (every signature and
    timestamp of a batch asks)."""
    out = []
    for svc in jp.services:
        for der in svc.certificates:
            cert = _load(der)
            out.append((cert.subject, cert, svc))
    return tuple(out)


def japanese_assessment(
    signer_der: bytes,
    chain_ders: Sequence[bytes],
    *,
    at: datetime,
    jp: JpTrustList,
    has_revocation_data: bool,
    has_archive_timestamp: bool,
) -> tuple[JapaneseStatus, tuple[Reason, ...], TrustPath]:
    """The Japanese status of a signer (or TSA) certificate at time ``at``, its
    reasons, and the path it was decided on.

    ``chain_ders`` are the other certificates known for the signature (from the file or
    the validation); the list's own certificates complete the chain. Issuers are chosen
    by signature, not by name. The path ends at the first anchor of the list met from
    the signer up (a time-stamping unit listed as an anchor is its own). The listed
    service closest to the signer says what the chain is. ``has_revocation_data``: the
    file carries revocation data for the signer; ``has_archive_timestamp``: a document
    timestamp covers the validation data (ISO 14533-3 long-term profile).
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)  # naive times are UTC throughout Shomei
    signer = _load(signer_der)
    listed = _listed(jp)
    full = build_path(signer, [_load(d) for d in chain_ders], [(n, c) for n, c, _ in listed])
    long_term = has_archive_timestamp and has_revocation_data

    def service_of(cert: x509.Certificate) -> JpService | None:
        return next((svc for _, c, svc in listed if c == cert), None)

    def is_anchor(i: int, cert: x509.Certificate) -> bool:
        svc = service_of(cert)
        if svc is None or svc.role is not AnchorRole.ANCHOR:
            return False
        # a signer is never its own anchor, except a listed time-stamping unit
        return i > 0 or svc.use is CertUse.TIMESTAMP

    end = next((i for i, c in enumerate(full) if is_anchor(i, c)), None)
    if end is None:
        return _status("not-a-japanese-anchor", long_term), (), _path(full, None)
    path = full[: end + 1]
    top_svc = service_of(path[-1])
    assert top_svc is not None
    trust_path = _path(path, top_svc)
    if top_svc.use in (CertUse.TLS_ONLY, CertUse.SMIME_ONLY):
        what = "TLS" if top_svc.use is CertUse.TLS_ONLY else "S/MIME"
        return (
            _status("not-a-japanese-anchor", long_term),
            (J.anchor_wrong_use(_names(top_svc), what),),
            trust_path,
        )
    # the listed service closest to the signer (the signer itself included: a listed
    # time-stamping unit) says what the chain is
    svc = next(s for s in (service_of(c) for c in path) if s is not None)
    deprecated = [s for s in (svc, top_svc) if s.status == STATUS_DEPRECATED]
    if deprecated:
        gone = deprecated[0]
        return (
            _status("not-a-japanese-anchor", long_term),
            (J.service_deprecated(_names(gone)),),
            trust_path,
        )
    reasons: list[Reason] = []
    code = _status_code(svc)

    if svc.use is CertUse.AUTHENTICATION_ONLY:
        reasons.append(J.not_signature_certificate(_names(svc)))
    else:
        reasons.extend(_counting_reasons(signer, svc))

    if svc.legal_basis is LegalBasis.ACCREDITED_TSA and not svc.accredited_at(at):
        code = "commercial-tsa"
        reasons.append(_not_accredited_at(svc, at))
    unverified = next((s for s in path_services(path, service_of) if s.unverified_basis), None)
    if unverified is not None:
        reasons.append(_unverified(unverified))

    top = path[-1]
    if not (top.not_valid_before_utc <= at <= top.not_valid_after_utc):
        reasons.append(
            J.anchor_not_valid_at_time(
                _names(top_svc), at, top.not_valid_before_utc, top.not_valid_after_utc
            )
        )

    if not has_revocation_data:
        reasons.extend(_revocation_reasons(signer, svc))
    return _status(code, long_term, svc), tuple(reasons), trust_path


def path_services(
    path: Sequence[x509.Certificate],
    service_of: Callable[[x509.Certificate], JpService | None],
) -> list[JpService]:
    """The listed services along ``path``, signer side first."""
    return [s for s in (service_of(c) for c in path) if s is not None]


def _path(certs: Sequence[x509.Certificate], anchor: JpService | None) -> TrustPath:
    """The path as the report shows it; when it reaches no anchor and stops below a
    self-signed certificate, the issuer that was not found."""
    from asn1crypto import x509 as asn1_x509

    from signing.certs.summary import certificate_info

    top = certs[-1]
    missing = None
    if anchor is None and not (top.issuer == top.subject and signed_by(top, top)):
        missing = asn1_x509.Certificate.load(top.public_bytes(Encoding.DER)).issuer.human_friendly
    return TrustPath(
        certificates=tuple(
            certificate_info(asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)))
            for c in certs
        ),
        anchor=None if anchor is None else f"{AnchorOrigin.JP_TRUST_LIST.value}:{anchor.name_en}",
        missing_issuer=missing,
    )


def _not_accredited_at(svc: JpService, at: datetime) -> Reason:
    return J.not_accredited_at_time(_names(svc), at, svc.accredited_from, svc.accredited_until)


def _unverified(svc: JpService) -> Reason:
    basis = svc.unverified_basis
    assert basis is not None
    return J.accreditation_unverified(_names(svc), LEGAL_BASIS_TEXT[basis])


def _revocation_reasons(signer: x509.Certificate, svc: JpService) -> list[Reason]:
    """Where the list says the public cannot reach revocation status for ``svc``."""
    revocation = svc.revocation
    if revocation is RevocationAccess.REGISTERED_VERIFIERS:
        ca = _CA_PHRASE.get(svc.legal_basis, _names(svc))
        return [J.revocation_restricted(ca)]
    if revocation is RevocationAccess.DIRECTORY_NAME_ONLY and not has_revocation_url(signer):
        return [J.revocation_no_url(_names(svc))]
    return []


def is_jpki_signature_certificate(cert_der: bytes) -> bool:
    """A JPKI (My Number card) *signature* certificate: it carries the J-LIS
    subjectAltName attributes (name, sex, date of birth, address) or the JPKI signature
    policy. User-authentication certificates carry neither: they hold no personal data."""
    cert = _load(cert_der)
    san = _ext(cert, ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    if isinstance(san, x509.SubjectAlternativeName):
        for name in san:
            if isinstance(name, x509.OtherName) and name.type_id.dotted_string.startswith(
                JPKI_SAN_ARC
            ):
                return True
    return any(p.startswith(JPKI_SIGN_POLICY_ARC + ".") for p in _policies(cert))


def jpki_privacy_warning(cert_der: bytes) -> Reason | None:
    """The warning to show before signing with a JPKI (My Number card) signature
    certificate, or ``None`` for any other certificate."""
    if not is_jpki_signature_certificate(cert_der):
        return None
    from signing.model.reasons.signing import jpki_privacy

    return jpki_privacy()
