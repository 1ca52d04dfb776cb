"""pyHanko's rule for updates of the XMP metadata stream, accepting the
older forms of an XMP packet.

pyHanko clears a new or rewritten ``/Metadata`` stream only when both the
old and the new stream are well-formed XML whose root is ``x:xmpmeta``.
Acrobat 5 era writers (Distiller 5, 2001-2004) put ``rdf:RDF`` directly
in the packet, or wrap it in ``x:xapmeta``: both are XMP as the XMP
specification of the time defines it, and the wrapper stays optional
(XMP Specification Part 1, 7.3.3). Such a file (the 2008 Official
Gazette, ``kampo.pdf``) signed once made every later update, even a
co-signature that leaves the metadata as it was, "changes cannot be shown
harmless" for the first signature.

Here those two roots are accepted as well; everything else is checked as
pyHanko checks it: a stream, well-formed XML, no entities, and the
stream is replaced only in place or by a new object.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
from pyhanko.sign.diff_analysis.rules.metadata_rules import MetadataUpdateRule
from pyhanko.sign.diff_analysis.rules_api import Context, ReferenceUpdate

#: the roots an XMP packet's content may have (the wrapper is optional)
XMP_ROOTS = frozenset(
    {
        "{adobe:ns:meta/}xmpmeta",
        "{adobe:ns:meta/}xapmeta",
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF",
    }
)


def check_xmp(metadata_ref: Any) -> None:
    """Raise :class:`SuspiciousModification` unless ``metadata_ref`` points
    at a stream of well-formed XMP (any of :data:`XMP_ROOTS`)."""
    stream = metadata_ref.get_object()
    if not isinstance(stream, generic.StreamObject):
        raise SuspiciousModification("/Metadata should be a reference to a stream object")
    try:
        from lxml import etree  # type: ignore[import-untyped]

        parser = etree.XMLParser(resolve_entities=False, encoding="utf-8")
        root = etree.fromstring(stream.read_data(DecodePurpose.XMP_METADATA), parser=parser)
    except Exception as exc:  # (any parse failure means: not XML)
        raise SuspiciousModification("/Metadata XML syntax could not be validated", exc) from exc
    if any(1 for _ in root.iter(etree.Entity)):
        raise SuspiciousModification("XML entities found in XMP metadata")
    if root.tag not in XMP_ROOTS:
        raise SuspiciousModification("Metadata does not look like XMP")


class XmpUpdateRule(MetadataUpdateRule):  # type: ignore[misc]
    """:class:`MetadataUpdateRule` with :func:`check_xmp` as its check."""

    def __init__(self) -> None:
        # pyHanko's defaults: syntax checked, a rewrite in place allowed
        super().__init__()  # type: ignore[no-untyped-call]

    def apply(self, old: Any, new: Any) -> Iterator[ReferenceUpdate]:
        new_ref = _metadata_ref(new.root)
        if new_ref is None:
            return
        if self.check_xml_syntax:
            check_xmp(new_ref)
        old_ref = _metadata_ref(old.root)
        if self.check_xml_syntax and old_ref is not None:
            check_xmp(old_ref)
        same_ref_ok = old_ref == new_ref and not self.always_refuse_stream_override
        if same_ref_ok or old.is_ref_unassignable(new_ref):
            yield ReferenceUpdate(
                new_ref,
                context_checked=Context.from_absolute(old, RawPdfPath("/Root", "/Metadata")),
            )


def _metadata_ref(root: Any) -> Any:
    try:
        return root.get_value_as_reference("/Metadata")
    except misc.IndirectObjectExpected:
        raise SuspiciousModification("/Metadata should be an indirect reference") from None
    except KeyError:
        return None
