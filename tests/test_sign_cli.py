"""The ``shomei sign|seal|timestamp|extend`` command line contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from signing.cli.main import main
from signing.cli.sign_cmd import parse_field
from signing.errors import ShomeiError
from signing.sign.request import FieldPlacement
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import assert_mutool_ok, assert_pdfsig_ok, make_nss_db, sha256

SHOMEI = Path(sys.executable).parent / "shomei"


@pytest.fixture(scope="module")
def nss(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> str:
    return make_nss_db(tmp_path_factory.mktemp("nss"), pki.cert_pem_path("root"))


@pytest.fixture
def src(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "in.pdf")


@pytest.fixture
def pwfile(tmp_path: Path) -> Path:
    p = tmp_path / "pw.txt"
    p.write_text(KEY_PASSWORD + "\n")
    return p


def run(*args: str, password: str | None = KEY_PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOMEI_")}
    if password is not None:
        env["SHOMEI_KEY_PASSWORD"] = password
    return subprocess.run(
        [str(SHOMEI), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_sign_with_env_password_and_json(pki: PKI, nss: str, src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    res = run(
        "sign",
        str(src),
        "-o",
        str(out),
        "--key",
        f"p12:{pki.p12_path('signer-ec')}",
        "--tsa",
        pki.tsa_url(),
        "--trust",
        str(pki.cert_pem_path("root")),
        "--field",
        "1/50,50,250,120",
        "--reason",
        "承認",
        "--location",
        "東京",
        "--json",
    )
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["ok"] is True and data["level"] == "B-LT"
    assert data["output"] == str(out) and data["signer"]["purpose"] == "sign"
    assert_pdfsig_ok(out, nss)
    assert_mutool_ok(out)


def test_seal_level_and_image(pki: PKI, nss: str, src: Path, tmp_path: Path, pwfile: Path) -> None:
    from PIL import Image

    png = tmp_path / "hanko.png"
    Image.new("RGBA", (64, 64), (200, 0, 0, 255)).save(png)
    out = tmp_path / "sealed.pdf"
    code = main(
        [
            "seal",
            str(src),
            "-o",
            str(out),
            "--key",
            f"p12:{pki.p12_path('seal-rsa')}",
            "--password-file",
            str(pwfile),
            "--level",
            "B-T",
            "--tsa",
            pki.tsa_url(),
            "--field",
            "1/20,20,90,45mm",
            "--image",
            str(png),
        ]
    )
    assert code == 0
    assert_pdfsig_ok(out, nss)


def test_certify_and_existing_field(pki: PKI, nss: str, tmp_path: Path, pwfile: Path) -> None:
    src = make_pdf(tmp_path / "form.pdf", empty_fields=["Approval"])
    out = tmp_path / "out.pdf"
    code = main(
        [
            "sign",
            str(src),
            "-o",
            str(out),
            "--key",
            f"p12:{pki.p12_path('signer-rsa')}",
            "--password-file",
            str(pwfile),
            "--field",
            "Approval",
            "--certify",
            "form-filling",
            "--contact",
            "alice@example.test",
        ]
    )
    assert code == 0
    assert_pdfsig_ok(out, nss, fields=["Approval"])


def test_failure_is_one_line_and_nonzero(pki: PKI, src: Path, tmp_path: Path) -> None:
    before = sha256(src)
    out = tmp_path / "out.pdf"
    res = run(
        "sign", str(src), "-o", str(out), "--key", f"p12:{pki.p12_path('signer-rsa')}",
        password="wrong",
    )  # fmt: skip
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "password" in lines[0], res.stderr
    assert not out.exists() and sha256(src) == before


def test_json_error(
    pki: PKI, tmp_path: Path, pwfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "x.pdf"
    bogus.write_text("hello")
    code = main(
        ["sign", str(bogus), "-o", str(tmp_path / "o.pdf"),
         "--key", f"p12:{pki.p12_path('signer-rsa')}", "--password-file", str(pwfile), "--json"]
    )  # fmt: skip
    assert code == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["ok"] is False and data["error"] == "not-a-pdf" and "x.pdf" in data["message"]
    assert len(captured.err.strip().splitlines()) == 1


def test_no_terminal_and_no_password_is_a_clear_error(pki: PKI, src: Path, tmp_path: Path) -> None:
    res = run(
        "sign", str(src), "-o", str(tmp_path / "o.pdf"),
        "--key", f"p12:{pki.p12_path('signer-rsa')}",
        password=None,
    )  # fmt: skip
    assert res.returncode != 0
    assert "SHOMEI_KEY_PASSWORD" in res.stderr and "--password-file" in res.stderr


def test_timestamp_and_extend(pki: PKI, nss: str, src: Path, tmp_path: Path, pwfile: Path) -> None:
    ts = tmp_path / "ts.pdf"
    assert main(["timestamp", str(src), "-o", str(ts), "--tsa", pki.tsa_url()]) == 0
    signed = tmp_path / "bb.pdf"
    key = f"p12:{pki.p12_path('signer-rsa')}"
    assert (
        main(["sign", str(src), "-o", str(signed), "--key", key, "--password-file", str(pwfile)])
        == 0
    )
    lta = tmp_path / "lta.pdf"
    code = main(
        [
            "extend",
            str(signed),
            "-o",
            str(lta),
            "--level",
            "B-LTA",
            "--tsa",
            pki.tsa_url(),
            "--trust",
            str(pki.cert_pem_path("root")),
        ]
    )
    assert code == 0
    assert_pdfsig_ok(lta, nss)


def test_unknown_key_scheme(src: Path, tmp_path: Path) -> None:
    assert main(["sign", str(src), "-o", str(tmp_path / "o.pdf"), "--key", "gpg:abc"]) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/50,50,250,120", FieldPlacement(page=1, box=(50, 50, 250, 120))),
        ("2/20,20,90,45mm", FieldPlacement(page=2, box=(20, 20, 90, 45), unit="mm")),
        ("Sig=3/1,2,3,4", FieldPlacement(page=3, box=(1, 2, 3, 4), field_name="Sig")),
        ("Approval", FieldPlacement(field_name="Approval")),
    ],
)
def test_parse_field(text: str, expected: FieldPlacement) -> None:
    assert parse_field(text) == expected


@pytest.mark.parametrize("text", ["1/50,50,250", "x=1/a,b,c,d", "0/1,2,3,4"])
def test_parse_field_rejects(text: str) -> None:
    with pytest.raises(ShomeiError):
        parse_field(text)


def test_level_above_b_b_needs_a_tsa(
    pki: PKI, src: Path, tmp_path: Path, pwfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = f"p12:{pki.p12_path('signer-rsa')}"
    out = tmp_path / "o.pdf"
    args = ["sign", str(src), "-o", str(out), "--key", key, "--password-file", str(pwfile)]
    assert main([*args, "--level", "B-T"]) == 1
    assert "--tsa" in capsys.readouterr().err
    assert not out.exists()
