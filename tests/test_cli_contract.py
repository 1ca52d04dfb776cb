"""CLI details of issue 16: validate --pdf-password-file, the exit-code
table, secrets that cannot be used (exit 1, never 130, never quoted), a
last-resort handler that keeps --json JSON, and the app without a display."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from signing.cli.main import EXIT_CODES_EPILOG, main
from signing.cli.main import run as run_command
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import SecretKind, SecretRequest
from signing.sign.request import Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI

SHOMEI = Path(sys.executable).parent / "shomei"
PDF_PASSWORD = "ひみつ-pdf"


class _Answers:
    def ask(self, request: SecretRequest) -> str:
        return KEY_PASSWORD if request.kind is SecretKind.KEY_PASSWORD else PDF_PASSWORD


@pytest.fixture(scope="module")
def encrypted_signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("enc")
    src = make_pdf(folder / "enc.pdf", user_password=PDF_PASSWORD)
    req = SignRequest(
        input_path=src,
        output_path=folder / "signed.pdf",
        key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
        level=Level.B_B,
    )
    return sign_pdf(req, _Answers()).output_path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOMEI_")}
    env.update(extra)
    return env


def test_validate_opens_an_encrypted_file_shomei_signed(
    pki: PKI, encrypted_signed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(pki.cert_pem_path("root"))
    args = ["validate", str(encrypted_signed), "--trust", root, "--json", "--no-eu", "--no-jp"]
    main(args)
    doc = json.loads(capsys.readouterr().out)
    assert "password" in json.dumps(doc["files"][0]).lower()  # without it: unreadable
    assert doc["files"][0]["signatures"] == []
    pw = tmp_path / "pw.txt"
    pw.write_text(PDF_PASSWORD + "\n", encoding="utf-8")
    main([*args, "--pdf-password-file", str(pw)])
    doc = json.loads(capsys.readouterr().out)
    (sig,) = doc["files"][0]["signatures"]
    assert sig["indication"] != "TOTAL-FAILED" and sig["level"] == "B-B", sig
    assert PDF_PASSWORD not in json.dumps(doc, ensure_ascii=False)
    pw.write_text("wrong\n", encoding="utf-8")
    main([*args, "--pdf-password-file", str(pw)])
    doc = json.loads(capsys.readouterr().out)
    assert "does not open the file" in json.dumps(doc)


def test_no_terminal_for_the_password_exits_1_not_130(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    res = subprocess.run(
        [str(SHOMEI), "sign", str(src), "-o", str(tmp_path / "o.pdf"), "--json",
         "--key", f"p12:{pki.p12_path('signer-rsa')}"],
        capture_output=True, text=True, env=_env(), stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert res.returncode == 1, res.stderr
    assert "no terminal" in res.stderr
    assert json.loads(res.stdout)["error"] == "no-secret"


def test_a_non_utf8_password_file_is_refused_without_quoting_it(pki: PKI, tmp_path: Path) -> None:
    secret = b"s3cr\xe9\xff\xfeQz!"
    pw = tmp_path / "pw.bin"
    pw.write_bytes(secret)
    src = make_pdf(tmp_path / "in.pdf")
    res = subprocess.run(
        [str(SHOMEI), "sign", str(src), "-o", str(tmp_path / "o.pdf"), "--json",
         "--key", f"p12:{pki.p12_path('signer-rsa')}", "--password-file", str(pw)],
        capture_output=True, env=_env(), stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert res.returncode == 1
    out = res.stdout + res.stderr
    assert b"not UTF-8" in out and b"Traceback" not in out
    for fragment in (b"\\xe9", b"\\xff", b"0xe9", b"0xff", b"s3cr", b"Qz!", secret):
        assert fragment not in out, fragment
    assert json.loads(res.stdout)["error"] == "usage"


@pytest.mark.parametrize("as_json", [True, False])
def test_an_unexpected_fault_is_still_one_line(
    capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    """Whatever a command raises, --json stays JSON and the exit is 1."""

    def broken(_args: argparse.Namespace) -> int:
        raise ZeroDivisionError("a fault nobody foresaw")

    code = run_command(argparse.Namespace(func=broken, json=as_json))
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == "shomei: error: ZeroDivisionError: a fault nobody foresaw"
    if as_json:
        doc = json.loads(out)
        assert doc == {
            "ok": False,
            "error": "internal",
            "message": "ZeroDivisionError: a fault nobody foresaw",
        }
    else:
        assert out == ""


def test_the_exit_codes_are_in_the_help() -> None:
    res = subprocess.run(
        [str(SHOMEI), "sign", "--help"], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert res.returncode == 0 and "exit codes:" in res.stdout
    for line in ("130  interrupted (Ctrl-C)", "1    error", "3    validate"):
        assert line in EXIT_CODES_EPILOG and line in res.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux's")
@pytest.mark.parametrize(("lang", "words"), [("C.UTF-8", "no display"), ("ja_JP.UTF-8", "画面")])
def test_the_app_without_a_display_says_so_in_one_line(lang: str, words: str) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "LC_ALL", "LC_MESSAGES")
    }
    env["LANG"] = lang
    res = subprocess.run(
        [str(SHOMEI)], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
        timeout=60,
    )  # fmt: skip
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "shomei sign --help" in lines[0], res.stderr


def test_extend_to_b_lt_with_a_dead_tsa_no_longer_claims_success(pki: PKI, tmp_path: Path) -> None:
    """The report's command: it printed "Extended OUT (B-LT ...)" and exited 0
    over a file that validates as B-B."""
    src = make_pdf(tmp_path / "in.pdf")
    bb = sign_pdf(
        SignRequest(
            input_path=src,
            output_path=tmp_path / "bb.pdf",
            key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
            level=Level.B_B,
        ),
        _Answers(),
    ).output_path
    out = tmp_path / "lt.pdf"
    res = subprocess.run(
        [str(SHOMEI), "extend", str(bb), "-o", str(out), "--level", "B-LT",
         "--tsa", "http://127.0.0.1:9/", "--trust", str(pki.cert_pem_path("root")), "--json"],
        capture_output=True, text=True, env=_env(), stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert res.returncode == 1, res.stdout
    assert json.loads(res.stdout)["error"] == "level-not-reached"
    assert "B-LT cannot be reached" in res.stderr and "no timestamp" in res.stderr
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".partial" in p.name]
