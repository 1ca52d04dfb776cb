"""pyHanko's difference policy, with document timestamps counted as what
they are: validation data.

pyHanko clears a new invisible signature field filled with a
``/DocTimeStamp`` at the "LTA updates" level, but the same RFC 3161 token in
a ``/Type /Sig`` dictionary or one with no ``/Type`` (as SK, DSS and others
write them), the empty appearance stream most writers give any new field,
and a timestamp field with an area on a page, only at "form filling". The
token carries no signer and is validated as a timestamp
(:mod:`signing.validation.pipeline`): those updates are cleared here at the
"LTA updates" level too, and never read "form fields were filled in". A
timestamp shown on a page (SK's writer draws one) still changes what the
page shows: :mod:`signing.validation.change_facts` names it, with a warning.

Some writers also leave, in the signed revision's trailer, a private entry
(OpenOffice's ``/AdditionalStreams``) that points at an object number not
defined yet; a later update that defines that number (for the DSS, say) is
then "replacing an object in use". No reader follows private trailer keys,
and the reference pointed at nothing when signed: such a use is cleared
here, and what the new object is still has to be explained by the other
rules.

A later DSS update may also give an existing /VRI key a new entry (SK's and
e-Szigno's writers do): pyHanko refuses any change to an existing key. A
VRI entry only lists validation data; a new entry is checked exactly as a
new key's (its structure, the objects it brings), and no object of the
signed revision is overwritten by it.

An XMP packet in an older form (no ``x:xmpmeta`` wrapper) is accepted by
the metadata rule as well (:mod:`signing.validation.xmp_rule`).

Used by :mod:`signing.validation.diff_reuse`; not a public API.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import RawPdfPath
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.diff_analysis.commons import compare_key_refs
from pyhanko.sign.diff_analysis.form_rules_api import (
    FieldComparisonContext,
    FieldMDPRule,
    FormUpdate,
    FormUpdatingRule,
)
from pyhanko.sign.diff_analysis.policies import StandardDiffPolicy
from pyhanko.sign.diff_analysis.policy_api import SuspiciousModification
from pyhanko.sign.diff_analysis.rules.form_field_rules import (
    DSSCompareRule,
)
from pyhanko.sign.diff_analysis.rules.metadata_rules import MetadataUpdateRule
from pyhanko.sign.diff_analysis.rules_api import (
    Context,
    QualifiedWhitelistRule,
    ReferenceUpdate,
)

from signing import thirdparty_internals as internals
from signing.validation.xmp_rule import XmpUpdateRule

TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"


class _TimestampFields(FieldMDPRule):  # type: ignore[misc]
    """``inner``, with what it clears for a new timestamp field at the
    form-filling level cleared at the LTA-updates level. ``seen`` gives the
    set (this thread's) that collects the timestamp fields of the revision
    being analysed."""

    def __init__(self, inner: FieldMDPRule, seen: Callable[[], set[str]]) -> None:
        self._inner = inner
        self._seen = seen

    def apply(self, context: FieldComparisonContext) -> Iterable[tuple[Any, FormUpdate]]:
        stamps = new_timestamp_fields(context)
        self._seen().update(stamps)
        return self._relabel(self._inner.apply(context), stamps)

    @staticmethod
    def _relabel(
        updates: Iterable[tuple[Any, FormUpdate]], stamps: frozenset[str]
    ) -> Iterator[tuple[Any, FormUpdate]]:
        for level, update in updates:
            if level == ModificationLevel.FORM_FILLING and update.field_name in stamps:
                level = ModificationLevel.LTA_UPDATES
                update = dataclasses.replace(
                    update, valid_when_locked=True, valid_when_certifying=True
                )
            yield level, update


class _Form(FormUpdatingRule):  # type: ignore[misc]
    """pyHanko's form rule. Writers that add a document timestamp often add
    default resources (/DR: the fonts for field appearances) to the form;
    pyHanko counts that as form filling. In a revision that adds a
    timestamp field, /DR entries that are only added (no name given a new
    meaning) are counted as part of the timestamp update."""

    def __init__(self, field_rules: list[FieldMDPRule], ignored_acroform_keys: Any) -> None:
        # (one policy serves every file: what one analysis collects is kept
        # per thread)
        self._local = threading.local()
        super().__init__(
            [_TimestampFields(rule, self._stamps) for rule in field_rules], ignored_acroform_keys
        )

    def _stamps(self) -> set[str]:
        found: set[str] | None = getattr(self._local, "stamps", None)
        if found is None:
            found = self._local.stamps = set()
        return found

    def apply(self, old: Any, new: Any) -> Iterable[tuple[Any, FormUpdate]]:
        self._stamps().clear()
        updates = list(super().apply(old, new))
        if not self._stamps() or not _dr_only_added(old, new):
            return updates
        return [
            (ModificationLevel.LTA_UPDATES, upd)
            if level == ModificationLevel.FORM_FILLING and upd.field_name is None
            else (level, upd)
            for level, upd in updates
        ]


def _dr_only_added(old: Any, new: Any) -> bool:
    """Does the form's /DR of ``new`` keep every entry of ``old``'s as it was?"""
    try:
        old_dr = old.root["/AcroForm"].get("/DR")
        new_dr = new.root["/AcroForm"].get("/DR")
        if old_dr is None:
            return True
        if not isinstance(old_dr, generic.DictionaryObject) or not isinstance(
            new_dr, generic.DictionaryObject
        ):
            return False
        for category, names in old_dr.items():
            new_names = new_dr.get(category)
            if not isinstance(names, generic.DictionaryObject):
                if names != new_names:
                    return False
                continue
            if not isinstance(new_names, generic.DictionaryObject):
                return False
            for name in names:
                if name not in new_names or names.raw_get(name) != new_names.raw_get(name):
                    return False
        return True
    except Exception:  # an unreadable form: pyHanko's answer stands
        return False


def new_timestamp_fields(context: FieldComparisonContext) -> frozenset[str]:
    """The signature fields filled in this revision with an RFC 3161 token
    (whatever the dictionary's /Type), with or without an area on a page."""
    found: set[str] = set()
    for name, spec in context.field_specs.items():
        try:
            if is_new_timestamp(spec.field_type, spec.old_field, spec.new_field, context.old):
                found.add(name)
        except Exception:  # a broken field is not a timestamp: pyHanko judges it
            continue
    return frozenset(found)


def is_new_timestamp(field_type: str, old_field: Any, new_field: Any, old: Any) -> bool:
    if field_type != "/Sig" or new_field is None:
        return False
    if old_field is not None and "/V" in old_field:
        return False  # filled before: not a new timestamp
    value = new_field.raw_get("/V") if "/V" in new_field else None
    if not isinstance(value, generic.IndirectObject):
        return False
    if not old.is_ref_unassignable(value.reference):
        return False  # points at an object the signed revision had
    sig = value.get_object()  # type: ignore[no-untyped-call]
    if not isinstance(sig, generic.DictionaryObject):
        return False
    if sig.get("/SubFilter") != TIMESTAMP_SUBFILTER:
        return False
    # (a field with an area is a timestamp too, but its stamp is drawn on
    # the page: change_facts names it, with a warning)
    return sig.get("/Type", "/DocTimeStamp") in ("/DocTimeStamp", "/Sig")


#: trailer keys a reader follows (ISO 32000-2, 7.5.5 and 7.5.8)
_READ_TRAILER_KEYS = frozenset(
    {"/Root", "/Info", "/Encrypt", "/ID", "/Prev", "/Size", "/XRefStm", "/Index", "/W"}
)


class _DanglingPrivateTrailerRefs(QualifiedWhitelistRule):  # type: ignore[misc]
    """Clears the uses, in private trailer entries of the signed revision,
    of object numbers that revision did not define."""

    def apply_qualified(self, old: Any, new: Any) -> Iterator[tuple[Any, ReferenceUpdate]]:
        fresh = [r for r in new.explicit_refs_in_revision() if old.is_ref_unassignable(r)]
        if not fresh:
            return
        for ref in fresh:
            for path in internals.reference_usages(old, ref):
                steps = tuple(path)
                if steps and isinstance(steps[0], str) and steps[0] not in _READ_TRAILER_KEYS:
                    yield (
                        ModificationLevel.LTA_UPDATES,
                        ReferenceUpdate(ref, context_checked=Context.from_absolute(old, path)),
                    )


class _DssRule(DSSCompareRule):  # type: ignore[misc]
    """pyHanko's DSS rule, but an existing /VRI key may get a new entry
    (checked as a new key's); see the module."""

    def apply(self, old: Any, new: Any) -> Iterator[ReferenceUpdate]:
        dss_context = Context.from_absolute(old, RawPdfPath("/Root", "/DSS"))
        old_dss, new_dss = yield from misc.map_with_return(
            compare_key_refs("/DSS", old, old.root, new.root),
            ReferenceUpdate.curry_ref(context_checked=dss_context),
        )
        if new_dss is None:
            return
        if old_dss is None:
            old_dss = generic.DictionaryObject()  # type: ignore[no-untyped-call]
        if not isinstance(old_dss, generic.DictionaryObject):
            raise misc.PdfReadError("/DSS is not a dictionary")
        if not isinstance(new_dss, generic.DictionaryObject):
            raise SuspiciousModification("/DSS is not a dictionary")
        stream_keys = {"/Certs", "/CRLs", "/OCSPs"}
        unexpected = set(new_dss.keys()) - stream_keys - {"/Type", "/VRI"}
        if unexpected:
            raise SuspiciousModification(f"Unexpected keys in DSS: {unexpected}.")
        yield from internals.validate_dss_substructure(
            old, new, old_dss, new_dss, stream_keys, is_vri=False, context=dss_context
        )
        old_vri, new_vri = yield from misc.map_with_return(
            compare_key_refs("/VRI", old, old_dss, new_dss),
            ReferenceUpdate.curry_ref(
                context_checked=Context.from_absolute(old, RawPdfPath("/Root", "/DSS", "/VRI"))
            ),
        )
        if new_vri is None:
            return
        if not isinstance(new_vri, generic.DictionaryObject):
            raise SuspiciousModification("/VRI is not a dictionary")
        if old_vri is None:
            old_vri = generic.DictionaryObject()  # type: ignore[no-untyped-call]
        elif not isinstance(old_vri, generic.DictionaryObject):
            raise misc.PdfReadError("/VRI is not a dictionary")
        # keys kept as they were stay "old"; a key with a new entry is
        # checked as a new one; a key dropped is validation data removed
        # (as pyHanko allows for certificates, CRLs and responses)
        kept = generic.DictionaryObject(  # type: ignore[no-untyped-call]
            {
                k: v
                for k, v in old_vri.items()
                if k in new_vri and new_vri.raw_get(k) == old_vri.raw_get(k)
            }
        )
        for key in old_vri:
            if key in new_vri and key not in kept:
                value = new_vri.raw_get(key)
                # (a direct entry lives in the /VRI dictionary, cleared above)
                if isinstance(value, generic.IndirectObject) and not old.is_ref_unassignable(
                    value.reference
                ):
                    raise SuspiciousModification(f"VRI key {key} now points at an old object.")
        yield from internals.check_vri(old, new, kept, new_vri)


class _Policy(StandardDiffPolicy):  # type: ignore[misc]
    """pyHanko's standard policy; when its search for orphaned objects
    trips over a reference to an object no revision defines (the private
    trailer entries above again), the revision is analysed once more
    without that search: its new objects must then all be explained."""

    def apply(self, old: Any, new: Any, field_mdp_spec: Any = None, doc_mdp: Any = None) -> Any:
        try:
            return super().apply(old, new, field_mdp_spec, doc_mdp)
        except KeyError:
            if not self.ignore_orphaned_objects:
                raise
        strict = _Policy(
            self.global_rules,
            self.form_rule,
            reject_object_freeing=self.reject_object_freeing,
            ignore_orphaned_objects=False,
            ignore_identical_objects=self.ignore_identical_objects,
        )
        return strict.apply(old, new, field_mdp_spec, doc_mdp)


def _replaced(rule: Any) -> Any:
    """pyHanko's global rule, or Shomei's version of it (same level)."""
    inner = type(getattr(rule, "rule", None))
    if inner is DSSCompareRule:
        return _DssRule().as_qualified(ModificationLevel.LTA_UPDATES)
    if inner is MetadataUpdateRule:
        # (older XMP packets, see signing.validation.xmp_rule)
        return XmpUpdateRule().as_qualified(rule.level)
    return rule


def _policy() -> StandardDiffPolicy:
    default = DEFAULT_DIFF_POLICY
    form = default.form_rule
    assert form is not None
    return _Policy(
        global_rules=[
            *(_replaced(rule) for rule in default.global_rules),
            _DanglingPrivateTrailerRefs(),
        ],
        form_rule=_Form(list(form.field_rules), form.ignored_acroform_keys),
        reject_object_freeing=default.reject_object_freeing,
        ignore_orphaned_objects=default.ignore_orphaned_objects,
        ignore_identical_objects=default.ignore_identical_objects,
    )


#: :data:`DEFAULT_DIFF_POLICY` with timestamps as validation data
SHOMEI_DIFF_POLICY = _policy()

__all__ = ["SHOMEI_DIFF_POLICY", "is_new_timestamp", "new_timestamp_fields"]
