"""``shomei sign --key pkcs11:...`` and ``--key csc:...`` from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from signing.cli.main import EXIT_ERROR, EXIT_OK, main
from tests import csc_server as cs
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.softhsm import MODULE, SoftHsm
from tests.test_pkcs11_signing import assert_pdfsig_valid, nssdb  # noqa: F401


@pytest.fixture(scope="module")
def csc(pki: PKI) -> Iterator[cs.CscServer]:
    server = cs.start_csc(pki, scal=2)
    yield server
    server.stop()


def test_cli_signs_with_remote_credential(
    csc: cs.CscServer,
    nssdb: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SHOMEI_CSC_ACCESS_TOKEN", cs.PASTED_TOKEN)
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    key = f"csc:url={csc.url};credential=shomei%2Fseal-rsa"
    assert main(["seal", str(src), "-o", str(out), "--key", key]) == EXIT_OK
    assert "Sealed" in capsys.readouterr().out
    assert_pdfsig_valid(nssdb, out, "Shomei Test Company Seal")


def test_cli_remote_errors_are_messages(
    csc: cs.CscServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    monkeypatch.setenv("SHOMEI_CSC_ACCESS_TOKEN", cs.PASTED_TOKEN)
    key = f"csc:url={csc.url};credential=shomei/nobody"
    assert main(["sign", str(src), "-o", str(out), "--key", key]) == EXIT_ERROR
    assert "has no credential 'shomei/nobody'" in capsys.readouterr().err
    monkeypatch.setenv("SHOMEI_CSC_ACCESS_TOKEN", "expired")
    key = f"csc:url={csc.url};credential=shomei/signer-rsa"
    assert main(["sign", str(src), "-o", str(out), "--key", key]) == EXIT_ERROR
    assert "refused our access (HTTP 401)" in capsys.readouterr().err
    assert not out.exists()


def test_cli_token_pin_locked(
    softhsm: SoftHsm, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    key = f"pkcs11:module={MODULE};token=Shomei%20Locked"
    assert main(["sign", str(src), "-o", str(out), "--key", key]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "PIN of token 'Shomei Locked'" in err and "locked" in err and "PUK" in err
    assert not out.exists()


def test_cli_token_asks_for_the_pin(
    softhsm: SoftHsm, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    key = f"pkcs11:module={MODULE};token=Shomei%20RSA"
    # no terminal under pytest and no scripted PIN: an error (1), not a
    # cancel (130 is for Ctrl-C only)
    assert main(["sign", str(src), "-o", str(out), "--key", key]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "pin" in err.lower() and "Shomei RSA" in err
    assert not out.exists()


def test_cli_unknown_token(
    softhsm: SoftHsm, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    key = f"pkcs11:module={MODULE};token=Missing"
    assert main(["sign", str(src), "-o", str(tmp_path / "o.pdf"), "--key", key]) == EXIT_ERROR
    assert "No token matching 'Missing'" in capsys.readouterr().err
