"""The one reason catalogue (signing.model.reasons): every constructor called
with fields like the engine's, each code made by one constructor only, every
reason in English and Japanese, Japanese lists joined with 、, and no reason
sentences written anywhere else in the core."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from signing.model import reasons
from signing.model.reasons.changes import ANNOTATIONS, CONTENT, WARNINGS, Change
from signing.model.results import ChangeKind, Indication, Reason
from signing.model.text import has_japanese

T0 = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
T1 = datetime(2030, 1, 1, tzinfo=UTC)
SVC = ("Example CA", "例示認証局")
#: list-valued fields hold two items, so that a wrong join would show
CHANGES = [
    Change("pages-replaced", CONTENT, "2, 3"),
    Change("annotations-changed", ANNOTATIONS, "1, 4"),
    Change("object-defined-twice", WARNINGS, "12 0, 13 0"),
    Change("empty-signature-field-added", WARNINGS, "Sig2, Sig3"),
    Change("visible-timestamp-added", WARNINGS, "Stamp1, Stamp2"),
]

#: module -> constructor -> (args, kwargs)
CALLS: dict[str, dict[str, tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "validation": {
        "all_valid": ((3,), {}),
        "archive_timestamp_not_used": ((), {}),
        "authentication_certificate": (("CN=Ann",), {}),
        "byterange_invalid": ((), {}),
        "cannot_parse": (("xref table is broken",), {}),
        "certificate_expired": (("CN=Ann", T0), {}),
        "certificate_not_yet_valid": (("CN=Ann", T0), {}),
        "certificate_revoked": (("CN=Ann", T0), {}),
        "change_since_signing": (("change-form-filled", True), {}),
        "changes_not_permitted": ((), {"detail": "other"}),
        "cms_unreadable": ((), {"detail": "bad tag"}),
        "docmdp_violation": (("no-changes",), {}),
        "encrypt_entry_ignored": ((), {}),
        "encrypted_pdf": ((), {}),
        "eu_not_assessable": ((), {}),
        "failed": ((), {}),
        "file_too_large": ((), {}),
        "file_unreadable": ((), {}),
        "from_subindication": ((Indication.TOTAL_FAILED, "FORMAT_FAILURE"), {}),
        "hash_mismatch": ((), {}),
        "indeterminate": ((), {}),
        "jp_not_assessable": ((), {}),
        "key_usage_not_for_signing": (("CN=Ann", ["digital_signature", "key_agreement"]), {}),
        "lenient_parsing": ((), {}),
        "modified_after_signing": ((ChangeKind.FORM_FILLING,), {}),
        "no_poe": (("CN=Ann",), {}),
        "no_signatures": ((), {}),
        "no_signing_certificate": ((), {}),
        "not_a_pdf": ((), {}),
        "not_covering_whole_file": ((1000, 1500), {}),
        "not_pades_baseline": (("/adbe.pkcs7.detached",), {}),
        "offline_no_revocation": ((), {}),
        "revocation_not_checked": ((), {}),
        "revocation_unavailable": (("CN=Ann",), {}),
        "revocation_words": (("revoked", T0), {}),
        "revoked_no_poe": ((), {}),
        "signature_crypto_failure": ((), {}),
        "signature_dictionary_changed": ((), {}),
        "signature_invalid": ((), {}),
        "signature_structure": ((), {}),
        "signature_valid": ((), {}),
        "signed_attributes_not_der": ((), {}),
        "signing_certificate_missing": ((), {}),
        "time_by_archive_timestamp": ((T0, "TSA"), {}),
        "time_by_document_timestamp": ((T0, "TSA"), {}),
        "time_by_signature_timestamp": ((T0, "TSA"), {}),
        "time_by_untrusted_timestamp": ((T0, "TSA"), {}),
        "time_claimed_by_signer": ((T0,), {}),
        "time_limit_reached": ((120.0, 3, 12), {}),
        "timestamp_invalid": (("TSA",), {}),
        "timestamp_problem": ((), {}),
        "timestamp_untrusted": (("TSA",), {}),
        "too_many_signatures": ((5001, 100), {}),
        "truncated_pdf": ((), {}),
        "trust_lists_missing": ((("AT", "BE"),), {}),
        "trust_lists_stale": (((("EE", 360), ("FI", 2)),), {}),
        "validation_time_chosen": ((T0,), {}),
        "unexplained_changes": ((), {"detail": "other"}),
        "unknown_problem": (("some-new-code",), {}),
        "unreadable_pdf": ((), {}),
        "unsupported_signature_format": ((), {}),
        "untrusted_chain": (("CN=Ann",), {}),
        "validated_at_later_timestamp": ((T0,), {}),
        "validated_at_signature_time": ((T0,), {}),
        "validation_error": ((), {}),
        "weak_algorithm": (("SHA-1",), {}),
        "weak_algorithm_before_sunset": ((T0,), {}),
        "weak_algorithm_dated": ((([("SHA-1", T0), ("RSA-1024", T0)]), T0, True), {}),
    },
    "limits": {
        "string_too_large": ((), {"detail": "/Contents of 9 MB"}),
        "token_too_long": ((), {}),
        "too_many_revisions": ((), {}),
        "validation_process_stopped": ((), {"detail": "SIGKILL"}),
        "xref_too_large": ((), {}),
    },
    "changes": {
        "content_changed": ((CHANGES,), {}),
        "unexplained": ((CHANGES,), {}),
        "warnings": ((CHANGES,), {}),
    },
    "qualification": {
        "ades_failed": ((), {}),
        "ades_indeterminate": (("QESig",), {}),
        "authentication_certificate": (("Ann",), {}),
        "contradiction": (("NotQualified and QCStatement",), {}),
        "foreign_legislation": (("Ann",), {}),
        "list_stale": (("BE", T0), {"beyond_grace": True}),
        "lists_out_of_date": ((), {}),
        "mutual_recognition": (("EU-JP 2026", "JP"), {}),
        "no_agreement": (("Svc", "JP"), {}),
        "no_qc_statement": (("Ann",), {}),
        "not_granted_at_issuance": (("Svc", "BE", T0), {}),
        "not_listed": (("Ann",), {}),
        "not_on_qscd": (("Ann",), {}),
        "result": (("QESig", "Svc", "BE"), {}),
        "status_not_granted": (("Svc", "BE", "withdrawn", T0), {}),
        "timestamp_failed": ((), {}),
        "trust_disabled": ((), {}),
        "trust_not_loaded": ((), {}),
        "trust_unavailable": (("the cache is unreadable",), {}),
        "tsa_not_eu_listed": (("TSU",), {}),
        "tsa_not_listed": (("TSU",), {}),
        "tsa_without_qc": (("TSU", "Svc", "BE"), {}),
        "type_ambiguous": (("Ann",), {}),
        "type_out_of_scope": (("Svc", "BE", "eseal"), {}),
        "unknown_critical_extension": (("Svc", "BE", "1.2.3"), {}),
        "web_certificate": (("Ann",), {}),
    },
    "japan": {
        "accreditation_unverified": ((SVC, ("accredited CA", "認定認証業務")), {}),
        "anchor_not_valid_at_time": ((SVC, T0, T1, T1), {}),
        "anchor_wrong_use": ((SVC, "TLS"), {}),
        "eku_not_counting": ((SVC, "1.2.3"), {}),
        "key_usage_not_counting": ((SVC, "nonRepudiation"), {}),
        "not_accredited_at_time": ((SVC, T0, T1, None), {}),
        "not_signature_certificate": ((SVC,), {}),
        "policy_not_counting": ((SVC, ["1.2.392.1", "1.2.392.2"]), {}),
        "revocation_no_url": ((SVC,), {}),
        "revocation_restricted": ((SVC,), {}),
        "service_deprecated": ((SVC,), {}),
    },
    "signing": {
        "jpki_privacy": ((), {}),
        "seal_certificate_used_to_sign": ((), {}),
        "signing_certificate_used_to_seal": ((), {}),
        "trust_anchor_from_key": ((), {}),
        "trust_anchor_embedded": ((), {}),
        "tsa_skipped": ((["http://127.0.0.1:1/: refused", "http://127.0.0.1:2/: timed out"],), {}),
        "stamp_text_small": (
            (6.5, 8, "shown 40 x 20 pt", "表示上の大きさは幅40 pt、高さ20 ptです"),
            {},
        ),
        "not_pades_baseline": (("Sig1", "/adbe.pkcs7.detached", "B-LT"), {}),
        "tsa_self_signed": (("CN=TSA", "Sig1"), {}),
    },
}

#: constructors whose code comes from their input (a code, a status, the
#: named changes): they may make the codes of others
CODE_FROM_INPUT = {
    "validation.unknown_problem",
    "validation.from_subindication",
    "validation.change_since_signing",
    "validation.revocation_words",
    "changes.warnings",
    "changes.unexplained",
}


#: constructors that hand out another's reason (under the engine's name for it)
DELEGATES = {
    "validation.weak_algorithm_dated": "validation.weak_algorithm",
    "validation.eu_not_assessable": "qualification.trust_unavailable",
}


def _constructors() -> dict[str, Any]:
    found = {}
    for module in reasons.TOPICS:
        short = module.__name__.rsplit(".", 1)[1]
        for name in module.__all__:
            fn = getattr(module, name)
            if inspect.isfunction(fn):
                found[f"{short}.{name}"] = fn
    return found


def _made(key: str) -> list[Reason]:
    module, name = key.split(".")
    args, kwargs = CALLS[module][name]
    out = _constructors()[key](*args, **kwargs)
    return out if isinstance(out, list) else [out]


ALL = sorted(_constructors())


def test_every_constructor_is_called_here() -> None:
    called = {f"{m}.{n}" for m, names in CALLS.items() for n in names}
    assert called == set(ALL)


@pytest.mark.parametrize("key", ALL)
def test_every_reason_has_english_and_japanese(key: str) -> None:
    made = _made(key)
    assert made
    for reason in made:
        assert isinstance(reason, Reason)
        assert reason.code and reason.code == reason.code.lower() and " " not in reason.code
        assert reason.en.strip() and not has_japanese(reason.en.replace(SVC[1], ""))
        assert reason.ja.strip() and has_japanese(reason.ja), reason.ja
        assert reason.en != reason.ja
        # the Japanese list separator is 、: an ASCII ", " is an English join
        assert ", " not in reason.ja, reason.ja
        # and Japanese puts no space after 。
        assert "。 " not in reason.ja, reason.ja


def test_each_code_is_made_by_one_constructor() -> None:
    makers: dict[str, set[str]] = {}
    for key in ALL:
        if key in CODE_FROM_INPUT or key in DELEGATES:
            continue
        for reason in _made(key):
            makers.setdefault(reason.code, set()).add(key)
    shared = {code: keys for code, keys in makers.items() if len(keys) > 1}
    assert not shared


def test_delegates_hand_out_the_same_sentences() -> None:
    choices = [("SHA-1", T0), ("RSA-1024", T0)]
    dated = reasons.weak_algorithm_dated(choices, T0, True)
    assert dated == reasons.weak_algorithm(choices=choices, signed=T0, proven=True)
    assert "SHA-1" in dated.en and "SHA-1" in dated.ja
    trust = reasons.qualification.trust_unavailable("ValueError: bad cache")
    column = reasons.eu_not_assessable(detail="ValueError: bad cache")
    assert (column.code, column.en, column.ja) == (trust.code, trust.en, trust.ja)
    # a library's words never reach the sentence, only the technical detail
    assert "ValueError" not in trust.en + trust.ja and trust.technical == "ValueError: bad cache"
    plain = reasons.qualification.trust_unavailable("the cache folder is read-only")
    assert "read-only" in plain.en and "read-only" in plain.ja


def _literal_reasons(path: Path) -> list[tuple[int, str]]:
    """``Reason("code", ...)`` calls with a literal code in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Reason"):
            continue
        code = node.args[0] if node.args else None
        code = code or next((k.value for k in node.keywords if k.arg == "code"), None)
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            found.append((node.lineno, code.value))
    return found


def test_no_reason_sentences_outside_the_catalogue() -> None:
    root = Path(reasons.__file__).parents[2]
    catalogue = Path(reasons.__file__).parent
    stray = [
        f"{path.relative_to(root)}:{line} {code}"
        for path in sorted((root / "signing").rglob("*.py"))
        if catalogue not in path.parents
        for line, code in _literal_reasons(path)
    ]
    assert not stray


def test_changes_name_what_changed_in_both_languages() -> None:
    content = reasons.changes.content_changed(CHANGES)
    assert content is not None and "2, 3" in content.en and "2、3" in content.ja
    unexplained = reasons.changes.unexplained(CHANGES)
    assert unexplained.code == "unexplained-changes"
    assert "1, 4" in unexplained.en and "1、4" in unexplained.ja
    # the engine's own request for the same code reads the same
    assert reasons.unexplained_changes(detail="annotations").en.startswith(
        unexplained.en.split(" (")[0]
    )


def _written_codes() -> dict[str, set[str]]:
    """Every code written in the catalogue's source -> where: a table entry
    (``module:_TEXT``) or the public function whose body writes it (a
    private helper counts as the one function it serves)."""
    where: dict[str, set[str]] = {}
    for path in sorted(Path(reasons.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict):
                target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
                if getattr(target, "id", "") != "_TEXT":
                    continue
                keys = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
                assert len(keys) == len(set(keys)), f"{path.name}: a code twice in _TEXT"
                for key in keys:
                    where.setdefault(key, set()).add(f"{path.stem}:_TEXT")
            if isinstance(node, ast.FunctionDef):
                owner = f"{path.stem}.{node.name.lstrip('_')}"
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Call) and getattr(sub.func, "id", None) == "Reason":
                        arg = sub.args[0] if sub.args else None
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            where.setdefault(arg.value, set()).add(owner)
    return where


def test_each_code_is_written_once() -> None:
    written = _written_codes()
    assert len(written) > 100  # the scan sees the catalogue
    # (weak_algorithm's dated sentence is built by its helper _weak_dated)
    twice = {
        code: places
        for code, places in written.items()
        if len(places - {"validation.weak_dated"} if code == "weak-algorithm" else places) > 1
    }
    assert not twice
