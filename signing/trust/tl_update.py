"""Accepting a downloaded (or bundled) list into the cache: verify, refuse a
rollback, parse, store. Shared by the EU lists and the Japanese list."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from signing.errors import TrustListError
from signing.model.reasons import causes
from signing.trust.tl_errors import TrustListCacheError, TrustListRollbackError
from signing.trust.tl_services import ServiceRecord, parse_services, records_to_json
from signing.trust.tl_store import ListState, TrustListStore
from signing.trust.tl_verify import VerifiedList, verify_trust_list
from signing.trust.tl_xml import ListHeader, parse_safely, read_header

log = logging.getLogger(__name__)

IndexExtra = Callable[[VerifiedList], dict[str, Any]]
Transform = Callable[[list[ServiceRecord]], list[ServiceRecord]]

#: bump when the parsed index changes shape; older indexes are rebuilt
INDEX_FORMAT = 3


def header_to_json(h: ListHeader) -> dict[str, Any]:
    return {
        "territory": h.territory,
        "sequence": h.sequence,
        "tsl_type": h.tsl_type,
        "version": h.version,
        "issued": h.issued.isoformat(),
        "next_update": h.next_update.isoformat() if h.next_update else None,
        "service_count": h.service_count,
    }


def build_index(
    verified: VerifiedList,
    extra: IndexExtra | None = None,
    *,
    territory: str | None = None,
    transform: Transform | None = None,
) -> dict[str, Any]:
    """The parsed services (and anything ``extra`` adds) of a verified list.
    ``territory`` names the services' list (default: the list's own claim);
    ``transform`` rewrites them (MRA translation)."""
    records, problems = parse_services(verified.signed_xml, territory or verified.header.territory)
    if transform is not None:
        records = transform(records)
    for p in problems:
        log.warning("%s", p)
    index: dict[str, Any] = {
        "format": INDEX_FORMAT,
        "header": header_to_json(verified.header),
        "records": records_to_json(records),
        "problems": problems,
    }
    if extra is not None:
        index.update(extra(verified))
    return index


def claimed_issue_time(data: bytes) -> datetime | None:
    """The issue date a list claims, read *without* checking its signature;
    used only as the time at which to check a bundled list's signer."""
    try:
        return read_header(parse_safely(data)).issued
    except TrustListError:
        return None


def accept_list(
    store: TrustListStore,
    key: str,
    data: bytes,
    signer_certs: Sequence[bytes],
    *,
    url: str,
    now: datetime,
    source: str = "network",
    validation_time: datetime | None = None,
    expected_territory: str | None = None,
    expected_types: Collection[str] | None = None,
    index_extra: IndexExtra | None = None,
    transform: Transform | None = None,
) -> ListState:
    """Verify ``data`` and store it as the list ``key``.

    A list with a lower sequence number than the cached one is refused
    (:class:`TrustListRollbackError`). Any refusal is recorded in the list's
    state (``last_error``) and re-raised; the cached copy is left untouched.
    """
    try:
        verified = verify_trust_list(
            data,
            signer_certs,
            validation_time=validation_time,
            expected_territory=expected_territory,
            expected_types=expected_types,
        )
        old = store.state(key)
        seq = verified.header.sequence
        if old is not None and old.sequence is not None and old.has_list and seq < old.sequence:
            raise TrustListRollbackError(
                f"The downloaded {key} list has sequence number {seq}, lower than the "
                f"cached {old.sequence}: refused (rollback).",
                ja=f"ダウンロードした{key}のリストのシーケンス番号{seq}は、保存済みの"
                f"{old.sequence}より小さいため拒否しました（ロールバック）。",
            )
        if old is not None and old.sha256 == verified.sha256 and old.has_list:
            new = replace(
                old,
                url=url or old.url,
                last_success=now,
                last_attempt=now,
                last_error=None,
                last_error_ja=None,
                last_error_code=None,
            )
            store.update_state(new)
            current = store.read_index(key, verified.sha256)
            if current is None or current.get("format") != INDEX_FORMAT:
                store.write_index(
                    key,
                    verified.sha256,
                    build_index(verified, index_extra, territory=key, transform=transform),
                )
            return new
        h = verified.header
        new = ListState(
            key=key,
            url=url,
            territory=h.territory,
            tsl_type=h.tsl_type,
            sequence=h.sequence,
            issued=h.issued,
            next_update=h.next_update,
            service_count=h.service_count,
            sha256=verified.sha256,
            source=source,
            # a bundled copy is not a fetch: it stays due for a refresh
            last_success=None if source == "snapshot" else now,
            last_attempt=None if source == "snapshot" else now,
        )
        store.commit(
            new, data, build_index(verified, index_extra, territory=key, transform=transform)
        )
        return new
    except OSError as exc:
        raise TrustListCacheError(
            f"The trusted-list cache at {store.dir} cannot be written: {exc}",
            ja=f"トラストリストのキャッシュ（{store.dir}）に書き込めません："
            f"{causes.file_problem(exc).ja}。",
            technical=str(exc),
        ) from exc
    except TrustListError as exc:
        store.record_failure(key, exc, now, url)
        raise
