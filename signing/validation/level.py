"""PAdES baseline level detection (ETSI EN 319 142-1), which pyHanko lacks.

B-B: a PAdES signature (ETSI.CAdES.detached). B-T: plus a signature timestamp.
B-LT: plus validation data in the file (DSS or the CMS revocation archive)
covering every non-self-signed certificate of the signer's and the TSA's
chains. B-LTA: plus a document timestamp in a later revision.
Legacy sub-filters (adbe.pkcs7.*) are not PAdES baseline: level NONE.
"""

from __future__ import annotations

from collections.abc import Sequence

from asn1crypto import cms, x509

from signing.certs.cms import signature_timestamp_tokens
from signing.model.results import Level
from signing.validation.embedded import EmbeddedData, certs_of, chain_of, self_signed

PADES_SUBFILTER = "/ETSI.CAdES.detached"


def chain_covered(
    leaf: x509.Certificate,
    pool: Sequence[x509.Certificate],
    data: EmbeddedData,
    anchors: frozenset[bytes] = frozenset(),
) -> bool:
    """Revocation data in the file for every certificate of the chain below
    the trust anchor (an anchor, e.g. a CA on a trusted list, needs none)."""
    for cert in chain_of(leaf, pool):
        if cert.sha256 in anchors or self_signed(cert):
            return True
        if not data.covers(cert):
            return False
    return True


def _tsa_cert(token: cms.ContentInfo) -> tuple[x509.Certificate | None, list[x509.Certificate]]:
    try:
        tst_sd = token["content"]
        tsa_certs = certs_of(tst_sd)
        sid = tst_sd["signer_infos"][0]["sid"]
        for c in tsa_certs:
            if (
                sid.name == "issuer_and_serial_number"
                and c.serial_number == sid.chosen["serial_number"].native
            ) or (sid.name == "subject_key_identifier" and c.key_identifier == sid.chosen.native):
                return c, tsa_certs
        return None, tsa_certs
    except (ValueError, KeyError, TypeError, IndexError):
        return None, []


def detect_level(
    *,
    subfilter: str | None,
    signer_cert: x509.Certificate,
    signed_data: cms.SignedData,
    signer_info: cms.SignerInfo,
    embedded: EmbeddedData,
    later_document_timestamps: Sequence[int],
    dss_revision: int | None,
    anchors: frozenset[bytes] = frozenset(),
) -> Level:
    """``later_document_timestamps``: revisions of the /DocTimeStamp objects
    added after the signature; ``dss_revision``: the last revision that
    changed the DSS (None: no DSS).

    B-T needs a signature timestamp or a document timestamp over the
    signature (EN 319 142-1, 5.4); B-LTA needs a document timestamp added
    after the validation data."""
    if subfilter != PADES_SUBFILTER:
        return Level.NONE
    tokens = signature_timestamp_tokens(signer_info)
    if not tokens and not later_document_timestamps:
        return Level.B_B
    pool = [*certs_of(signed_data), *embedded.certs]
    lt = chain_covered(signer_cert, pool, embedded, anchors)
    for token in tokens if lt else ():
        tsa, tsa_certs = _tsa_cert(token)
        if tsa is None or not chain_covered(tsa, [*pool, *tsa_certs], embedded, anchors):
            lt = False
            break
    if not lt:
        return Level.B_T
    # (a document timestamp in the same revision as the DSS covers it too)
    if any(dss_revision is None or rev >= dss_revision for rev in later_document_timestamps):
        return Level.B_LTA
    return Level.B_LT
