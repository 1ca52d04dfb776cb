"""Core errors in Japanese, and the app's hints in place of CLI flags.

The errors are raised by the real code paths (a file that is not a PDF, a
folder as output, a PKCS#11 wrong PIN, a chain that builds to no root); the
detail the app shows must be Japanese in a Japanese UI and must never name a
command-line flag, while the CLI text stays what it was.
"""

from __future__ import annotations

import re
import socket
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
        "The signing certificate does not chain up to a trusted root; "
        "add its root with --trust (no path)."
    )
    assert exc.text("en", "app") == (
        "The signing certificate does not chain up to a trusted root; "
        "add its root in Settings › Trust (no path)."
    )
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
