"""``shomei sign --key pkcs11:...`` and ``--key csc:...`` from the command line."""

from __future__ import annotations

from signing.cli.main import EXIT_ERROR, EXIT_OK
from tests import csc_server as cs
from tests.sign_checks import CliSign
from tests.softhsm import SoftHsm, token_key
from tests.test_pkcs11_signing import assert_pdfsig_valid


def test_cli_signs_with_remote_credential(csc: cs.CscServer, nssdb: str, cli_sign: CliSign) -> None:
    cli_sign.env.setenv("SHOMEI_CSC_ACCESS_TOKEN", cs.PASTED_TOKEN)
    key = f"csc:url={csc.url};credential=shomei%2Fseal-rsa"
    assert cli_sign(key, command="seal") == EXIT_OK
    assert "Sealed" in cli_sign.capsys.readouterr().out
    assert_pdfsig_valid(nssdb, cli_sign.out, "Shomei Test Company Seal")


def test_cli_remote_errors_are_messages(csc: cs.CscServer, cli_sign: CliSign) -> None:
    cli_sign.env.setenv("SHOMEI_CSC_ACCESS_TOKEN", cs.PASTED_TOKEN)
    assert cli_sign(f"csc:url={csc.url};credential=shomei/nobody") == EXIT_ERROR
    assert "has no credential 'shomei/nobody'" in cli_sign.capsys.readouterr().err
    cli_sign.env.setenv("SHOMEI_CSC_ACCESS_TOKEN", "expired")
    assert cli_sign(f"csc:url={csc.url};credential=shomei/signer-rsa") == EXIT_ERROR
    assert "refused our access (HTTP 401)" in cli_sign.capsys.readouterr().err
    assert not cli_sign.out.exists()


def test_cli_token_pin_locked(softhsm: SoftHsm, cli_sign: CliSign) -> None:
    assert cli_sign(token_key("Shomei Locked")) == EXIT_ERROR
    err = cli_sign.capsys.readouterr().err
    assert "PIN of token 'Shomei Locked'" in err and "locked" in err and "PUK" in err
    assert not cli_sign.out.exists()


def test_cli_token_asks_for_the_pin(softhsm: SoftHsm, cli_sign: CliSign) -> None:
    # no terminal under pytest and no scripted PIN: an error (1), not a
    # cancel (130 is for Ctrl-C only)
    assert cli_sign(token_key("Shomei RSA")) == EXIT_ERROR
    err = cli_sign.capsys.readouterr().err
    assert "pin" in err.lower() and "Shomei RSA" in err
    assert not cli_sign.out.exists()


def test_cli_unknown_token(softhsm: SoftHsm, cli_sign: CliSign) -> None:
    assert cli_sign(token_key("Missing")) == EXIT_ERROR
    assert "No token matching 'Missing'" in cli_sign.capsys.readouterr().err
