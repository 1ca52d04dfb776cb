"""``shomei trust import DIR|ZIP``: trusted lists brought in by hand (a mirror
folder, a USB stick, an archive) for machines that cannot download them.

Every file goes through the checks a download goes through
(:meth:`EuTrust.import_list` → :func:`signing.trust.tl_update.accept_list`):
the LOTL against the pinned signers (and those the cached LOTL announces),
each national list against the certificates the LOTL names for its
territory; a refused file, a rollback or an unreadable file is reported and
never stored, so the cache keeps its last good copy. Files are recognised by
their content (list type, territory, sequence), not by their names.

A signer certificate is checked at the list's claimed issue time, as for the
bundled snapshot (an archived list was signed while its signer was valid);
``EuTrustConfig.validation_time`` overrides it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from signing.errors import TrustListError
from signing.model.reasons import causes
from signing.trust.tl_errors import TrustListFormatError
from signing.trust.tl_update import claimed_issue_time
from signing.trust.tl_verify import TSL_TYPE_LOTL
from signing.trust.tl_xml import MAX_LIST_BYTES, parse_safely, read_header

if TYPE_CHECKING:
    from signing.trust.eu import EuTrust, UpdateReport

#: more files than any mirror holds (one LOTL, ~31 lists, a few pivots)
MAX_FILES = 500


class TrustImportError(TrustListError):
    """The folder or archive cannot be read at all."""

    code = "trust-import"


@dataclass(frozen=True)
class _Candidate:
    name: str
    data: bytes
    tsl_type: str
    territory: str
    sequence: int


def read_sources(source: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every ``*.xml`` file in a folder (recursively) or a zip archive."""
    if source.is_dir():
        paths = sorted(p for p in source.rglob("*") if p.suffix.lower() == ".xml" and p.is_file())
        if len(paths) > MAX_FILES:
            raise TrustImportError(
                f"{source} holds {len(paths)} XML files (limit {MAX_FILES}).",
                ja=f"{source}にはXMLファイルが{len(paths)}個あります（上限{MAX_FILES}個）。",
            )
        out = []
        for p in paths:
            if p.stat().st_size > MAX_LIST_BYTES:
                raise TrustImportError(
                    f"{p} is larger than any trusted list ({MAX_LIST_BYTES}).",
                    ja=f"{p}はトラストリストとしては大きすぎます（上限{MAX_LIST_BYTES}バイト）。",
                )
            out.append((str(p.relative_to(source)), p.read_bytes()))
        return out
    if not source.is_file():
        raise TrustImportError(
            f"{source} is neither a folder nor a file.",
            ja=f"{source}はフォルダーでもファイルでもありません。",
        )
    try:
        with zipfile.ZipFile(source) as zf:
            infos = [i for i in zf.infolist() if i.filename.lower().endswith(".xml")]
            if len(infos) > MAX_FILES:
                raise TrustImportError(
                    f"{source} holds {len(infos)} XML files.",
                    ja=f"{source}にはXMLファイルが{len(infos)}個あります（多すぎます）。",
                )
            out = []
            for info in infos:
                if info.file_size > MAX_LIST_BYTES:
                    raise TrustImportError(
                        f"{info.filename} in {source} is too large.",
                        ja=f"{source}内の{info.filename}は大きすぎます。",
                    )
                with zf.open(info) as fh:
                    # (the declared size can lie: never read past the limit)
                    data = fh.read(MAX_LIST_BYTES + 1)
                if len(data) > MAX_LIST_BYTES:
                    raise TrustImportError(
                        f"{info.filename} in {source} is too large.",
                        ja=f"{source}内の{info.filename}は大きすぎます。",
                    )
                out.append((info.filename, data))
            return out
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise TrustImportError(
            f"{source} cannot be read as a folder or zip archive of trusted lists: {exc}",
            ja=f"{source}をトラストリストのフォルダーまたはzipアーカイブとして読み取れません"
            f"（{causes.file_problem(exc).ja}）。",
            technical=str(exc),
        ) from exc


def _classify(name: str, data: bytes) -> _Candidate:
    header = read_header(parse_safely(data))
    return _Candidate(name, data, header.tsl_type, header.territory.upper(), header.sequence)


def import_lists(trust: EuTrust, source: Path, *, now: datetime | None = None) -> UpdateReport:
    """Import the lists of ``source`` into ``trust``'s cache: first the LOTL
    (the newest that verifies), then, against its pointers, each national
    list (per territory, the newest that verifies). Never raises for a bad
    list: it is in the report's errors."""
    from signing.trust.eu import LOTL_KEY, UpdateReport, utcnow

    now = now or utcnow()
    updated: list[str] = []
    unchanged: list[str] = []
    errors: list[tuple[str, TrustListError]] = []
    candidates: list[_Candidate] = []
    for name, data in read_sources(source):
        try:
            candidates.append(_classify(name, data))
        except TrustListError as exc:
            errors.append((name, exc))
    if not candidates and not errors:
        raise TrustImportError(
            f"{source} holds no trusted-list XML file.",
            ja=f"{source}にはトラストリストのXMLファイルがありません。",
        )

    def accept(key: str, group: list[_Candidate], signers: tuple[bytes, ...] | None) -> None:
        failures: list[TrustListError] = []
        for cand in sorted(group, key=lambda c: c.sequence, reverse=True):
            before = trust.store.state(key)
            try:
                after = trust.import_list(
                    key,
                    cand.data,
                    signers,
                    validation_time=trust.config.validation_time or claimed_issue_time(cand.data),
                    now=now,
                    reload=False,
                )
            except TrustListError as exc:
                failures.append(
                    type(exc)(f"{cand.name}: {exc}", ja=f"{cand.name}：{exc.text('ja')}")
                )
                continue
            same = before is not None and before.sha256 == after.sha256
            (unchanged if same else updated).append(key)
            if failures:
                # a newer copy was refused and an older one taken: say so
                errors.extend((key, f) for f in failures)
            return
        errors.extend((key, f) for f in failures)

    # LOTLs oldest first: each one accepted announces the signers of the next
    # (its pivots, Implementing Decision (EU) 2015/1505, art. 4), so a folder
    # holding the pivots leads from the pinned signers to the newest LOTL
    cached = trust.store.state(LOTL_KEY)
    floor = cached.sequence if cached is not None and cached.has_list else None
    for cand in sorted(
        (c for c in candidates if c.tsl_type == TSL_TYPE_LOTL), key=lambda c: c.sequence
    ):
        if floor is not None and cand.sequence < floor:
            continue  # older than what is cached: nothing to learn, never a rollback
        accept(LOTL_KEY, [cand], trust.current_lotl_signers())
        trust.reload()
    trust.reload()
    named = {p.territory for p in trust.pointers() if not p.is_lotl}
    by_territory: dict[str, list[_Candidate]] = {}
    for cand in candidates:
        if cand.tsl_type == TSL_TYPE_LOTL:
            continue
        if cand.territory not in named:
            errors.append(
                (
                    cand.name,
                    TrustListFormatError(
                        f"{cand.name}: the LOTL names no list for territory "
                        f"{cand.territory!r}, so it cannot be verified.",
                        ja=f"{cand.name}：LOTLに地域{cand.territory!r}のリストが記載されていないため"
                        "検証できません。",
                    ),
                )
            )
            continue
        by_territory.setdefault(cand.territory, []).append(cand)
    for territory, group in sorted(by_territory.items()):
        if trust.wanted(territory):
            accept(territory, group, None)
    trust.reload()
    changed = tuple(dict.fromkeys(updated))
    same = tuple(k for k in dict.fromkeys(unchanged) if k not in changed)
    return UpdateReport(changed, same, tuple(errors))
