"""The certificate's QC statements (ETSI EN 319 412-5), read once: the one
reader behind the certificate summary, the signer's purpose and the EU
qualification.

A malformed extension says nothing we can rely on: it reads as no statement
at all (``readable`` False), never as the statements that happened to parse
before the damage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asn1crypto import x509

#: QcType values (EN 319 412-5 §4.2.3), by their short names
ESIGN, ESEAL, WEB = "esign", "eseal", "web"
_TYPE_NAMES = {
    "qct_esign": ESIGN,
    "0.4.0.1862.1.6.1": ESIGN,
    "qct_eseal": ESEAL,
    "0.4.0.1862.1.6.2": ESEAL,
    "qct_web": WEB,
    "0.4.0.1862.1.6.3": WEB,
}


@dataclass(frozen=True)
class QcFacts:
    """What a certificate's QcStatements extension declares."""

    #: QcCompliance: issued as an EU qualified certificate
    compliance: bool = False
    #: QcSSCD: its private key lives in a QSCD
    qscd: bool = False
    #: QcType values in the certificate's order: "esign", "eseal", "web", or
    #: the dotted OID of any other type
    types: tuple[str, ...] = ()
    #: QcCClegislation is present (EN 319 412-5 §4.2.4): qualified under the
    #: law of the countries in ``legislation``, not under EU law
    foreign_legislation: bool = False
    legislation: tuple[str, ...] = ()
    #: False when the extension is present but cannot be read
    readable: bool = True


def qc_facts(cert: x509.Certificate) -> QcFacts:
    """The QC statements of ``cert``; empty when it has none."""
    # registers the QcStatements extension with asn1crypto before we parse it
    from pyhanko.sign.ades.qualified_asn1 import get_qc_statements

    compliance = qscd = foreign = False
    types: list[str] = []
    legislation: list[str] = []
    try:
        statements: Any = get_qc_statements(cert)
        for stmt in statements:
            sid = stmt["statement_id"].native
            if sid == "qc_compliance":
                compliance = True
            elif sid == "qc_sscd":
                qscd = True
            elif sid == "qc_type":
                for t in stmt["statement_info"].native or ():
                    types.append(_TYPE_NAMES.get(str(t), str(t)))
            elif sid == "qc_cc_legislation":
                foreign = True
                legislation.extend(str(c) for c in stmt["statement_info"].native or ())
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
        return QcFacts(readable=False)
    return QcFacts(
        compliance=compliance,
        qscd=qscd,
        types=tuple(dict.fromkeys(types)),
        foreign_legislation=foreign,
        legislation=tuple(dict.fromkeys(legislation)),
    )
