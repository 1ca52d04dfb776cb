"""PAdES baseline level detection (ETSI EN 319 142-1), which pyHanko lacks.

B-B: a PAdES signature (ETSI.CAdES.detached). B-T: plus a signature timestamp.
B-LT: plus validation data in the file (DSS or the CMS revocation archive)
covering every non-self-signed certificate of the signer's and the TSA's
chains. B-LTA: plus a document timestamp in a later revision.
Legacy sub-filters (adbe.pkcs7.*) are not PAdES baseline: level NONE.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import cms, core, crl, ocsp, x509
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.policy_decl import LocalKnowledge
from pyhanko_certvalidator.policy_decl import NonRevokedStatusAssertion
from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer

from signing.certs.cms import signature_timestamp_tokens
from signing.model.results import Level
from signing.validation.tolerant_certs import shared

PADES_SUBFILTER = "/ETSI.CAdES.detached"


@dataclass
class EmbeddedData:
    """Validation data the file carries (DSS and CMS revocation archive)."""

    certs: list[x509.Certificate] = field(default_factory=list)
    ocsps: list[OCSPContainer] = field(default_factory=list)
    crls: list[CRLContainer] = field(default_factory=list)

    def knowledge(
        self,
        extra_certs: Iterable[x509.Certificate] = (),
        assertions: Iterable[NonRevokedStatusAssertion] = (),
    ) -> LocalKnowledge:
        return LocalKnowledge(
            known_ocsps=list(self.ocsps),
            known_crls=list(self.crls),
            known_certs=[*self.certs, *extra_certs],
            nonrevoked_assertions=list(assertions),
        )

    def plus(self, other: EmbeddedData) -> EmbeddedData:
        return EmbeddedData(
            self.certs + other.certs, self.ocsps + other.ocsps, self.crls + other.crls
        )

    def covers(self, cert: x509.Certificate, issued_since: datetime | None = None) -> bool:
        """Is there an OCSP response or a CRL in the file for this certificate
        (issued at or after ``issued_since``, when given)?"""
        serial = cert.serial_number

        def recent(when: datetime | None) -> bool:
            return issued_since is None or (when is not None and when >= issued_since)

        for container in self.ocsps:
            try:
                basic = container.ocsp_response_data["response_bytes"]["response"].parsed
                for single in basic["tbs_response_data"]["responses"]:
                    if single["cert_id"]["serial_number"].native == serial and recent(
                        single["this_update"].native
                    ):
                        return True
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
        for crl_container in self.crls:
            try:
                tbs = crl_container.crl_data["tbs_cert_list"]
                if crl_container.crl_data.issuer == cert.issuer and recent(
                    tbs["this_update"].native
                ):
                    return True
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
        return False


#: CRLs parsed once per process (the same CA CRL sits in file after file)
_CRL_CACHE: OrderedDict[bytes, CRLContainer] = OrderedDict()


def _shared_crl(raw: bytes) -> CRLContainer:
    key = hashlib.sha256(raw).digest()
    hit = _CRL_CACHE.get(key)
    if hit is None:
        hit = CRLContainer(crl_data=crl.CertificateList.load(raw))
        _CRL_CACHE[key] = hit
        if len(_CRL_CACHE) > 256:
            _CRL_CACHE.popitem(last=False)
    return hit


def read_dss(reader: PdfFileReader) -> EmbeddedData:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return EmbeddedData()
    data = EmbeddedData()
    for ref in dss.ocsps:
        try:
            raw = ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE)
            data.ocsps.extend(OCSPContainer.load_multi(ocsp.OCSPResponse.load(raw)))
        except (PdfError, ValueError, KeyError, TypeError, AttributeError):
            continue
    for ref in dss.crls:
        try:
            raw = ref.get_object().read_data(DecodePurpose.CRL)
            data.crls.append(_shared_crl(raw))
        except (PdfError, ValueError, KeyError, TypeError, AttributeError):
            continue
    with contextlib.suppress(PdfError, ValueError, KeyError, TypeError, AttributeError):
        data.certs.extend(shared(c) for c in dss.load_certs())
    return data


def read_revinfo_archival(signer_info: cms.SignerInfo) -> EmbeddedData:
    """Adobe's revocation archive attribute (signed attributes of the CMS)."""
    data = EmbeddedData()
    try:
        signed = signer_info["signed_attrs"]
        if isinstance(signed, core.Void):
            return data
        for attr in signed:
            if attr["type"].native != "adobe_revocation_info_archival":
                continue
            for value in attr["values"]:
                for item in value["crl"] or ():
                    data.crls.append(CRLContainer(item))
                for item in value["ocsp"] or ():
                    data.ocsps.append(OCSPContainer(item))
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return data


def certs_of(signed_data: cms.SignedData) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    try:
        for choice in signed_data["certificates"] or ():
            if choice.name == "certificate":
                out.append(choice.chosen)
    except (ValueError, KeyError, TypeError):
        pass
    return out


def _self_signed(cert: x509.Certificate) -> bool:
    # asn1crypto answers "no", "maybe" or "yes" (a string, always truthy)
    return bool(cert.self_signed != "no")


def _chain(leaf: x509.Certificate, pool: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    chain = [leaf]
    current = leaf
    while not _self_signed(current) and len(chain) < 10:
        issuer = next(
            (c for c in pool if c.subject == current.issuer and c not in chain),
            None,
        )
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return chain


def non_ca_issuer(
    leaf: x509.Certificate, pool: Sequence[x509.Certificate]
) -> x509.Certificate | None:
    """The first issuer along the file's own chain that is not a CA
    (RFC 5280, 6.1.4 (k)), if any."""
    for cert in _chain(leaf, pool)[1:]:
        if not _self_signed(cert) and cert.ca is not True:
            return cert
    return None


def chain_covered(
    leaf: x509.Certificate,
    pool: Sequence[x509.Certificate],
    data: EmbeddedData,
    anchors: frozenset[bytes] = frozenset(),
) -> bool:
    """Revocation data in the file for every certificate of the chain below
    the trust anchor (an anchor, e.g. a CA on a trusted list, needs none)."""
    for cert in _chain(leaf, pool):
        if cert.sha256 in anchors or _self_signed(cert):
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
