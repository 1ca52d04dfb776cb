"""ETSI TS 119 102-2 validation report: pyHanko's generator, one report per
file (its per-signature reports merged under one root)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from pyhanko.sign.validation.report.tools import NAMESPACES, generate_report

from signing.model.results import Indication, Qualification

VR = NAMESPACES["vr"]

#: TS 119 102-2 (v1.2.1) ``SignatureQualityInformation`` is an open anyURI; the
#: values are EU DSS's signature-qualification URIs, which its TS 119 102-2
#: reports carry in the same element
_DSS = "urn:cef:dss:signatureQualification:"
QUALITY_URIS: dict[Qualification, str] = {
    Qualification.QESIG: _DSS + "QESig",
    Qualification.QESEAL: _DSS + "QESeal",
    Qualification.ADESIG_QC: _DSS + "AdESigQC",
    Qualification.ADESEAL_QC: _DSS + "AdESealQC",
    Qualification.ADESIG: _DSS + "AdESig",
    Qualification.ADESEAL: _DSS + "AdESeal",
    Qualification.NOT_QUALIFIED: _DSS + "notApplicable",
    Qualification.NOT_EU_LISTED: _DSS + "notApplicable",
    # no category known (the reasons say what it would be): Shomei's own URI
    Qualification.INDETERMINATE: "urn:shomei:signatureQualification:indeterminate",
}

#: where ``SignatureQuality`` goes in a ``SignatureValidationReport`` (the
#: schema's sequence): before the first of these
_AFTER_QUALITY = ("SignatureValidationProcess", "SignatureValidationStatus")


def quality_uri(qualification: Qualification, indication: Indication) -> str | None:
    """The ``SignatureQualityInformation`` URI of an EU qualification (None:
    not assessed)."""
    if qualification is Qualification.NOT_QUALIFIED and indication is Indication.TOTAL_FAILED:
        return _DSS + "notAdES"
    return QUALITY_URIS.get(qualification)


def _parse(report: str) -> ET.Element | None:
    """``report`` parsed, its namespaces registered so that it is written back
    with the usual prefixes; None when it is not well-formed."""
    for prefix, ns in NAMESPACES.items():
        ET.register_namespace(prefix, ns)
    try:
        return ET.fromstring(report)
    except ET.ParseError:
        return None


def with_signature_quality(
    report: str, qualification: Qualification, indication: Indication
) -> str:
    """``report`` (one signature's) with ``vr:SignatureQuality`` holding the
    EU qualification; unchanged when there is nothing to say or no place for it."""
    uri = quality_uri(qualification, indication)
    if uri is None:
        return report
    root = _parse(report)
    if root is None:
        return report
    svr = root.find(f"{{{VR}}}SignatureValidationReport")
    if svr is None or svr.find(f"{{{VR}}}SignatureQuality") is not None:
        return report
    quality = ET.Element(f"{{{VR}}}SignatureQuality")
    ET.SubElement(quality, f"{{{VR}}}SignatureQualityInformation").text = uri
    children = list(svr)
    at = next(
        (i for i, c in enumerate(children) if c.tag in {f"{{{VR}}}{n}" for n in _AFTER_QUALITY}),
        len(children),
    )
    svr.insert(at, quality)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


_MAIN_URI = "urn:etsi:019102:mainindication:"
_SUB_URI = "urn:etsi:019102:subindication:"


def with_status(report: str, indication: Indication, subindication: str | None) -> str:
    """``report`` (one signature's) whose ``vr:SignatureValidationStatus``
    says ``indication`` / ``subindication``: the engine may judge further
    than pyHanko's process (forbidden changes, a forged timestamp), and the
    XML must not say TOTAL-PASSED where the verdict says INVALID."""
    root = _parse(report)
    if root is None:
        return report
    status = root.find(f"{{{VR}}}SignatureValidationReport/{{{VR}}}SignatureValidationStatus")
    main = status.find(f"{{{VR}}}MainIndication") if status is not None else None
    if status is None or main is None:
        return report
    wanted_main = _MAIN_URI + indication.value.lower()
    sub = status.find(f"{{{VR}}}SubIndication")
    wanted_sub = _SUB_URI + subindication if subindication else None
    if main.text == wanted_main and (sub.text if sub is not None else None) == wanted_sub:
        return report
    main.text = wanted_main
    if wanted_sub is None:
        if sub is not None:
            status.remove(sub)
    else:
        if sub is None:
            sub = ET.Element(f"{{{VR}}}SubIndication")
            status.insert(list(status).index(main) + 1, sub)
        sub.text = wanted_sub
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def signature_report(embedded_sig: Any, ades_result: Any) -> str | None:
    """pyHanko's report for one signature, or None when it cannot make one
    (no status object: the signature failed before any status existed)."""
    if getattr(ades_result, "api_status", None) is None:
        return None
    try:
        return str(generate_report(embedded_sig, ades_result))
    except Exception:
        return None


def merge_reports(reports: Sequence[str], extra_objects: Sequence[str] = ()) -> str | None:
    """One ValidationReport holding every signature's report and every
    validation object (deduplicated by id), plus those of ``extra_objects``
    (reports holding only validation objects: the document timestamps'). A
    file without signature reports gets a no-signature report around them."""
    from signing.validation import etsi_timestamps  # (its XML bindings: on first use)

    if not reports and extra_objects:
        reports = [etsi_timestamps.no_signature_report()]
    if not reports:
        return None
    if len(reports) == 1 and not extra_objects:
        return reports[0]
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    roots = [ET.fromstring(r) for r in (*reports, *extra_objects)]
    base = roots[0]
    objects = base.find(f"{{{VR}}}SignatureValidationObjects")
    seen = {
        o.get("id") for o in (objects if objects is not None else []) if o.get("id") is not None
    }
    insert_at = list(base).index(objects) if objects is not None else len(base)
    for other in roots[1:]:
        for svr in other.findall(f"{{{VR}}}SignatureValidationReport"):
            base.insert(insert_at, svr)
            insert_at += 1
        other_objects = other.find(f"{{{VR}}}SignatureValidationObjects")
        if other_objects is None:
            continue
        if objects is None:
            objects = ET.SubElement(base, f"{{{VR}}}SignatureValidationObjects")
        for obj in other_objects:
            if obj.get("id") not in seen:
                seen.add(obj.get("id"))
                objects.append(obj)
    if extra_objects:
        etsi_timestamps.link_document_timestamps(base)
    return ET.tostring(base, encoding="unicode", xml_declaration=True)
