"""The verdict story: what a person reads about one validated file, computed
once from a :class:`~signing.model.results.FileResult`.

Every front end (the CLI line, the JSON ``headline``, the readable reports,
the app's banner, cards and batch table) renders this model and computes
nothing itself, so they cannot tell different stories.

- The **headline** is the reason that decides the file's verdict, chosen
  across all entries by category: integrity and structure (including changes
  after signing) first, then revocation, then trust, then time and
  algorithms, then information. A later signature's tampering is never
  hidden behind an earlier signature's "not trusted".
- Per entry: its decisive reason and the others; the **proven time** with its
  source (signature timestamp, the entry's own document timestamp, a later
  archive timestamp, or "not proven: claimed by the signer" - never the
  validation time); **what changed since signing** in one vocabulary; the
  revocation status and the EU column in words.
- The state of the trusted lists (out of date, not downloaded), when the
  caller knows it.

Every sentence is a :class:`~signing.model.results.Reason` (a code plus
English and Japanese) from the one catalogue, :mod:`signing.model.reasons`.
This module has no Qt and no I/O except :func:`current_trust_lists`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from signing.model import reasons as R
from signing.model.labels import label
from signing.model.results import (
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    Qualification,
    Reason,
    RevocationStatus,
    SignatureResult,
    TimestampInfo,
    Verdict,
)

Lang = Literal["en", "ja"]


class Category(enum.IntEnum):
    """What a reason is about; the lower, the more it explains a verdict."""

    INTEGRITY = 0  # integrity and structure, changes after signing, unreadable files
    REVOCATION = 1
    TRUST = 2
    TIME = 3  # time, proof of existence, algorithms, policy constraints
    INFORMATION = 4


_INTEGRITY = frozenset(
    {
        "not-a-pdf",
        "truncated-pdf",
        "unreadable-pdf",
        "encrypted-pdf",
        "file-too-large",
        "file-unreadable",
        "cannot-parse",
        "cms-unreadable",
        "signature-structure",
        "byterange-invalid",
        "hash-mismatch",
        "signature-crypto-failure",
        "signature-invalid",
        "modified-after-signing",
        "changes-not-permitted",
        "docmdp-violation",
        "unexplained-changes",
        "not-covering-whole-file",
        "timestamp-invalid",
        "document-timestamp-invalid",
        "lenient-parsing",
        "validation-error",
        "time-limit-reached",
        "too-many-signatures",
        "unsupported-signature-format",
        "no-signatures",
        "etsi-hash-failure",
        "etsi-sig-crypto-failure",
        "etsi-format-failure",
        "etsi-signed-data-not-found",
    }
)
_REVOCATION = frozenset(
    {
        "certificate-revoked",
        "revoked-no-poe",
        "revocation-unavailable",
        "offline-no-revocation",
        "revocation-not-checked",
        "etsi-revoked",
        "etsi-revoked-no-poe",
        "etsi-revoked-ca-no-poe",
        "etsi-try-later",
        "etsi-revocation-out-of-bounds-no-poe",
    }
)
#: the trust codes (tests check a tampered file's headline is never one)
TRUST_CODES = frozenset(
    {
        "untrusted-chain",
        "no-signing-certificate",
        "signing-certificate-missing",
        "timestamp-untrusted",
        "etsi-no-certificate-chain-found",
        "etsi-chain-constraints-failure",
        "etsi-certificate-chain-general-failure",
        "etsi-no-signing-certificate-found",
        "etsi-policy-processing-error",
        "etsi-signature-policy-not-available",
    }
)
_TIME = frozenset(
    {
        "certificate-expired",
        "certificate-not-yet-valid",
        "weak-algorithm",
        "weak-algorithm-before-sunset",
        "no-poe",
        "timestamp-problem",
        "archive-timestamp-not-used",
        "etsi-expired",
        "etsi-not-yet-valid",
        "etsi-out-of-bounds-no-poe",
        "etsi-out-of-bounds-not-revoked",
        "etsi-crypto-constraints-failure",
        "etsi-crypto-constraints-failure-no-poe",
        "etsi-no-poe",
        "etsi-timestamp-order-failure",
        "etsi-sig-constraints-failure",
    }
)
_INFORMATION = frozenset(
    {
        "signature-valid",
        "all-valid",
        "validated-at-later-timestamp",
        "validated-at-signature-time",
        "not-pades-baseline",
        "not-modified-after-signing",
    }
)


def category_of(code: str, subindication: str | None = None) -> Category:
    """The category of a reason code. ``indeterminate`` and ``failed`` (a
    sub-indication without a code of its own) take their entry's
    ``subindication``'s. A code this table does not know yet (another part
    of the engine may add some) is judged by its name, and counts as
    integrity when nothing matches: an unknown problem is shown, never hidden
    behind a trust message."""
    if code in ("indeterminate", "failed") and subindication:
        code = "etsi-" + subindication.lower().replace("_", "-")
    for table, category in (
        (_INTEGRITY, Category.INTEGRITY),
        (_REVOCATION, Category.REVOCATION),
        (TRUST_CODES, Category.TRUST),
        (_TIME, Category.TIME),
        (_INFORMATION, Category.INFORMATION),
    ):
        if code in table:
            return category
    if "revo" in code:
        return Category.REVOCATION
    if code.startswith(("jp-", "eu-", "trust")) or any(
        w in code for w in ("chain", "anchor", "trust", "responder", "key-usage")
    ):
        return Category.TRUST
    if any(w in code for w in ("poe", "expired", "algorithm", "time")):
        return Category.TIME
    return Category.INTEGRITY


# --- the parts of an entry's story ---------------------------------------------


class TimeSource(enum.Enum):
    SIGNATURE_TIMESTAMP = "signature-timestamp"
    DOCUMENT_TIMESTAMP = "document-timestamp"  # the entry is itself a document timestamp
    ARCHIVE_TIMESTAMP = "archive-timestamp"  # a later document timestamp covers it
    UNTRUSTED_TIMESTAMP = "untrusted-timestamp"  # a time a timestamp states, not proven
    CLAIMED = "claimed"  # what the signer's computer wrote: not proven


@dataclass(frozen=True)
class ProvenTime:
    #: the proven time; None when nothing proves one (``source`` says why)
    time: datetime | None
    source: TimeSource
    #: the time a person sees beside it (the claimed one when not proven)
    shown: datetime | None
    message: Reason


@dataclass(frozen=True)
class ChangeStory:
    #: change-none / change-validation-data / change-form-filled /
    #: change-annotations / change-content / change-signed-content /
    #: change-unclassified / change-unknown
    code: str
    #: None: cannot be told (the signature could not be checked)
    changed: bool | None
    #: None when there is nothing to allow
    allowed: bool | None
    message: Reason


@dataclass(frozen=True)
class EntryStory:
    index: int  # 1-based, as the cards number them
    kind: EntryKind
    field_name: str
    verdict: Verdict
    indication: Indication
    subindication: str | None
    decisive: Reason
    others: tuple[Reason, ...]
    time: ProvenTime
    change: ChangeStory
    revocation: Reason
    eu: Reason
    #: the Japanese column in words (None: not assessed by any layer)
    jp: Reason | None = None


@dataclass(frozen=True)
class TrustListState:
    """The trusted lists a validation used: which are out of date, missing."""

    #: (list, whole days past its next update)
    stale: tuple[tuple[str, int], ...] = ()
    missing: tuple[str, ...] = ()
    #: lists loaded and usable (stale ones included)
    loaded: tuple[str, ...] = ()

    @property
    def message(self) -> Reason | None:
        """One sentence, or None when every list is current."""
        if not self.loaded:
            return R.trust_lists_missing() if self.missing else None
        if self.stale:
            return R.trust_lists_stale(self.stale)
        if self.missing:
            return R.trust_lists_missing(self.missing)
        return None


@dataclass(frozen=True)
class FileStory:
    path: str
    verdict: Verdict
    headline: Reason
    headline_category: Category
    #: the entry the headline comes from (1-based); None: the file itself
    headline_entry: int | None
    entries: tuple[EntryStory, ...]
    #: file-level reasons other than the headline (lenient parsing...)
    notes: tuple[Reason, ...]
    trust_lists: TrustListState | None = None
    #: "Validated as of …": set when the validation time was chosen (not now)
    as_of: Reason | None = None

    def title(self, lang: Lang) -> str:
        """The verdict in words ("Invalid" / "無効")."""
        return label(self.verdict, lang)


def text(reason: Reason, lang: str) -> str:
    """A reason's sentence in ``lang`` (English for anything but ``"ja"``)."""
    return reason.ja if lang == "ja" and reason.ja else reason.en


# --- building -------------------------------------------------------------------


def _pick(
    candidates: Sequence[tuple[int | None, Reason, str | None]], target: Verdict
) -> tuple[int | None, Reason] | None:
    """The reason that decides ``target``: among those weighing at least as
    much (else the heaviest), the first of the best category."""
    if not candidates:
        return None
    deciding = [c for c in candidates if c[1].severity >= target]
    if not deciding:
        top = max(c[1].severity for c in candidates)
        deciding = [c for c in candidates if c[1].severity == top]
    best = min(
        enumerate(deciding),
        key=lambda ic: (category_of(ic[1][1].code, ic[1][2]), ic[0]),
    )[1]
    return best[0], best[1]


def _tsa_name(ts: TimestampInfo) -> str | None:
    if ts.tsa is None:
        return None
    return ts.tsa.common_name or ts.tsa.subject


def proven_time(sig: SignatureResult) -> ProvenTime:
    """When the entry is proven to have existed, and by what. Only a
    timestamp proves a time: pyHanko's ``best_time`` falls back to the
    validation time when nothing earlier is proven, so it is not used."""
    token = sig.signature_timestamp
    if sig.kind is EntryKind.DOCUMENT_TIMESTAMP and token is not None and token.time:
        if sig.indication is Indication.TOTAL_PASSED:
            msg = R.time_by_document_timestamp(token.time, _tsa_name(token))
            return ProvenTime(token.time, TimeSource.DOCUMENT_TIMESTAMP, token.time, msg)
        msg = R.time_by_untrusted_timestamp(token.time, _tsa_name(token))
        return ProvenTime(None, TimeSource.UNTRUSTED_TIMESTAMP, token.time, msg)
    if token is not None and token.trusted and token.time:
        msg = R.time_by_signature_timestamp(token.time, _tsa_name(token))
        return ProvenTime(token.time, TimeSource.SIGNATURE_TIMESTAMP, token.time, msg)
    archives = sorted(
        (t for t in sig.covering_timestamps if t.trusted and t.time), key=lambda t: t.time
    )
    if archives:
        first = archives[0]
        msg = R.time_by_archive_timestamp(first.time, _tsa_name(first))
        return ProvenTime(first.time, TimeSource.ARCHIVE_TIMESTAMP, first.time, msg)
    if token is not None and token.time:
        msg = R.time_by_untrusted_timestamp(token.time, _tsa_name(token))
        return ProvenTime(None, TimeSource.UNTRUSTED_TIMESTAMP, token.time, msg)
    claimed = sig.claimed_time
    return ProvenTime(None, TimeSource.CLAIMED, claimed, R.time_claimed_by_signer(claimed))


_ALTERED = frozenset({"HASH_FAILURE"})
_CHANGE_CODES = {
    ChangeKind.LTA_UPDATES: "change-validation-data",
    ChangeKind.FORM_FILLING: "change-form-filled",
    ChangeKind.ANNOTATIONS: "change-annotations",
}


def change_since_signing(sig: SignatureResult) -> ChangeStory:
    """What changed since signing, in one vocabulary, never contradicting
    the reasons: a broken hash is "the signed content was altered", whatever
    the difference analysis said about later revisions."""

    def story(code: str, changed: bool | None, allowed: bool | None) -> ChangeStory:
        # an altered signed content needs no "(NOT allowed)": it says so itself
        said = None if code == "change-signed-content" else allowed
        return ChangeStory(code, changed, allowed, R.change_since_signing(code, said))

    codes = {r.code for r in sig.reasons}
    if sig.subindication in _ALTERED or "hash-mismatch" in codes:
        return story("change-signed-content", True, False)
    mod = sig.modification
    if mod is None:
        return story("change-unknown", None, None)
    forbidding = codes & {"changes-not-permitted", "docmdp-violation"}
    if not mod.modified_after_signing or mod.change_kind is ChangeKind.NONE:
        if forbidding:
            return story("change-content", True, False)
        if "unexplained-changes" in codes or not mod.covers_whole_file:
            return story("change-unclassified", True, None)
        return story("change-none", False, None)
    if forbidding or (
        mod.change_kind is ChangeKind.OTHER
        and not mod.changes_permitted
        and ("unexplained-changes" not in codes)
    ):
        code = _CHANGE_CODES.get(mod.change_kind, "change-content")
        return story(code, True, False)
    if mod.change_kind is ChangeKind.OTHER or "unexplained-changes" in codes:
        return story("change-unclassified", True, None)
    # a kind this vocabulary does not know yet (the difference analysis may
    # grow finer classes) is said as "cannot be classified", never dropped
    known = _CHANGE_CODES.get(mod.change_kind)
    if known is None:
        return story("change-unclassified", True, None)
    return story(known, True, mod.changes_permitted)


def revocation_status(sig: SignatureResult) -> Reason:
    """The signer's (or, for a document timestamp, the TSA's) revocation
    status in words."""
    if not sig.chain:
        return R.revocation_words("not-checked")
    first = sig.chain[0]
    if first.is_trust_anchor:
        return R.revocation_words("not-needed")
    source = f"{label(first.revocation_source, 'en')}|{label(first.revocation_source, 'ja')}"
    status = {
        RevocationStatus.GOOD: "good",
        RevocationStatus.REVOKED: "revoked",
        RevocationStatus.UNKNOWN: "unknown",
        RevocationStatus.NOT_CHECKED: "not-checked",
    }[first.revocation_status]
    return R.revocation_words(status, when=first.revocation_time, source=source)


def eu_column(sig: SignatureResult) -> Reason:
    """The EU qualification in words; when it is not assessed or not
    qualified, with the EU layer's own first reason (lists turned off, not
    loaded, the certificate is on no list...), never a guess."""
    q = sig.eu_qualification
    en, ja = label(q, "en"), label(q, "ja")
    if q in (Qualification.NOT_ASSESSED, Qualification.INDETERMINATE) and sig.eu_reasons:
        why = sig.eu_reasons[0]
        if R.INTERNAL_TEXT.search(why.en):  # a library's error: kept as technical detail
            why = R.eu_not_assessable(detail=why.en)
        en, ja = f"{en}: {why.en}", f"{ja}：{why.ja}"
    return Reason("eu-" + q.value.lower(), en, ja, Verdict.VALID)


def jp_column(sig: SignatureResult) -> Reason | None:
    """The Japanese status in words, never a library's error text."""
    jp = sig.jp_status
    if jp is None:
        return None
    if R.INTERNAL_TEXT.search(jp.en) or R.INTERNAL_TEXT.search(jp.ja):
        return R.jp_not_assessable(detail=jp.en)
    return Reason(jp.code, jp.en, jp.ja, Verdict.VALID)


def entry_story(sig: SignatureResult, index: int) -> EntryStory:
    cands = [(None, r, sig.subindication) for r in sig.reasons]
    picked = _pick(cands, sig.verdict) if sig.verdict is not Verdict.VALID else None
    decisive = picked[1] if picked is not None else R.signature_valid()
    if sig.verdict is not Verdict.VALID and picked is None:
        decisive = R.from_subindication(sig.indication, sig.subindication)
    others = tuple(r for r in sig.reasons if r is not decisive)
    return EntryStory(
        index=index,
        kind=sig.kind,
        field_name=sig.field_name,
        verdict=sig.verdict,
        indication=sig.indication,
        subindication=sig.subindication,
        decisive=decisive,
        others=others,
        time=proven_time(sig),
        change=change_since_signing(sig),
        revocation=revocation_status(sig),
        eu=eu_column(sig),
        jp=jp_column(sig),
    )


def file_story(result: FileResult, trust_lists: TrustListState | None = None) -> FileStory:
    """The story of ``result`` (``trust_lists``: the state of the lists the
    validation used, when the caller knows it)."""
    entries = tuple(entry_story(s, i) for i, s in enumerate(result.signatures, 1))
    file_reasons = list(result.reasons)
    if result.error is not None and result.error not in file_reasons:
        file_reasons.insert(0, result.error)
    if result.error is not None:
        headline, where = result.error, None
    elif not result.signatures:
        found = next((r for r in file_reasons if r.code == "no-signatures"), None)
        headline, where = found or R.no_signatures(), None
    elif result.verdict is Verdict.VALID:
        headline, where = R.all_valid(len(result.signatures)), None
    else:
        cands: list[tuple[int | None, Reason, str | None]] = [(None, r, None) for r in file_reasons]
        for e, s in zip(entries, result.signatures, strict=True):
            cands += [(e.index, r, s.subindication) for r in s.reasons]
        picked = _pick(cands, result.verdict)
        if picked is None:  # a verdict without any reason: its worst entry's
            worst = max(entries, key=lambda e: e.verdict)
            headline, where = worst.decisive, worst.index
        else:
            where, headline = picked
    sub = None
    if where is not None:
        sub = result.signatures[where - 1].subindication
    notes = tuple(r for r in file_reasons if r is not headline)
    return FileStory(
        path=result.path,
        verdict=result.verdict,
        headline=headline,
        headline_category=category_of(headline.code, sub),
        headline_entry=where,
        entries=entries,
        notes=notes,
        trust_lists=trust_lists,
        as_of=(
            R.validation_time_chosen(result.validation_time)
            if result.validation_time_chosen and result.validation_time is not None
            else None
        ),
    )


# --- trusted lists ----------------------------------------------------------------


def trust_list_state(statuses: Iterable[Any], now: datetime | None = None) -> TrustListState:
    """From status rows (``TerritoryStatus``): the stale, missing and loaded
    lists, each judged by :meth:`signing.trust.status.ListStatus.of` (the one
    freshness rule, which ``shomei trust status`` and Settings › Trust show)."""
    from signing.trust.status import Freshness, ListStatus

    now = now or datetime.now(UTC)
    stale: list[tuple[str, int]] = []
    missing: list[str] = []
    loaded: list[str] = []
    for row in statuses:
        status = ListStatus.of(row, now, anchors=0)
        if status.freshness is Freshness.MISSING:
            missing.append(status.key)
            continue
        loaded.append(status.key)
        if status.freshness is Freshness.STALE:
            stale.append((status.key, status.days_past_update))
    return TrustListState(tuple(stale), tuple(missing), tuple(loaded))


def current_trust_lists(config: Any, now: datetime | None = None) -> TrustListState | None:
    """The state of the lists a validation with ``config`` (a
    :class:`~signing.trust.config.TrustConfig`) uses, from the loaded trust
    environment (no network). None when no list layer is enabled."""
    from signing.trust.environment import environment_for

    if not (config.eu_enabled or config.jp_enabled):
        return None
    env = environment_for(config)
    rows: list[Any] = []
    if env.eu is not None:
        rows += list(env.eu.status(now))
    if config.jp_enabled:
        rows += _jp_status(config, now)
    return trust_list_state(rows, now)


def _jp_status(config: Any, now: datetime | None) -> list[Any]:
    from signing.trust.environment import jp_config_for
    from signing.trust.jp_trust import JpTrust

    try:
        return [JpTrust.open(jp_config_for(config)).status(now)]
    except Exception:  # no usable list: the Japanese column says why
        return []
