"""OCSP responses signed by a locally trusted responder (RFC 6960, 4.2.2.2:
"matches a local configuration of OCSP signing authority").

Trusted lists name OCSP responders as services of their own (the Estonian
"SK OCSP RESPONDER 2011", for one), and those responders are not delegated
by the CA that issued the certificate they answer for. pyHanko only accepts
the CA itself or a delegated responder, so these answers are dropped and
every such signature looks as if revocation data were missing. Here we check
those responses ourselves: the responder must be a configured trust anchor,
the response signature must verify, and the answer must name the certificate
(serial and issuer name hash). A "good" answer becomes a pyHanko
``NonRevokedStatusAssertion`` valid up to the response's thisUpdate; a
"revoked" answer is reported back so the verdict can say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import core, ocsp, x509
from pyhanko_certvalidator.policy_decl import NonRevokedStatusAssertion
from pyhanko_certvalidator.revinfo.archival import OCSPContainer
from pyhanko_certvalidator.sig_validate import DEFAULT_SIGNATURE_VALIDATOR

from signing.validation.lazy_anchors import CertPool


@dataclass
class ResponderFacts:
    assertions: list[NonRevokedStatusAssertion] = field(default_factory=list)
    #: certificate sha256 -> revocation time, from trusted responders
    revoked: dict[bytes, datetime] = field(default_factory=dict)


def _responder_cert(basic: ocsp.BasicOCSPResponse, anchors: CertPool) -> x509.Certificate | None:
    rid = basic["tbs_response_data"]["responder_id"]
    included = basic["certs"]
    candidates = [] if isinstance(included, core.Void) else list(included)
    # (by key: only the anchors with that key can match, and only they are
    # parsed; by name: names compare after preparation, so every anchor)
    by_key = rid.name == "by_key"
    candidates.extend(anchors.with_key_sha1(rid.native) if by_key else anchors.all())
    for cert in candidates:
        if cert.sha256 not in anchors:
            continue
        if rid.name == "by_name" and cert.subject == rid.chosen:
            return cert
        if rid.name == "by_key" and cert.public_key.sha1 == rid.native:
            return cert
    return None


def _matches(single: ocsp.SingleResponse, cert: x509.Certificate) -> bool:
    cert_id = single["cert_id"]
    if cert_id["serial_number"].native != cert.serial_number:
        return False
    algo = cert_id["hash_algorithm"]["algorithm"].native
    try:
        digest = hashlib.new(algo, cert.issuer.dump()).digest()
    except ValueError:
        return False
    return bool(digest == cert_id["issuer_name_hash"].native)


def check_trusted_responders(
    ocsps: Iterable[OCSPContainer],
    anchors: CertPool,
    certs: Iterable[x509.Certificate],
) -> ResponderFacts:
    facts = ResponderFacts()
    pool = list(certs)
    if not anchors:
        return facts
    for container in ocsps:
        try:
            basic = container.ocsp_response_data["response_bytes"]["response"].parsed
            responder = _responder_cert(basic, anchors)
            if responder is None:
                continue
            tbs = basic["tbs_response_data"]
            DEFAULT_SIGNATURE_VALIDATOR.validate_signature(
                signature=basic["signature"].native,
                signed_data=tbs.dump(),
                public_key_info=responder.public_key,
                signature_algorithm=basic["signature_algorithm"],
            )
            for single in tbs["responses"]:
                for cert in pool:
                    if not _matches(single, cert):
                        continue
                    status = single["cert_status"]
                    if status.name == "good":
                        facts.assertions.append(
                            NonRevokedStatusAssertion(
                                cert_sha256=cert.sha256, at=single["this_update"].native
                            )
                        )
                    elif status.name == "revoked":
                        facts.revoked[cert.sha256] = status.chosen["revocation_time"].native
        except Exception:  # a bad response is simply not used
            continue
    return facts
