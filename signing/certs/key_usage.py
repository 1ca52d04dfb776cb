"""The signer certificate's key usage, checked as EU DSS's default validation
policy does (``constraint.xml``: ``SigningCertificate/KeyUsage`` with
``nonRepudiation``, level WARN).

A certificate whose key usage does not include nonRepudiation was not issued
for signatures that commit the signer to a content: typically the
*authentication* certificate of an ID card (digitalSignature only). As in
DSS's default policy the signature still validates (a warning, not a
failure; SiVa's stricter QES policy fails it), and the EU qualification
never makes it a QES or qualified seal (signing.trust.qualification).

Where we differ from DSS: DSS's qualification does not look at key usage (it
relies on the list's qualifiers and the certificate's QcType, which for real
ID cards already keep authentication certificates out); we also refuse QES /
QESeal outright for an authentication certificate, so that a list or a
certificate that says too much cannot make one a qualified signature.
"""

from __future__ import annotations

from asn1crypto import x509

from signing.model.reasons import authentication_certificate, key_usage_not_for_signing
from signing.model.results import Reason

#: the key usage value DSS's default policy asks of a signing certificate
REQUIRED = "non_repudiation"


def key_usages(cert: x509.Certificate) -> frozenset[str] | None:
    """The certificate's key usage bits; ``None`` without the extension (or
    when it cannot be read)."""
    try:
        value = cert.key_usage_value
        return frozenset(value.native) if value is not None else None
    except (ValueError, TypeError, KeyError):
        return None


def is_authentication_certificate(cert: x509.Certificate) -> bool:
    """digitalSignature without nonRepudiation: an authentication certificate."""
    usages = key_usages(cert)
    return usages is not None and "digital_signature" in usages and REQUIRED not in usages


def key_usage_reasons(cert: x509.Certificate) -> list[Reason]:
    """A warning when the signer's certificate does not allow nonRepudiation."""
    usages = key_usages(cert)
    if usages is not None and REQUIRED in usages:
        return []
    try:
        subject = cert.subject.human_friendly
    except ValueError:
        subject = None
    if is_authentication_certificate(cert):
        return [authentication_certificate(subject)]
    return [key_usage_not_for_signing(subject, sorted(usages or ()))]
