"""Fill the Japanese column of a validated file: one post-processing step after
:func:`signing.validation.engine.validate_pdf`.

It reads the certificates the file carries (CMS certificate sets, DSS) again, asks
:func:`signing.trust.jp_status.japanese_assessment` for each signature and document
timestamp, stores the status in ``jp_status`` and adds its reasons (which may lower a
green verdict to amber, never the other way). The EU column is left untouched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from signing.model.results import EntryKind, FileResult, RevocationSource, SignatureResult
from signing.trust.jp_list import JpTrustList
from signing.trust.jp_status import japanese_assessment


@dataclass(frozen=True)
class _FileFacts:
    #: field name -> (signer DER, CMS certificates, signed revision)
    per_field: dict[str, tuple[bytes, list[bytes], int]]
    dss_certs: list[bytes]
    #: revisions holding a document timestamp that covers a DSS (validation data)
    archive_revisions: list[int]

    def archived_after(self, revision: int) -> bool:
        """An archive timestamp over validation data was added after ``revision``."""
        return any(r > revision for r in self.archive_revisions)


def _file_facts(path: str) -> _FileFacts:
    """What the file carries, read again with pyHanko."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError

    per_field: dict[str, tuple[bytes, list[bytes], int]] = {}
    dss_certs: list[bytes] = []
    archive_revisions: list[int] = []
    with open(path, "rb") as f:
        reader = PdfFileReader(f, strict=False)
        if reader.encrypted:
            # the engine opens files with an empty user password (the Gazette, kampo.pdf)
            reader.decrypt(b"")
        for sig in reader.embedded_signatures:
            try:
                signer = bytes(sig.signer_cert.dump())
            except Exception:  # a broken signature: the engine already said so
                continue
            certs: list[bytes] = []
            for choice in sig.signed_data["certificates"] or ():
                if choice.name == "certificate":
                    certs.append(bytes(choice.chosen.dump()))
            revision = int(sig.signed_revision)
            per_field[sig.field_name] = (signer, certs, revision)
            if sig.sig_object_type == "/DocTimeStamp":
                try:
                    covers_dss = "/DSS" in reader.get_historical_root(revision)
                except Exception:  # an unreadable revision: not an archive timestamp
                    covers_dss = False
                if covers_dss:
                    archive_revisions.append(revision)
        try:
            dss = DocumentSecurityStore.read_dss(reader)
            dss_certs = [bytes(c.dump()) for c in dss.load_certs()]
        except NoDSSFoundError:
            pass
    return _FileFacts(per_field, dss_certs, archive_revisions)


def _time_of(sig: SignatureResult, result: FileResult) -> datetime:
    return sig.best_time or sig.claimed_time or result.validation_time or datetime.now(UTC)


def with_japanese_status(result: FileResult, jp: JpTrustList) -> FileResult:
    """``result`` with ``jp_status`` set on every signature and document timestamp
    (reads the file again; the validation engine does the same from what it has
    already parsed, see :mod:`signing.trust.environment`)."""
    if result.error is not None or not result.signatures:
        return result
    facts = _file_facts(result.path)
    signatures = []
    for sig in result.signatures:
        found = facts.per_field.get(sig.field_name)
        if found is None:
            signatures.append(sig)
            continue
        signer_der, cms_certs, revision = found
        signatures.append(
            japanese_column(
                sig,
                jp,
                signer_der=signer_der,
                cert_pool=[*cms_certs, *facts.dss_certs],
                archived=facts.archived_after(revision),
                at=_time_of(sig, result),
            )
        )
    verdict = max([result.verdict, *(s.verdict for s in signatures)])
    return dataclasses.replace(result, signatures=tuple(signatures), verdict=verdict)


def japanese_column(
    sig: SignatureResult,
    jp: JpTrustList,
    *,
    signer_der: bytes,
    cert_pool: Sequence[bytes],
    archived: bool,
    at: datetime,
) -> SignatureResult:
    """``sig`` with its Japanese status, the path it was decided on, and the status's
    reasons added (they may lower a green verdict to amber, never raise one).

    :param signer_der: the signer's (or the TSA's) certificate.
    :param cert_pool: every other certificate the file carries for it (CMS, DSS).
    :param archived: a document timestamp over validation data (a DSS) was
        added after this signature (ISO 14533-3); ignored for timestamps.
    :param at: the best signature time.
    """
    signer_el = sig.chain[0] if sig.chain else None
    has_revocation = signer_el is not None and (
        signer_el.revocation_source is RevocationSource.EMBEDDED
    )
    status, reasons, path = japanese_assessment(
        signer_der,
        list(cert_pool),
        at=at,
        jp=jp,
        has_revocation_data=has_revocation,
        # ISO 14533-3: a later document timestamp over the validation data (DSS)
        has_archive_timestamp=sig.kind is EntryKind.SIGNATURE and archived,
    )
    verdict = max([sig.verdict, *(r.severity for r in reasons)])
    return dataclasses.replace(
        sig, jp_status=status, jp_path=path, reasons=sig.reasons + reasons, verdict=verdict
    )
