"""Every signed field of a file as an :class:`~signing.validation.context.Entry`,
in revision order: read up to ``max_signatures`` (each costs its dictionary,
its /Contents and its CMS), only counted past that.

Used by :mod:`signing.validation.pipeline`; not a public API.
"""

from __future__ import annotations

import itertools
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from signing import thirdparty_internals as internals
from signing.pdf import limits as pdf_limits
from signing.validation.context import TIMESTAMP_SUBFILTER, Entry, FileContext
from signing.validation.hostile import Problem, check_signature_dictionary, describe
from signing.validation.options import ValidationOptions


def _shared_signature_objects(reader: PdfFileReader) -> dict[str, EmbeddedPdfSignature]:
    """pyHanko's own list of the file's signatures (cached on the reader, and
    used again by its LTA process): sharing the objects shares the digests
    and integrity results, so a large file is not hashed once per process."""
    try:
        return {str(e.field_name): e for e in reader.embedded_signatures}
    except Exception:  # one hostile signature spoils the list: build our own
        return {}


def fields_listed(options: ValidationOptions) -> int:
    """How many signed fields are listed at most (each costs reading its
    dictionary and /Contents): enough to say how far past the cap a file is."""
    return 10 * options.max_signatures + 1


def collect_entries(ctx: FileContext) -> list[Entry]:
    """Every signed field as an entry; past ``max_signatures`` fields (in
    document order) only counted, not read: a forged file can hold many
    thousands, and each costs its /Contents and CMS parsing."""
    entries: list[Entry] = []
    found = enumerate_sig_fields(ctx.reader, filled_status=True)
    fields = list(itertools.islice(found, fields_listed(ctx.options)))
    limit = ctx.options.max_signatures
    # (pyHanko's own list reads every field: only when all are wanted)
    shared = _shared_signature_objects(ctx.reader) if len(fields) <= limit else {}
    for fq_name, sig_obj_ref, field_ref in fields[:limit]:
        pdf_limits.check_time()
        try:
            sig_obj = sig_obj_ref.get_object()
        except pdf_limits.PdfLimitExceeded as exc:  # not malformed: too costly to read
            problem = Problem(exc.code, exc.detail)
            entries.append(_unread(fq_name, field_ref, problem, problem_code=exc.code))
            continue
        except Exception as exc:
            problem = Problem("signature-unreadable", describe(exc))
            entries.append(_unread(fq_name, field_ref, problem))
            continue
        if not isinstance(sig_obj, generic.DictionaryObject):
            problem = Problem(
                "signature-not-dictionary", "The signature value is not a dictionary."
            )
            entries.append(_unread(fq_name, field_ref, problem, sig_obj=sig_obj))
            continue
        subfilter = _name_or_none(sig_obj.get("/SubFilter"))
        sig_type = _name_or_none(sig_obj.get("/Type"))
        is_ts = sig_type == "/DocTimeStamp" or subfilter == TIMESTAMP_SUBFILTER
        entry = Entry(
            name=str(fq_name),
            sig_obj=sig_obj,
            field=field_ref,
            is_timestamp=is_ts,
            subfilter=subfilter,
        )
        entry.problem = check_signature_dictionary(sig_obj, ctx.stream, ctx.size)
        if entry.problem is None:
            try:
                entry.emb = shared.get(str(fq_name)) or EmbeddedPdfSignature(
                    ctx.reader, field_ref, str(fq_name)
                )
                entry.revision = entry.emb.signed_revision
            except pdf_limits.PdfLimitExceeded as exc:
                entry.problem = Problem(exc.code, exc.detail)
                entry.problem_code = exc.code
            except Exception as exc:
                entry.problem = Problem("cms-unreadable", describe(exc))
                entry.problem_code = "cms-unreadable"
        entries.append(entry)
    entries.sort(key=lambda e: e.revision)
    if len(fields) > limit:
        # pyHanko's LTA process walks the reader's list of every signature
        # (hashing each): it gets the ones read here instead
        internals.set_embedded_signatures(ctx.reader, [e.emb for e in entries if e.emb is not None])
    # (after the ones read: never validated, counted for too-many-signatures)
    entries.extend(_unread(name, ref, None) for name, _v, ref in fields[limit:])
    return entries


def _unread(
    name: Any,
    field_ref: Any,
    problem: Problem | None,
    *,
    problem_code: str = "signature-structure",
    sig_obj: Any = None,
) -> Entry:
    """An entry whose signature is not read (``problem``: why not; None:
    past ``max_signatures``, only counted)."""
    return Entry(
        name=str(name),
        sig_obj=sig_obj,
        field=field_ref,
        is_timestamp=False,
        subfilter=None,
        problem=problem,
        problem_code=problem_code,
    )


def _name_or_none(value: Any) -> str | None:
    try:
        return str(value) if value is not None else None
    except Exception:
        return None
