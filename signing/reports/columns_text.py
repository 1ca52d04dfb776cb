"""The EU and Japanese columns of each signature and timestamp as plain text,
with the path each column decided on: what ``shomei validate`` prints under its
summary table, and what the readable report shows beside each status.

One line per column::

    EU: Not on an EU trusted list; path: Cabinet Office > SECOM Passport ... >
        SECOM RSA Root CA 2023 (no EU trusted list names these certificates)
    JP: Accredited time-stamping service, Amano ...; path: AMANO-TSU-T2P2-3 >
        SECOM TimeStamping CA3 > Security Communication RootCA3 (anchor: jp-tl:...)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signing.model.labels import Lang, label, word
from signing.model.results import CertificateInfo, FileResult, SignatureResult, TrustPath


def _name(cert: CertificateInfo) -> str:
    return cert.common_name or cert.organisation or cert.subject


#: the common name in asn1crypto's readable DN ("Common Name: X, Country: EE")
_DN_COMMON_NAME = re.compile(r"Common Name: (.+?)(?:, [A-Z][A-Za-z ]*: |$)")


def _issuer_name(dn: str) -> str:
    """A missing issuer by its common name, as the chain's names are (the
    readable DN's English attribute names would sit in a Japanese sentence);
    the whole DN when it has none."""
    found = _DN_COMMON_NAME.search(dn)
    return found.group(1) if found else dn


def path_text(path: TrustPath | None, lang: Lang, *, eu: bool) -> str:
    """``A > B > C (anchor: …)``, or where and why it stops."""
    if path is None or not path.certificates:
        return word("path_none", lang)
    chain = " > ".join(_name(c) for c in path.certificates)
    if path.anchor is not None:
        tail = f"{word('path_anchor', lang)}: {path.anchor}"
    elif path.missing_issuer is not None:
        tail = word("path_incomplete", lang, issuer=_issuer_name(path.missing_issuer))
    else:
        tail = word("path_eu_none" if eu else "path_jp_none", lang)
    # (Japanese text takes full-width brackets and colons, no ASCII ", ")
    if lang == "ja":
        return f"{chain}（{tail.replace(': ', '：')}）"
    return f"{chain} ({tail})"


def _path_part(sig_path: TrustPath, lang: Lang, *, eu: bool) -> str:
    if lang == "ja":
        return f"　{word('path', lang)}：{path_text(sig_path, lang, eu=eu)}"
    return f"; {word('path', lang)}: {path_text(sig_path, lang, eu=eu)}"


def column_lines(sig: SignatureResult, lang: Lang = "en") -> list[str]:
    """The EU line and the JP line of one entry."""
    eu = f"EU: {label(sig.eu_qualification, lang)}"
    if sig.eu_path is not None:
        eu += _path_part(sig.eu_path, lang, eu=True)
    jp_status = sig.jp_status
    jp = "JP: " + ((jp_status.en if lang == "en" else jp_status.ja) if jp_status else "-")
    if sig.jp_path is not None:
        jp += _path_part(sig.jp_path, lang, eu=False)
    return [eu, jp]


def columns_text(results: Sequence[FileResult], lang: Lang = "en") -> str:
    """Every entry of every file: its verdict, its reasons, its two columns."""
    lines: list[str] = []
    for r in results:
        if not r.signatures:
            continue
        lines.append(r.path)
        for sig in r.signatures:
            who = _name(sig.signer) if sig.signer else "?"
            kind = word("entry_" + sig.kind.value, lang)
            field = f"“{sig.field_name}”" if lang == "en" else f"「{sig.field_name}」"
            who = f"({who})" if lang == "en" else f"（{who}）"
            lines.append(f"  {kind} {field} {who}: {sig.verdict.name}")
            for reason in sig.reasons:
                lines.append("    - " + (reason.en if lang == "en" else reason.ja))
            lines += ["    " + line for line in column_lines(sig, lang)]
    return "\n".join(lines)


__all__ = ["column_lines", "columns_text", "path_text"]
