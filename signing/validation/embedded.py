"""Validation data a signed PDF carries (the DSS and the CMS revocation
archive) and the chain its own certificates make: read once per entry and
handed to the level detection, the processes and the facts.

Used by :mod:`signing.validation.pipeline` and the steps it calls; not a
public API.
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

from signing.validation.tolerant_certs import shared


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


def self_signed(cert: x509.Certificate) -> bool:
    # asn1crypto answers "no", "maybe" or "yes" (a string, always truthy)
    return bool(cert.self_signed != "no")


def chain_of(leaf: x509.Certificate, pool: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    chain = [leaf]
    current = leaf
    while not self_signed(current) and len(chain) < 10:
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
    for cert in chain_of(leaf, pool)[1:]:
        if not self_signed(cert) and cert.ca is not True:
            return cert
    return None
