"""The ETSI TS 119 102-2 XML report for ``shomei validate --xml``.

Each :class:`~signing.model.results.FileResult` may carry the ETSI report
of its file (``etsi_report_xml``, made by the engine in the same validation
pass). For one file the output is that report itself, with its standard root
``ValidationReport``. For several files (or a file without a report) the
reports sit in a small Shomei wrapper, one ``File`` element per file with its
path and verdict::

    <ValidationReports xmlns="urn:shomei:validation-reports:1" schema="shomei.validation/1">
      <File path="/a.pdf" verdict="VALID"><vr:ValidationReport ...>...</vr:ValidationReport></File>
      <File path="/b.pdf" verdict="INVALID" error="cannot-parse"/>
    </ValidationReports>
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

from signing.errors import ValidationError
from signing.model.results import FileResult
from signing.reports.json_report import SCHEMA_ID
from signing.sign.atomic_write import atomic_write

WRAPPER_NS = "urn:shomei:validation-reports:1"

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
#: characters XML 1.0 cannot carry at all (paths come from the user's disk)
_NOT_XML = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]")


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub(lambda m: f"[U+{ord(m.group()):04X}]", value))


def _body(xml_text: str, path: str) -> str:
    """The report without its XML declaration, after checking it is
    well-formed (a broken report must not break the whole output)."""
    try:
        ET.fromstring(xml_text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ValidationError(
            f"The ETSI report made for {path} is not well-formed XML: {exc}",
            ja=f"{path}について作成したETSIレポートが整形式のXMLではありません：{exc}",
        ) from exc
    return _DECLARATION.sub("", xml_text, count=1)


def results_to_etsi_xml(results: Sequence[FileResult]) -> str:
    """The XML text (UTF-8 declared) for ``results``: the file's own ETSI
    report for a single file that has one, else the Shomei wrapper."""
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if len(results) == 1 and results[0].etsi_report_xml:
        return declaration + _body(results[0].etsi_report_xml, results[0].path)
    parts = [f'<ValidationReports xmlns="{WRAPPER_NS}" schema="{SCHEMA_ID}">']
    for r in results:
        attrs = f"path={_attr(r.path)} verdict={_attr(r.verdict.name)}"
        if r.error is not None:
            attrs += f" error={_attr(r.error.code)}"
        if r.etsi_report_xml:
            parts.append(f"<File {attrs}>{_body(r.etsi_report_xml, r.path)}</File>")
        else:
            parts.append(f"<File {attrs}/>")
    parts.append("</ValidationReports>")
    return declaration + "\n".join(parts) + "\n"


def write_etsi_xml(results: Sequence[FileResult], out_path: str | os.PathLike[str]) -> Path:
    """:func:`results_to_etsi_xml` written atomically to ``out_path``."""
    data = results_to_etsi_xml(results).encode("utf-8")
    return atomic_write(Path(out_path), lambda s: s.write(data))
