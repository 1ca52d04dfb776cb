"""Document timestamps in the ETSI TS 119 102-2 report.

pyHanko's generator reports signatures only (and crashes on a timestamp's
status), so a document timestamp (``/DocTimeStamp``, the archive timestamps
of PAdES B-LTA) is reported here as TS 119 102-2 does it: a
``vr:ValidationObject`` of type timestamp in ``vr:SignatureValidationObjects``
with its token, its proof of existence, what it proves existed (the
signatures and earlier timestamps it covers) and its own validation report.

Built from the result the validation already has (nothing is validated
again), with pyHanko's generated bindings and identifiers, so the ids match
the ones pyHanko gives the same objects.
"""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import cms, parser, x509
from pyhanko.generated.etsi import ts_11910202, xades
from pyhanko.generated.w3c import xmldsig_core
from pyhanko.sign.validation.ades import (
    derive_validation_object_binary_data,
    derive_validation_object_identifier,
)
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.report.tools import DIGEST_ALGO_URIS, NAMESPACES
from pyhanko_certvalidator.ltv.poe import ValidationObject, ValidationObjectType
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.models.datatype import XmlDateTime

from signing.model.results import Indication
from signing.validation.context import Entry

#: XML Signature digest URIs (pyHanko's, plus the SHA-3 ones of RFC 6931)
_DIGEST_URIS: dict[str, str] = {
    **DIGEST_ALGO_URIS,
    "sha3_256": "http://www.w3.org/2007/05/xmldsig-more#sha3-256",
    "sha3_384": "http://www.w3.org/2007/05/xmldsig-more#sha3-384",
    "sha3_512": "http://www.w3.org/2007/05/xmldsig-more#sha3-512",
}
SHA256_URI = DIGEST_ALGO_URIS["sha256"]

MAIN_INDICATION_URIS: dict[Indication, str] = {
    Indication.TOTAL_PASSED: "urn:etsi:019102:mainindication:total-passed",
    Indication.INDETERMINATE: "urn:etsi:019102:mainindication:indeterminate",
    Indication.TOTAL_FAILED: "urn:etsi:019102:mainindication:total-failed",
}
SUBINDICATION_PREFIX = "urn:etsi:019102:subindication:"
POE_BY_VALIDATION = "urn:etsi:019102:poetype:validation"

#: the main indication of a report without any signature (the schema needs
#: one ``SignatureValidationReport``): EU DSS's URI for that case
NO_SIGNATURE_FOUND = "urn:cef:dss:mainindication:noSignatureFound"


#: one serializer for the process: its context keeps the bindings' metadata,
#: which a fresh serializer builds again (most of the cost of a render)
_SERIALIZER = XmlSerializer(context=XmlContext())


@dataclass(frozen=True)
class TimestampOutcome:
    """What the validation concluded about one document timestamp."""

    indication: Indication
    """The main indication of the entry's result (as in the JSON)."""
    subindication: str | None
    """Its sub-indication (EN 319 102-1 name), None when passed."""
    validation_time: datetime
    """The time the validation ran at."""
    best_time: datetime
    """The earliest time the token is proven to exist: the validation time,
    or a later document timestamp's when it was validated there."""


def timestamp_id(signed_data: cms.SignedData) -> str | None:
    """pyHanko's validation object id of a timestamp token
    (``vo-timestamp-`` + SHA-256 of its signature value)."""
    vo = ValidationObject(ValidationObjectType.TIMESTAMP, signed_data)
    return derive_validation_object_identifier(vo)


def timestamp_objects(
    entry: Entry, entries: Sequence[Entry], result: Any, outcome: TimestampOutcome
) -> str | None:
    """The ``vr:ValidationObject`` of document timestamp ``entry`` and the
    validation objects it refers to (its TSA's certificates, the revocation
    data used), as the text of a ``vr:ValidationReport`` holding only
    ``vr:SignatureValidationObjects`` (merged by
    :func:`signing.validation.etsi_xml.merge_reports`). ``result`` is
    pyHanko's timestamp validation result for it. None when the token is too
    broken to describe (its JSON result says why)."""
    emb = entry.emb
    if emb is None:
        return None
    try:
        objects = _objects(emb, entry, entries, result, outcome)
        report = ts_11910202.ValidationReport(
            signature_validation_objects=ts_11910202.ValidationObjectListType(tuple(objects))
        )
        return str(_SERIALIZER.render(report, ns_map=NAMESPACES))
    except Exception:  # a hostile token: no report object, never a crash
        return None


def no_signature_report() -> str:
    """A ``vr:ValidationReport`` for a file without signatures (only
    document timestamps): one ``SignatureValidationReport`` saying so, as the
    schema requires one."""
    report = ts_11910202.ValidationReport(
        signature_validation_report=(
            ts_11910202.SignatureValidationReportType(
                signature_validation_status=ts_11910202.ValidationStatusType(
                    main_indication=NO_SIGNATURE_FOUND
                )
            ),
        )
    )
    return str(_SERIALIZER.render(report, ns_map=NAMESPACES))


_VR = "{" + NAMESPACES["vr"] + "}"
_DS = "{" + NAMESPACES["ds"] + "}"
#: where ``DocTimeStamp`` goes among a report's signature attributes (the
#: bindings' order, which pyHanko writes): before the first of these
_AFTER_DOC_TIMESTAMP = {
    _VR + n for n in ("Reason", "Name", "ContactInfo", "SubFilter", "ByteRange", "Filter")
}


def link_document_timestamps(report: ET.Element) -> None:
    """Give each signature of ``report`` (a merged ``vr:ValidationReport``)
    a ``vr:DocTimeStamp`` attribute for every document timestamp object that
    covers it (matched by the SHA-256 of its signature value), pointing at
    that object: what pyHanko leaves as a to-do."""
    objects = report.find(_VR + "SignatureValidationObjects")
    if objects is None:
        return
    covering: dict[bytes, list[tuple[str, str]]] = {}
    for vo in objects.findall(_VR + "ValidationObject"):
        prov = vo.find(_VR + "POEProvisioning")
        time = prov.findtext(_VR + "POETime") if prov is not None else None
        ident = vo.get("id")
        if vo.findtext(_VR + "ObjectType") != _urn(ValidationObjectType.TIMESTAMP):
            continue
        if prov is None or time is None or ident is None:
            continue
        for ref in prov.findall(_VR + "SignatureReference"):
            digest = ref.findtext(_VR + "DigestValue")
            if ref.findtext(_VR + "DigestMethod") == SHA256_URI and digest:
                covering.setdefault(_b64(digest), []).append((ident, time))
    for svr in report.findall(_VR + "SignatureValidationReport"):
        value = svr.findtext(f"{_VR}SignatureIdentifier/{_DS}SignatureValue")
        attrs = svr.find(_VR + "SignatureAttributes")
        stamps = covering.get(hashlib.sha256(_b64(value)).digest()) if value else None
        if not stamps or attrs is None:
            continue
        children = list(attrs)
        at = next((i for i, c in enumerate(children) if c.tag in _AFTER_DOC_TIMESTAMP), None)
        at = len(children) if at is None else at
        for ident, time in stamps:
            element = ET.Element(_VR + "DocTimeStamp", {"Signed": "false"})
            ET.SubElement(element, _VR + "AttributeObject", {"VOReference": ident})
            ET.SubElement(element, _VR + "TimeStampValue").text = time
            attrs.insert(at, element)
            at += 1


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()))
    except ValueError:  # (binascii.Error) not base64: matches nothing
        return b""


def _objects(
    emb: EmbeddedPdfSignature,
    entry: Entry,
    entries: Sequence[Entry],
    result: Any,
    outcome: TimestampOutcome,
) -> list[ts_11910202.ValidationObjectType]:
    signed_data = emb.signed_data
    token_id = timestamp_id(signed_data)
    gen_time: datetime = signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    tsa = _signer_cert(emb)
    tsa_vo = ValidationObject(ValidationObjectType.CERTIFICATE, tsa) if tsa is not None else None
    passed = outcome.indication is Indication.TOTAL_PASSED
    token = ts_11910202.ValidationObjectType(
        id=token_id,
        object_type=_urn(ValidationObjectType.TIMESTAMP),
        validation_object_representation=ts_11910202.ValidationObjectRepresentationType(
            base64=_token_der(emb)
        ),
        poe=(
            ts_11910202.POEType(
                poetime=XmlDateTime.from_datetime(gen_time), type_of_proof=POE_BY_VALIDATION
            )
            if passed
            else None
        ),
        # (a timestamp that did not pass proves nothing: it provides no POE,
        # and no signature's report points at it as its document timestamp)
        poeprovisioning=(
            ts_11910202.POEProvisioningType(
                poetime=XmlDateTime.from_datetime(gen_time),
                validation_object=tuple(
                    ts_11910202.VOReferenceType(voreference=(ref,))
                    for ref in _earlier_timestamp_ids(entry, entries)
                ),
                signature_reference=tuple(_signature_references(entry, entries)),
            )
            if passed
            else None
        ),
        validation_report=_validation_report(emb, tsa, tsa_vo, outcome),
    )
    objects = [token]
    extra = [*([tsa_vo] if tsa_vo is not None else []), *_result_objects(result)]
    seen = {token_id}
    for vo in extra:
        packaged = _package(vo)
        if packaged is not None and packaged.id not in seen:
            seen.add(packaged.id)
            objects.append(packaged)
    return objects


def _token_der(emb: EmbeddedPdfSignature) -> bytes:
    """The token as the file holds it: the CMS ContentInfo's DER from
    ``/Contents``, without the zero padding after it."""
    _, _, _, header, content, trailer = parser.parse(bytes(emb.pkcs7_content))
    return bytes(header + content + trailer)


def _signer_cert(emb: EmbeddedPdfSignature) -> x509.Certificate | None:
    try:
        return emb.signer_cert
    except Exception:  # no TSA certificate in the token
        return None


def _result_objects(result: Any) -> Iterable[ValidationObject]:
    """The validation objects pyHanko gathered (the TSA's path, revocation data)."""
    found: Iterable[ValidationObject] | None = getattr(result, "validation_objects", None)
    return found if found is not None else ()


#: characters XML 1.0 cannot carry (names come from the file)
_NOT_XML = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _urn(object_type: ValidationObjectType) -> str:
    return f"urn:etsi:019102:validationObject:{object_type.value}"


def _package(vo: ValidationObject) -> ts_11910202.ValidationObjectType | None:
    ident = derive_validation_object_identifier(vo)
    if ident is None:
        return None
    data = derive_validation_object_binary_data(vo)
    return ts_11910202.ValidationObjectType(
        id=ident,
        object_type=_urn(vo.object_type),
        validation_object_representation=ts_11910202.ValidationObjectRepresentationType(
            base64=data
        ),
    )


def _covered(entry: Entry, entries: Sequence[Entry]) -> list[Entry]:
    """The entries of earlier revisions: what the document timestamp's byte
    range holds."""
    return [
        e for e in entries if e is not entry and e.emb is not None and e.revision < entry.revision
    ]


def _signature_references(
    entry: Entry, entries: Sequence[Entry]
) -> Iterable[ts_11910202.SignatureReferenceType]:
    for other in _covered(entry, entries):
        if other.is_timestamp or other.emb is None:
            continue
        try:
            value = bytes(other.emb.signer_info["signature"].native)
        except Exception:  # an unreadable signature value: nothing to point at
            continue
        yield ts_11910202.SignatureReferenceType(
            digest_method=SHA256_URI,
            digest_value=hashlib.sha256(value).digest(),
            pad_esfield_name=_xml_text(other.name),
        )


def _earlier_timestamp_ids(entry: Entry, entries: Sequence[Entry]) -> list[str]:
    ids: list[str] = []
    for other in _covered(entry, entries):
        if not other.is_timestamp or other.emb is None:
            continue
        try:
            ident = timestamp_id(other.emb.signed_data)
        except Exception:
            continue
        if ident is not None and ident not in ids:
            ids.append(ident)
    return ids


def _digest(algorithm: str, value: bytes) -> xades.DigestAlgAndValueType | None:
    uri = _DIGEST_URIS.get(algorithm)
    if uri is None:
        return None
    return xades.DigestAlgAndValueType(
        digest_method=xmldsig_core.DigestMethod(uri),
        digest_value=xmldsig_core.DigestValue(value),
    )


def _validation_report(
    emb: EmbeddedPdfSignature,
    tsa: x509.Certificate | None,
    tsa_vo: ValidationObject | None,
    outcome: TimestampOutcome,
) -> ts_11910202.SignatureValidationReportType:
    signer_info = emb.signer_info
    md = str(emb.md_algorithm)
    # the DTBSR digest: the signed attributes, as pyHanko reports signatures
    try:
        dtbsr = _digest(md, hashlib.new(md, signer_info["signed_attrs"].dump()).digest())
    except ValueError:  # a digest hashlib does not know: no DTBSR digest
        dtbsr = None
    signers_document = _digest(str(emb.external_md_algorithm), emb.compute_digest())
    tsa_ref = derive_validation_object_identifier(tsa_vo) if tsa_vo is not None else None
    return ts_11910202.SignatureValidationReportType(
        signature_identifier=ts_11910202.SignatureIdentifierType(
            signature_value=xmldsig_core.SignatureValue(signer_info["signature"].native),
            digest_alg_and_value=dtbsr,
            hash_only=False,
            doc_hash_only=False,
        ),
        validation_time_info=ts_11910202.ValidationTimeInfoType(
            validation_time=XmlDateTime.from_datetime(outcome.validation_time),
            best_signature_time=ts_11910202.POEType(
                poetime=XmlDateTime.from_datetime(outcome.best_time),
                type_of_proof=POE_BY_VALIDATION,
            ),
        ),
        signers_document=(
            ts_11910202.SignersDocumentType(digest_alg_and_value=signers_document)
            if signers_document is not None
            else None
        ),
        signer_information=(
            ts_11910202.SignerInformationType(
                signer_certificate=ts_11910202.VOReferenceType(voreference=(tsa_ref,)),
                signer=_xml_text(tsa.subject.human_friendly) if tsa is not None else None,
            )
            if tsa_ref is not None
            else None
        ),
        signature_validation_status=ts_11910202.ValidationStatusType(
            main_indication=MAIN_INDICATION_URIS[outcome.indication],
            sub_indication=(
                (SUBINDICATION_PREFIX + outcome.subindication,) if outcome.subindication else ()
            ),
        ),
    )
