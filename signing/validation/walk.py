"""The values the validation walk hands from step to step (see
:mod:`signing.validation.pipeline`): the pipeline gives a process an
:class:`EntryTask`, the process answers with a :class:`ProcessOutcome`, the
facts step turns that into :class:`EntryFacts`, which the verdict step
weighs. Frozen: a step reads what it is handed and answers with a new value.

(The PDF objects, pyHanko's results and the file's validation data stay out
of the ``repr``: Python 3.11's ``asyncio.run`` formats the task's result when
it restores the SIGINT handler, and a file's every signature dictionary is
too much to format for each entry.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from signing.model.reasons.changes import Change
from signing.model.results import ChainElement, Level, ModificationInfo, Reason, SignatureResult
from signing.validation.context import Entry
from signing.validation.embedded import EmbeddedData


@dataclass(frozen=True)
class EntryTask:
    """What the pipeline hands a process for one entry."""

    entry: Entry = field(repr=False)
    #: every entry of the file, in revision order (later document
    #: timestamps are proofs of existence)
    entries: tuple[Entry, ...] = field(repr=False)
    #: the validation data the file carries for this entry (DSS and the
    #: entry's own revocation archive)
    embedded: EmbeddedData = field(repr=False)
    #: the entry's PAdES level, detected before (signatures only)
    level: Level = Level.NONE
    #: why the signer's signed attributes are not DER, read before anything
    #: parsed them (signatures only; None: they are DER)
    not_der: str | None = None


@dataclass(frozen=True)
class TokenCheck:
    """The signature timestamp as validated: inside the signature's own
    process (``ades_subindic`` None), or by itself when that process stopped
    before it (EN 319 102-1, 5.4)."""

    #: pyHanko's status of the token (None: the token's process gave none)
    status: Any = field(repr=False)
    #: the time the token states
    time: datetime
    #: the token's own process result, when validated by itself
    ades_subindic: Any = None


@dataclass(frozen=True)
class ProcessOutcome:
    """What the processes found for one entry, in pyHanko's terms."""

    task: EntryTask
    emb: EmbeddedPdfSignature = field(repr=False)
    #: pyHanko's AdES result (``ades_subindic``, ``api_status``, ...)
    result: Any = field(repr=False)
    modification: ModificationInfo
    #: the named changes after the entry's revision (none when unchanged)
    changes: tuple[Change, ...]
    #: what the processes found beyond pyHanko's answer, in order
    reasons: tuple[Reason, ...]
    #: the signature timestamp (signatures only)
    token: TokenCheck | None = None
    #: the signed attributes are not DER (signatures only)
    not_der: Reason | None = None
    #: the time a document timestamp was validated at (for its ETSI report)
    best_time: datetime | None = None
    #: when a trusted responder pyHanko could not use says the signer was
    #: revoked (the chain shows it, as the reason does)
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class EntryFacts:
    """Everything the verdict of one entry is made from."""

    #: the entry as described: who, when, chain, integrity, changes. Its
    #: indication and sub-indication are pyHanko's answer; the verdict step
    #: sets the verdict, the level, the reasons and the proven time (its
    #: ``verdict`` here is a placeholder)
    draft: SignatureResult
    #: every reason found, in order, duplicates kept (each weighs in)
    reasons: tuple[Reason, ...]
    #: a certification or a field lock says which changes are allowed
    restricted: bool
    #: the signature timestamp's sub-indication (signatures)
    timestamp_subindication: str | None = None
    #: the signed attributes are not DER: the document itself did not change
    not_der: bool = False
    #: a document timestamp's chain as it reads when the verdict turns its
    #: indication to TOTAL-FAILED (revocation no longer "good")
    chain_if_failed: tuple[ChainElement, ...] = ()
