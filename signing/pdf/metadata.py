"""Keep a document's two metadata records in step when Shomei updates it.

pyHanko appends its name to the Info dictionary's /Producer ("GPL
Ghostscript 10; pyHanko 0.x") but writes only its name to the XMP
pdf:Producer, and takes "now" separately for the two modification dates. A
PDF/A file then breaks the rule that Info entries and their XMP
counterparts are equivalent (ISO 19005-1 6.7.3, -2/-3 6.6.2.3.1). The
writer here lets pyHanko update both, then copies the Info /Producer into
the XMP and the XMP modification date into the Info dictionary.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from signing import thirdparty_internals as internals

__all__ = ["MetadataKeepingWriter"]


class MetadataKeepingWriter(internals.WriterWithMetaHook):  # type: ignore[misc, name-defined]
    """An incremental writer whose Info and XMP metadata agree afterwards."""

    def update_meta_hook(self) -> None:
        self.pyhanko_update_meta()
        # (unreadable XMP: left as pyHanko wrote it)
        with contextlib.suppress(Exception):
            _align(self)


def _align(writer: Any) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata import model, xmp_xml

    info_ref = internals.writer_info_reference(writer)
    if info_ref is None or "/Metadata" not in writer.root:
        return
    stream = writer.root["/Metadata"]
    info = info_ref.get_object()
    if not isinstance(stream, xmp_xml.MetadataStream) or "/Producer" not in info:
        return
    structures = list(stream.xmp)
    if not structures:
        return
    fields = dict(structures[0])
    producer = str(info["/Producer"])
    changed = False
    current = fields.get(model.PDF_PRODUCER)
    if current is None or current.value != producer:
        fields[model.PDF_PRODUCER] = model.XmpValue(producer)
        changed = True
    modified = next(
        (dict(s).get(model.XMP_MODDATE) for s in structures if model.XMP_MODDATE in dict(s)),
        None,
    )
    if modified is not None and isinstance(modified.value, str):
        info["/ModDate"] = generic.pdf_date(datetime.fromisoformat(modified.value))
        writer.mark_update(info_ref)
    if changed:
        internals.replace_xmp(stream, [model.XmpStructure(fields), *structures[1:]])
        writer.update_container(stream)
