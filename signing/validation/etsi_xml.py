"""ETSI TS 119 102-2 validation report: pyHanko's generator, one report per
file (its per-signature reports merged under one root)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from pyhanko.sign.validation.report.tools import NAMESPACES, generate_report

VR = NAMESPACES["vr"]


def signature_report(embedded_sig: Any, ades_result: Any) -> str | None:
    """pyHanko's report for one signature, or None when it cannot make one
    (no status object: the signature failed before any status existed)."""
    if getattr(ades_result, "api_status", None) is None:
        return None
    try:
        return str(generate_report(embedded_sig, ades_result))
    except Exception:
        return None


def merge_reports(reports: Sequence[str]) -> str | None:
    """One ValidationReport holding every signature's report and every
    validation object (deduplicated by id)."""
    if not reports:
        return None
    if len(reports) == 1:
        return reports[0]
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    roots = [ET.fromstring(r) for r in reports]
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
    return ET.tostring(base, encoding="unicode", xml_declaration=True)
