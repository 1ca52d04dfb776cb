"""Core errors in Japanese, and the app's hints in place of CLI flags.

The errors are raised by the real code paths (a file that is not a PDF, a
folder as output, a PKCS#11 wrong PIN, a chain that builds to no root); the
detail the app shows must be Japanese in a Japanese UI and must never name a
command-line flag, while the CLI text stays what it was.
"""

from __future__ import annotations

import ast
import re
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pkcs11.exceptions
import pytest
from pyhanko_certvalidator.errors import InvalidCertificateError, PathBuildingError

from signing import errors as E
from signing.keys.pkcs11_tokens import wrap_pkcs11_error
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.pdf.document import sniff_file
from signing.secrets import FixedSecret
from signing.sign.atomic_write import check_regular_target
from signing.sign.request import Level, SignRequest
from signing.sign.signer import sign_pdf, translate_validation_error
from signing.sign.tsa import FailoverTimeStamper
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI

FLAG = re.compile(r"--[a-z]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _raised(fn: object, *args: object) -> E.ShomeiError:
    with pytest.raises(E.ShomeiError) as info:
        fn(*args)  # type: ignore[operator]
    return info.value


def _converted(tmp_path: Path) -> list[E.ShomeiError]:
    not_pdf = tmp_path / "note.pdf"
    not_pdf.write_bytes(b"hello, this is text\n" * 10)
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 40)
    return [
        _raised(sniff_file, not_pdf),
        _raised(sniff_file, truncated),
        _raised(sniff_file, tmp_path / "missing.pdf"),
        _raised(check_regular_target, tmp_path),
        _raised(FailoverTimeStamper, ()),
        wrap_pkcs11_error(pkcs11.exceptions.PinIncorrect(), "Card A"),
        wrap_pkcs11_error(pkcs11.exceptions.PinLocked(), "Card A"),
        wrap_pkcs11_error(pkcs11.exceptions.PinExpired(), "Card A"),
        translate_validation_error(PathBuildingError("no path"), "signing"),
        translate_validation_error(InvalidCertificateError("bad usage"), "signing"),
    ]


def test_each_converted_error_has_a_japanese_detail(tmp_path: Path) -> None:
    errors = _converted(tmp_path)
    assert [type(e) for e in errors] == [
        E.NotAPdfError,
        E.TruncatedPdfError,
        E.DocumentError,
        E.OutputError,
        E.TimestampError,
        E.PinError,
        E.PinLockedError,
        E.PinError,
        E.CertificateUntrustedError,
        E.CertificateError,
    ]
    for exc in errors:
        for front in ("cli", "app"):
            ja = exc.text("ja", front)
            assert JAPANESE.search(ja), ja
            assert ", " not in ja, ja
            assert "。 " not in ja, ja


def test_the_app_never_names_a_cli_flag(tmp_path: Path) -> None:
    for exc in _converted(tmp_path):
        for lang in ("en", "ja"):
            assert not FLAG.search(exc.text(lang, "app")), exc.text(lang, "app")


def test_the_cli_text_is_unchanged_and_the_app_names_the_settings_page() -> None:
    exc = translate_validation_error(PathBuildingError("no path"), "signing")
    assert str(exc) == exc.message == exc.text("en", "cli")
    assert str(exc) == (
        "The signing certificate does not chain up to a trusted root (no issuer certificate "
        "leading to a trusted root was found); add its root with --trust."
    )
    assert exc.text("en", "app") == (
        "The signing certificate does not chain up to a trusted root (no issuer certificate "
        "leading to a trusted root was found); add its root in Settings › Trust."
    )
    # the library's own words ("no path") are the technical detail only
    assert exc.technical == "no path"
    assert "no path" not in exc.text("ja", "app") + exc.text("ja", "cli")
    assert "設定 › トラスト" in exc.text("ja", "app")
    assert "--trust" in exc.text("ja", "cli")


def test_an_error_without_japanese_falls_back_to_english() -> None:
    exc = E.SigningError("Something odd.")
    assert exc.text("ja", "app") == exc.text("en", "cli") == str(exc) == "Something odd."


def test_the_cli_prints_english_unless_lang_ja(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from signing.cli.main import _error

    exc = translate_validation_error(PathBuildingError("no path"), "signing")
    _error(argparse.Namespace(json=False), exc, exc.code)
    assert capsys.readouterr().err == f"shomei: error: {exc.message}\n"
    _error(argparse.Namespace(json=False, lang="en"), exc, exc.code)
    assert capsys.readouterr().err == f"shomei: error: {exc.message}\n"
    _error(argparse.Namespace(json=False, lang="ja"), exc, exc.code)
    err = capsys.readouterr().err
    assert "信頼されたルート" in err and "--trust" in err


def _sign_error(pki: PKI, tmp_path: Path, password: str = KEY_PASSWORD, **kw: Any) -> E.ShomeiError:
    kw.setdefault("level", Level.B_B)
    kw.setdefault("trust_roots", (pki.cert_pem_path("root"),))
    req = SignRequest(
        input_path=make_pdf(tmp_path / "in.pdf"),
        output_path=tmp_path / "out.pdf",
        key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
        **kw,
    )
    with pytest.raises(E.ShomeiError) as info:
        sign_pdf(req, FixedSecret(password))
    assert not req.output_path.exists()
    return info.value


def test_signing_errors_in_japanese_and_without_flags_in_the_app(pki: PKI, tmp_path: Path) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    closed = int(s.getsockname()[1])
    s.close()
    no_tsa = _sign_error(pki, tmp_path, level=Level.B_T)
    unreachable = _sign_error(
        pki, tmp_path, level=Level.B_T, tsa_urls=(f"http://127.0.0.1:{closed}/tsa",)
    )
    wrong = _sign_error(pki, tmp_path, password="wrong horse")
    assert isinstance(no_tsa, E.TimestampError)
    assert isinstance(unreachable, E.TimestampError)
    assert isinstance(wrong, E.WrongPasswordError)
    # the CLI's English text is what it was
    assert str(no_tsa) == "B-T needs a time-stamping server; give one with --tsa."
    assert no_tsa.text("en", "app") == (
        "B-T needs a time-stamping server; add one in Settings › Timestamps."
    )
    assert no_tsa.text("ja", "app") == (
        "B-Tにはタイムスタンプサーバーが必要です。設定 › タイムスタンプで追加してください。"
    )
    for exc in (no_tsa, unreachable, wrong):
        for lang in ("en", "ja"):
            assert not FLAG.search(exc.text(lang, "app")), exc.text(lang, "app")
        ja = exc.text("ja", "app")
        assert JAPANESE.search(ja), ja
        assert "。 " not in ja, ja
    for exc in (no_tsa, wrong):
        assert ", " not in exc.text("ja", "app")
    # the network's cause is told in Japanese too (not "cannot be reached")
    assert "接続できませんでした" in unreachable.text("ja", "app"), unreachable.text("ja", "app")
    assert "cannot be reached" not in unreachable.text("ja", "app")
    assert "cannot be reached" in str(unreachable)


# --- every error the core makes ------------------------------------------------

#: errors the core may make without Japanese, per file and how many: messages
#: to a programmer who called the API wrongly (a wrong argument type, a
#: validation time without a time zone), never met through the app or the CLI
ALLOWED_WITHOUT_JA = {"signing/validation/engine.py": 4}
ROOT = Path(__file__).resolve().parent.parent
HINTS_JA = ("cli_hint_ja", "app_hint_ja")


def _error_class_names() -> set[str]:
    import importlib
    import pkgutil

    import signing

    for module in pkgutil.walk_packages(signing.__path__, "signing."):
        importlib.import_module(module.name)  # (errors defined outside signing.errors too)

    def below(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {"ShomeiError", *(c.__name__ for c in below(E.ShomeiError))}


def _error_calls() -> Iterator[tuple[str, ast.Call]]:
    """Every construction of a ShomeiError in signing/ (raised, returned or
    kept), as (file, call)."""
    names = _error_class_names()
    for path in sorted((ROOT / "signing").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name in names:
                yield rel, node


def _strings(node: ast.AST | None) -> list[str]:
    """The literal text in an argument (an f-string's fixed parts, joins)."""
    if node is None:
        return []
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def test_the_scan_sees_the_cores_errors() -> None:
    calls = list(_error_calls())
    assert len(calls) > 200
    assert any(f == "signing/sign/placement.py" for f, _ in calls)


def test_every_error_the_core_makes_has_japanese() -> None:
    """A ShomeiError made anywhere in signing/ carries ``ja=`` (a bare
    UserCancelled has its own), except the documented allow-list."""
    missing: Counter[str] = Counter()
    where: dict[str, list[int]] = {}
    for rel, call in _error_calls():
        keywords = {k.arg for k in call.keywords}
        if "ja" in keywords or None in keywords:  # (None: **kwargs passed on)
            continue
        if not call.args and getattr(call.func, "id", "") == "UserCancelled":
            continue
        missing[rel] += 1
        where.setdefault(rel, []).append(call.lineno)
    assert dict(missing) == ALLOWED_WITHOUT_JA, where


def test_japanese_error_texts_are_joined_the_japanese_way() -> None:
    checked = 0
    for rel, call in _error_calls():
        for name in ("ja", *HINTS_JA):
            for text in _strings(_keyword(call, name)):
                checked += 1
                assert ", " not in text, (rel, call.lineno, text)
                assert "。 " not in text, (rel, call.lineno, text)
    assert checked > 150


def test_no_cli_flag_outside_a_cli_hint() -> None:
    """Outside signing/cli/ a flag is named only in ``cli_hint``(``_ja``): the
    sentence and the app's hint are what the app shows."""
    for rel, call in _error_calls():
        if rel.startswith("signing/cli/"):
            continue
        shown = [*call.args[:1], _keyword(call, "ja"), _keyword(call, "app_hint")]
        shown.append(_keyword(call, "app_hint_ja"))
        for node in shown:
            for text in _strings(node):
                assert not FLAG.search(text), (rel, call.lineno, text)


def test_certification_refusals_are_ours_in_both_languages(pki: PKI, tmp_path: Path) -> None:
    """pyHanko refuses these in English of its own ("Certification signatures
    must be the first…"); the core says it first, with the app's setting."""
    from signing.sign.request import CertifyLevel

    def sign(src: Path, out: Path, certify: CertifyLevel | None) -> None:
        sign_pdf(
            SignRequest(
                input_path=src,
                output_path=out,
                key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
                level=Level.B_B,
                trust_roots=(pki.cert_pem_path("root"),),
                certify=certify,
            ),
            FixedSecret(KEY_PASSWORD),
        )

    approved = tmp_path / "approved.pdf"
    sign(make_pdf(tmp_path / "in.pdf"), approved, None)
    with pytest.raises(E.DocumentError) as info:
        sign(approved, tmp_path / "certified.pdf", CertifyLevel.FORM_FILLING)
    exc = info.value
    assert not (tmp_path / "certified.pdf").exists()
    assert "first signature" in str(exc) and "--certify" in str(exc)
    assert "Certify" in exc.text("en", "app") and not FLAG.search(exc.text("en", "app"))
    assert "「文書の証明」を「しない（承認署名）」" in exc.text("ja", "app")
    assert "Certification signatures must be" not in exc.text("ja", "app")

    locked = tmp_path / "locked.pdf"
    sign(make_pdf(tmp_path / "in2.pdf"), locked, CertifyLevel.NO_CHANGES)
    with pytest.raises(E.DocumentError) as info:
        sign(locked, tmp_path / "again.pdf", None)
    assert "allows no changes" in str(info.value)
    assert "変更も許可していない" in info.value.text("ja", "app")
    assert not (tmp_path / "again.pdf").exists()


def test_no_exception_name_in_what_the_app_shows() -> None:
    """An exception's class name (``type(exc).__name__``: "AssertionError")
    never goes into an error's sentence; the log keeps it, chained."""
    for rel, call in _error_calls():
        shown = [*call.args[:1], _keyword(call, "ja"), _keyword(call, "app_hint")]
        for node in shown:
            names = (
                [n for n in ast.walk(node) if isinstance(n, ast.Attribute) and n.attr == "__name__"]
                if node is not None
                else []
            )
            assert not names, (rel, call.lineno)


# --- a library's English never inside a Japanese sentence ----------------------------

#: a run of English words (three or more), as a library writes its explanations
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")


def _cert_path_errors(pki: PKI) -> list[tuple[BaseException, E.ShomeiError]]:
    """pyhanko-certvalidator's own failures, made by it on the test PKI (a
    revoked, an expired and an unchained certificate), translated."""
    import asyncio
    from datetime import timedelta

    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathValidationError

    def cert(name: str) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(pki.cert_der(name))

    made: list[BaseException] = []
    root, interm = cert("root"), cert("interm")
    signer = cert("signer-rsa")

    def run(vc: ValidationContext, leaf: asn1_x509.Certificate) -> None:
        validator = CertificateValidator(leaf, intermediate_certs=[interm], validation_context=vc)
        try:
            asyncio.run(validator.async_validate_usage({"digital_signature"}))
        except (PathValidationError, PathBuildingError) as exc:
            made.append(exc)

    # no root: no path
    run(ValidationContext(trust_roots=[], allow_fetching=False), signer)
    # long after the end of its validity: expired
    later = signer.not_valid_after + timedelta(days=30)
    run(
        ValidationContext(
            trust_roots=[root], moment=later, allow_fetching=False, revocation_mode="soft-fail"
        ),
        signer,
    )
    assert len(made) == 2, made
    return [(exc, translate_validation_error(exc, "signing")) for exc in made]


def test_certificate_path_causes_are_catalogue_phrases(pki: PKI) -> None:
    for raw, exc in _cert_path_errors(pki):
        ja = exc.text("ja", "app")
        assert JAPANESE.search(ja), ja
        assert not ENGLISH_RUN.search(ja), ja  # e.g. "The path could not be validated"
        assert str(raw) not in ja and str(raw) not in exc.text("en", "app")
        assert exc.technical == str(raw)
    kinds = [type(e) for _, e in _cert_path_errors(pki)]
    assert kinds == [E.CertificateUntrustedError, E.CertificateExpiredError]


def test_every_cause_kind_has_both_languages() -> None:
    from datetime import UTC, datetime

    from signing.model.reasons import causes

    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    made = [
        *(causes.certificate_path(k, when=when, reason="key_compromise") for k in causes._PATH),
        causes.certificate_path("no-such-kind"),
        *(causes.tsa_refusal(s, list(causes._FAIL_INFO)) for s in causes._PKI_STATUS),
        causes.tsa_refusal("rejection", ["bad_alg", "a_future_bit"]),
        *(causes.list_signature(s) for s in (*causes._LIST_SIGNATURE, "GENERIC", None)),
        causes.certificate_parse(),
    ]
    # (an unknown kind, a second rejection and GENERIC/None share their codes)
    assert len({c.code for c in made}) == len(made) - 3
    for c in made:
        assert c.en and c.ja and JAPANESE.search(c.ja), c
        assert not ENGLISH_RUN.search(c.ja), c
        assert ", " not in c.ja and "。 " not in c.ja, c
    revoked = causes.certificate_path("revoked", when=when, reason="key_compromise")
    assert "2024年5月6日" in revoked.ja and "鍵の危殆化" in revoked.ja
    assert "2024-05-06" in revoked.en and "key compromise" in revoked.en


def test_a_tsa_refusal_is_told_without_its_status_words() -> None:
    """A TSA's PKIStatus and failInfo ("rejection", "bad_alg") and its free
    statusString are mapped; the Japanese carries none of them."""
    from asn1crypto import tsp

    from signing.sign.tsa import TsaFailure, _TimeStampResp, check_response

    resp = _TimeStampResp(
        {
            "status": tsp.PKIStatusInfo(
                {
                    "status": "rejection",
                    "status_string": ["Algorithm SHA-1 not supported by this unit"],
                    "fail_info": tsp.PKIFailureInfo({"bad_alg"}),
                }
            )
        }
    )
    with pytest.raises(TsaFailure) as info:
        check_response("http://tsa.example/", resp.dump(), 1, b"\0" * 32)
    failure = info.value
    for word in ("rejection", "bad_alg", "Algorithm", "SHA-1"):
        assert word not in failure.cause_ja, failure.cause_ja
    assert "拒否" in failure.cause_ja and "ハッシュアルゴリズム" in failure.cause_ja
    assert failure.cause == "refused the request: it does not accept the hash algorithm"
    assert "not supported by this unit" not in failure.cause


def test_a_list_signature_failure_is_told_in_japanese(tmp_path: Path) -> None:
    """pyHanko's "None of the candidate TLSO certs could be used…" stays the
    technical detail of a refused trusted list."""
    from tests.conftest import SHARED

    tl = SHARED / "corpus" / "eu" / "tl" / "dss__tl-2019-CZ-broken-sig.xml"
    if not tl.is_file():
        pytest.skip("needs ../shared/corpus/eu/tl")
    from signing.trust.eu import load_pem_certs
    from signing.trust.tl_verify import verify_trust_list

    signers = load_pem_certs(
        (SHARED / "corpus" / "eu" / "certs" / "pyhanko__lotl-signers-OJ-C276-2019.pem").read_bytes()
    )
    with pytest.raises(E.TrustListError) as info:
        verify_trust_list(tl.read_bytes(), signers)
    exc = info.value
    assert "candidate" in (exc.technical or "")
    assert not ENGLISH_RUN.search(exc.text("ja")), exc.text("ja")
    assert "candidate" not in str(exc)


def test_the_cli_shows_the_technical_detail_only_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from signing.cli.main import _error

    exc = translate_validation_error(PathBuildingError("no issuer matching CN=X"), "signing")
    monkeypatch.delenv("SHOMEI_DEBUG", raising=False)
    _error(argparse.Namespace(json=False, lang="ja"), exc, exc.code)
    assert "no issuer matching" not in capsys.readouterr().err
    _error(argparse.Namespace(json=False, lang="ja", verbose=True), exc, exc.code)
    assert capsys.readouterr().err.endswith("    (no issuer matching CN=X)\n")
    monkeypatch.setenv("SHOMEI_DEBUG", "1")
    _error(argparse.Namespace(json=False), exc, exc.code)
    assert "(no issuer matching CN=X)" in capsys.readouterr().err
