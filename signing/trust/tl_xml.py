"""Safe reading of trusted-list XML (ETSI TS 119 612) before and after the
signature check.

Trusted lists never need a DTD, entities or XInclude. Anything of the kind is
refused outright (:class:`UnsafeXmlError`) before the bytes reach any other
parser (signxml, xsdata): this closes XXE, billion laughs and external DTD
fetches whatever those libraries do with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree  # type: ignore[import-untyped]

from signing.trust.tl_errors import TrustListFormatError, TrustListSignatureError, UnsafeXmlError

TSL_NS = "http://uri.etsi.org/02231/v2#"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"

#: A trusted list larger than this is refused (the largest real lists are ~3 MB).
MAX_LIST_BYTES = 32 * 1024 * 1024

_DOCTYPE_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=True,
    )


def normalise(data: bytes) -> bytes:
    """Strip a UTF-8 byte-order mark and whitespace before the XML declaration
    (both occur in real lists and fall outside the signed element)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.lstrip(b" \t\r\n")


def parse_safely(data: bytes) -> etree._Element:
    """Parse ``data`` as XML with every dangerous feature refused.

    Raises :class:`UnsafeXmlError` for a DTD or entity declaration and
    :class:`TrustListFormatError` for anything that is not well-formed XML.
    """
    if not data.strip():
        raise TrustListFormatError("The trusted list is empty.", ja="トラストリストが空です。")
    if len(data) > MAX_LIST_BYTES:
        raise TrustListFormatError(
            f"The trusted list is too large ({len(data)} bytes, limit {MAX_LIST_BYTES}).",
            ja=f"トラストリストが大きすぎます（{len(data)}バイト、上限{MAX_LIST_BYTES}バイト）。",
        )
    if _DOCTYPE_RE.search(data):
        raise UnsafeXmlError(
            "The trusted list contains a DTD or entity declaration; "
            "trusted lists never do, so it was refused.",
            ja="トラストリストにDTDまたはエンティティ宣言が含まれています。"
            "トラストリストには含まれないものなので拒否しました。",
        )
    try:
        root = etree.fromstring(normalise(data), parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise TrustListFormatError(
            f"The trusted list is not well-formed XML: {exc}",
            # (lxml's words and position: the technical detail)
            ja="トラストリストが整形式のXMLではありません。",
            technical=str(exc),
        ) from exc
    docinfo = root.getroottree().docinfo
    # e.g. UTF-16, past the regex; ``doctype`` also catches an external-only DTD
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise UnsafeXmlError(
            "The trusted list carries a DTD.", ja="トラストリストにDTDが含まれています。"
        )
    return root


def check_signature_structure(root: etree._Element) -> None:
    """Refuse lists whose signature cannot cover the whole list.

    Exactly one ``ds:Signature`` must be present; one of its references must
    point at the document element (``URI=""`` or ``#<Id of the root>``) and
    ``Id`` values must be unique, which defeats XML signature wrapping (a valid
    signature over a hidden copy while the parser reads a forged root).
    """
    if etree.QName(root).localname != "TrustServiceStatusList":
        raise TrustListFormatError(
            f"The document is not a trusted list (root element {etree.QName(root).localname}).",
            ja=f"この文書はトラストリストではありません（ルート要素{etree.QName(root).localname}）。",
        )
    sigs = root.findall(f".//{{{DS_NS}}}Signature")
    if len(sigs) != 1:
        raise TrustListSignatureError(
            f"A trusted list must carry exactly one signature (found {len(sigs)}).",
            ja=f"トラストリストの署名はちょうど1つでなければなりません（{len(sigs)}個あります）。",
        )
    ids: dict[str, int] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in ("Id", "ID", "id"):
            value = el.get(name)
            if value is not None:
                ids[value] = ids.get(value, 0) + 1
    dupes = sorted(k for k, n in ids.items() if n > 1)
    if dupes:
        raise TrustListSignatureError(
            f"The trusted list has duplicated Id attributes ({', '.join(dupes[:3])}): "
            "possible signature wrapping, refused.",
            ja=f"トラストリストに重複したId属性があります（{'、'.join(dupes[:3])}）。"
            "署名ラッピングの可能性があるため拒否しました。",
        )
    root_id = root.get("Id")
    uris = [
        ref.get("URI") for ref in sigs[0].findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference")
    ]
    whole = "" in uris or (root_id is not None and f"#{root_id}" in uris)
    if not whole:
        raise TrustListSignatureError(
            "The signature does not cover the whole trusted list (signature wrapping), refused.",
            ja="署名がトラストリスト全体を対象にしていません（署名ラッピング）。拒否しました。",
        )


@dataclass(frozen=True)
class ListHeader:
    """The scheme information of a trusted list that the cache and the status
    API need."""

    territory: str
    sequence: int
    tsl_type: str
    version: int
    issued: datetime
    #: ``None`` for a list that is closed (no further update planned)
    next_update: datetime | None
    #: number of TSPService entries
    service_count: int


def _text(root: etree._Element, path: str) -> str | None:
    el = root.find(path, namespaces={"t": TSL_NS})
    if el is None or el.text is None:
        return None
    text: str = el.text.strip()
    return text


def _parse_dt(value: str, what: str, what_ja: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise TrustListFormatError(
            f"The trusted list's {what} is not a date: {value!r}",
            ja=f"トラストリストの{what_ja}が日付ではありません：{value!r}",
        ) from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def read_header(root: etree._Element) -> ListHeader:
    """Read the scheme information; missing mandatory fields raise
    :class:`TrustListFormatError`."""
    si = "t:SchemeInformation/"
    territory = _text(root, si + "t:SchemeTerritory")
    seq = _text(root, si + "t:TSLSequenceNumber")
    tsl_type = _text(root, si + "t:TSLType")
    version = _text(root, si + "t:TSLVersionIdentifier")
    issued = _text(root, si + "t:ListIssueDateTime")
    missing = [
        name
        for name, v in (
            ("TSLSequenceNumber", seq),
            ("TSLType", tsl_type),
            ("TSLVersionIdentifier", version),
            ("ListIssueDateTime", issued),
        )
        if v is None
    ]
    if missing:
        raise TrustListFormatError(
            f"The trusted list lacks mandatory fields: {', '.join(missing)}.",
            ja=f"トラストリストに必須の項目がありません：{'、'.join(missing)}。",
        )
    assert seq and tsl_type and version and issued
    if root.find(si + "t:NextUpdate", namespaces={"t": TSL_NS}) is None:
        raise TrustListFormatError(
            "The trusted list lacks mandatory fields: NextUpdate.",
            ja="トラストリストに必須の項目がありません：NextUpdate。",
        )
    nu = _text(root, si + "t:NextUpdate/t:dateTime")
    try:
        sequence = int(seq)
        ver = int(version)
    except ValueError as exc:
        raise TrustListFormatError(
            f"Bad sequence number or version: {exc}",
            ja="トラストリストのシーケンス番号またはバージョンが整数ではありません。",
            technical=str(exc),
        ) from exc
    count = len(root.findall(".//t:TSPService", namespaces={"t": TSL_NS}))
    return ListHeader(
        # mandatory in TS 119 612, absent from some non-EU lists (gematik)
        territory=(territory or "").upper(),
        sequence=sequence,
        tsl_type=tsl_type,
        version=ver,
        issued=_parse_dt(issued, "issue date", "発行日時"),
        next_update=_parse_dt(nu, "next update", "次回更新日時") if nu else None,
        service_count=count,
    )
