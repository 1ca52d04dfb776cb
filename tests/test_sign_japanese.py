"""Signing in Japanese: the notices of a signed file reach the app in the
interface language, and ``--lang ja`` makes every line ``sign``, ``seal``,
``timestamp`` and ``extend`` print Japanese (the result, the warnings, the
error), while English stays what it was."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from desktop import core_adapter as core
from signing.cli.main import main
from signing.secrets import FixedSecret
from tests.local_http import closed_url
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_helpers import tsa_failover_args

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _job(pki: PKI, tmp_path: Path) -> core.SignJob:
    # a seal certificate used to sign as a person: a notice the result keeps
    return core.SignJob(
        input_path=str(make_pdf(tmp_path / "in.pdf")),
        output_path=str(tmp_path / "out.pdf"),
        key=core.KeyChoice(kind="pkcs12", path=str(pki.p12_path("seal-rsa"))),
        level="B-B",
        trust_roots=(str(pki.cert_pem_path("root")),),
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_apps_sign_outcome_carries_the_notices_in_the_ui_language(
    pki: PKI, tmp_path: Path, lang: str
) -> None:
    outcome = core.sign(
        _job(pki, tmp_path), FixedSecret(KEY_PASSWORD), threading.Event(), None, lang
    )
    assert outcome.warnings, outcome
    seal = [w for w in outcome.warnings if "QcType eseal" in w]
    assert len(seal) == 1
    if lang == "ja":
        assert all(JAPANESE.search(w) for w in outcome.warnings), outcome.warnings
        assert seal[0].startswith("この証明書は組織のeシール用証明書")
    else:
        assert not any(JAPANESE.search(w) for w in outcome.warnings), outcome.warnings


def _sign(
    pki: PKI, tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    src = make_pdf(tmp_path / "in.pdf")
    code = main(
        [
            "sign",
            str(src),
            "-o",
            str(tmp_path / "out.pdf"),
            "--key",
            f"p12:{pki.p12_path('seal-rsa')}",
            "--level",
            "B-B",
            "--trust",
            str(pki.cert_pem_path("root")),
            *extra,
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sign_lang_ja_prints_the_result_and_warnings_in_japanese(
    pki: PKI, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOMEI_KEY_PASSWORD", KEY_PASSWORD)
    code, out, err = _sign(pki, tmp_path, capsys, "--lang", "ja")
    assert code == 0, err
    assert out.startswith("署名しました: ") and "（B-B、フィールド" in out, out
    warnings = [ln for ln in err.splitlines() if ln.startswith("shomei: 警告: ")]
    assert warnings and all(JAPANESE.search(w[len("shomei: 警告: ") :]) for w in warnings)
    assert "eシール用証明書" in err and "QcType eseal, or" not in err
    # the output already exists: the error line is Japanese too, and still names the flag
    code, out, err = _sign(pki, tmp_path, capsys, "--lang", "ja")
    assert code == 1 and out == ""
    assert err.startswith("shomei: エラー: ") and "すでに存在します" in err and "--force" in err


def test_sign_without_lang_ja_stays_english(
    pki: PKI, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOMEI_KEY_PASSWORD", KEY_PASSWORD)
    code, out, err = _sign(pki, tmp_path, capsys, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["warnings"] == [n["en"] for n in doc["notices"]]
    assert any(n["code"] == "seal-certificate-used-to-sign" for n in doc["notices"])
    assert all(JAPANESE.search(n["ja"]) for n in doc["notices"])
    assert not JAPANESE.search(err) and "shomei: warning: " in err


@pytest.mark.parametrize("command", ["timestamp", "extend"])
def test_timestamp_and_extend_take_lang_ja(
    pki: PKI, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    out.write_bytes(b"already here")
    argv = [command, str(src), "-o", str(out), "--tsa", pki.tsa_url()]
    assert main([*argv, "--lang", "ja"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("shomei: エラー: ") and "すでに存在します" in err, err
    assert main(argv) == 1
    assert capsys.readouterr().err.startswith("shomei: error: ")


def test_timestamp_lang_ja_prints_the_result_in_japanese(
    pki: PKI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    argv = ["timestamp", str(src), "-o", str(tmp_path / "out.pdf"), "--tsa", pki.tsa_url()]
    assert main([*argv, "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("タイムスタンプを付与しました: ") and "（" in out, out


def test_the_terminal_prompt_speaks_japanese_with_lang_ja(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass

    from signing.cli.sign_cmd import CliPrompt
    from signing.errors import NoSecretError
    from signing.secrets import SecretKind, SecretRequest

    asked: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda q: asked.append(q) or "1234")
    request = SecretRequest(kind=SecretKind.PIN, target="Card A", retry=True, tries_left=2)
    assert CliPrompt({}, True, "ja").ask(request) == "1234"
    err = capsys.readouterr().err
    assert "PINが違います" in err and "残り2回です。" in err
    assert asked == ["Card AのPIN: "]
    assert CliPrompt({}, True).ask(request) == "1234"
    assert "wrong PIN, try again." in capsys.readouterr().err and asked[-1] == "PIN for Card A: "
    # no terminal: the error is Japanese too, and names where to put the PIN
    with pytest.raises(NoSecretError) as info:
        CliPrompt({}, False, "ja").ask(SecretRequest(kind=SecretKind.PIN, target="Card A"))
    assert "Card AのPINが必要です" in info.value.text("ja") and "--pin-file" in info.value.text(
        "ja"
    )


def test_a_skipped_time_stamping_server_is_told_in_japanese(
    pki: PKI, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = closed_url("/tsa")
    monkeypatch.setenv("SHOMEI_KEY_PASSWORD", KEY_PASSWORD)
    code, _out, err = _sign(
        pki,
        tmp_path,
        capsys,
        "--lang",
        "ja",
        *tsa_failover_args(pki, dead),
    )
    assert code == 0, err
    (line,) = [ln for ln in err.splitlines() if "タイムスタンプサーバー" in ln]
    assert dead in line and "接続できませんでした" in line and "cannot be reached" not in line
