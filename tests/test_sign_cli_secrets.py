"""Scripts sign with a token or a remote service: ``SHOMEI_PIN`` / ``--pin-file`` and
``SHOMEI_OTP`` / ``--otp-file``, a refused scripted secret is not tried again, and the
JPKI privacy warning is shown before signing (and is in ``--json``)."""

from __future__ import annotations

import json
from pathlib import Path

from signing.cli.main import EXIT_ERROR, EXIT_OK
from signing.sign.request import SignMode
from signing.sign.signer import presign_warnings
from tests import csc_server as cs
from tests.pdf_factory import make_pdf
from tests.pki import JP_ARCH, PKI
from tests.sign_checks import CliSign
from tests.softhsm import PINS, SoftHsm, token_key
from tests.test_pkcs11_signing import JPKI_SIGNER, assert_chain_trusted, assert_pdfsig_valid, pdfsig

PRIVACY = "name, address, date of birth and sex"


def test_token_pin_from_the_environment(
    softhsm: SoftHsm, pki: PKI, nssdb: str, cli_sign: CliSign
) -> None:
    cli_sign.env.setenv("SHOMEI_PIN", PINS["Shomei RSA"])
    assert cli_sign(token_key("Shomei RSA")) == EXIT_OK
    captured = cli_sign.capsys.readouterr()
    assert "Signed" in captured.out
    assert PINS["Shomei RSA"] not in captured.out + captured.err
    assert PRIVACY not in captured.err  # not a JPKI certificate
    assert_pdfsig_valid(nssdb, cli_sign.out, "Alice Tester")
    assert_chain_trusted(pki, cli_sign.out)


def test_wrong_scripted_pin_is_tried_once(
    softhsm: SoftHsm, nssdb: str, cli_sign: CliSign, tmp_path: Path
) -> None:
    out, key = cli_sign.out, token_key("Shomei PIN")
    cli_sign.env.setenv("SHOMEI_PIN", "9999")
    assert cli_sign(key) == EXIT_ERROR
    err = cli_sign.capsys.readouterr().err
    assert "Wrong PIN for token 'Shomei PIN'" in err and "few PIN tries are left" in err
    assert "9999" not in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]
    assert cli_sign(key, "--json") == EXIT_ERROR
    doc = json.loads(cli_sign.capsys.readouterr().out)
    assert doc["ok"] is False and doc["error"] == "pin"
    assert not out.exists()
    # --pin-file wins over the environment; the right PIN signs (and clears COUNT_LOW)
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PINS["Shomei PIN"] + "\n", encoding="utf-8")
    assert cli_sign(key, "--pin-file", str(pin_file)) == EXIT_OK
    # this token holds no chain, so only the signature itself can be checked
    text = pdfsig(nssdb, out)
    assert "Signature is Valid" in text and "Common Name: Aiko Tanaka" in text, text


def test_scripted_pin_is_not_spent_on_the_last_try(softhsm: SoftHsm, cli_sign: CliSign) -> None:
    cli_sign.env.setenv("SHOMEI_PIN", PINS["Shomei Final"])
    # an error, not a cancel: 130 is for Ctrl-C only
    assert cli_sign(token_key("Shomei Final")) == EXIT_ERROR
    err = cli_sign.capsys.readouterr().err
    assert "Only one PIN try is left" in err and "SHOMEI_PIN" in err
    assert not cli_sign.out.exists()


def test_jpki_card_warns_before_signing_and_in_json(
    softhsm: SoftHsm, pki: PKI, nssdb: str, cli_sign: CliSign, tmp_path: Path
) -> None:
    # one PIN answers the log-in and the per-signature PIN of the signature key
    cli_sign.env.setenv("SHOMEI_PIN", PINS["Shomei JPKI"])
    key = token_key("Shomei JPKI")
    assert cli_sign(key) == EXIT_OK
    err = cli_sign.capsys.readouterr().err
    assert err.count(PRIVACY) == 1 and err.startswith("shomei: warning: This is a JPKI")
    assert_pdfsig_valid(nssdb, cli_sign.out, JPKI_SIGNER)
    assert_chain_trusted(pki, cli_sign.out, "jpki-sign-ca", JP_ARCH)

    out2 = tmp_path / "out2.pdf"
    assert cli_sign(key, "--json", out=out2) == EXIT_OK
    captured = cli_sign.capsys.readouterr()
    doc = json.loads(captured.out)
    assert [w["code"] for w in doc["presign_warnings"]] == ["jpki-privacy"]
    assert "生年月日" in doc["presign_warnings"][0]["ja"]
    assert any(PRIVACY in w for w in doc["warnings"])
    assert captured.err.count(PRIVACY) == 1


def test_presign_warnings_for_the_gui(pki: PKI) -> None:
    jpki = presign_warnings(pki.cert_der("jpki-signer", JP_ARCH), SignMode.SIGN)
    assert [r.code for r in jpki] == ["jpki-privacy"]
    assert PRIVACY in jpki[0].en and "氏名・住所・生年月日・性別" in jpki[0].ja
    # the user-authentication certificate holds no personal data
    assert presign_warnings(pki.cert_der("jpki-auth-user", JP_ARCH), SignMode.SIGN) == ()
    assert presign_warnings(pki.cert_der("signer-rsa"), SignMode.SIGN) == ()
    seal = presign_warnings(pki.cert_der("seal-rsa"), SignMode.SIGN)
    assert [r.code for r in seal] == ["seal-certificate-used-to-sign"] and seal[0].ja
    person = presign_warnings(pki.cert_der("signer-rsa"), SignMode.SEAL)
    assert [r.code for r in person] == ["signing-certificate-used-to-seal"]


def test_remote_pin_and_otp_from_the_environment(
    csc: cs.CscServer, nssdb: str, cli_sign: CliSign, tmp_path: Path
) -> None:
    cli_sign.env.setenv("SHOMEI_CSC_ACCESS_TOKEN", cs.PASTED_TOKEN)
    cli_sign.env.setenv("SHOMEI_PIN", cs.PIN)
    otp_file = tmp_path / "otp"
    otp_file.write_text(cs.OTP, encoding="utf-8")
    out = cli_sign.out
    key = f"csc:url={csc.url};credential={cs.PROTECTED}"
    assert cli_sign(key, "--otp-file", str(otp_file)) == EXIT_OK
    assert "Signed" in cli_sign.capsys.readouterr().out
    assert_pdfsig_valid(nssdb, out, "Aiko Tanaka")

    out.unlink()
    cli_sign.env.setenv("SHOMEI_PIN", "0000")
    cli_sign.env.setenv("SHOMEI_OTP", cs.OTP)
    before = len(csc.authorize_calls)
    assert cli_sign(key) == EXIT_ERROR
    assert "PIN or OTP is invalid" in cli_sign.capsys.readouterr().err
    assert len(csc.authorize_calls) == before + 1  # refused once, not tried again
    assert not out.exists()


def test_locked_token_reports_no_tries_left_in_json(softhsm: SoftHsm, cli_sign: CliSign) -> None:
    cli_sign.env.setenv("SHOMEI_PIN", PINS["Shomei Locked"])
    assert cli_sign(token_key("Shomei Locked"), "--json") == EXIT_ERROR
    doc = json.loads(cli_sign.capsys.readouterr().out)
    assert doc["error"] == "pin-locked" and doc["tries_left"] == 0
    assert not cli_sign.out.exists()


def _run_on_terminal(
    argv: list[str], env: dict[str, str], answers: list[tuple[bytes, bytes]]
) -> tuple[int, str]:
    """Run ``argv`` on a new pseudo-terminal; whenever ``waitfor`` appears, type
    ``answer``. Returns (exit status, everything the terminal showed)."""
    import os
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(argv[0], argv, env)
    seen = b""
    pending = list(answers)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            if pending and pending[0][0] in seen:
                waitfor, answer = pending.pop(0)
                seen = seen.replace(waitfor, waitfor.upper(), 1)  # consume this prompt
                os.write(fd, answer + b"\n")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode("utf-8", "replace")


def test_terminal_prompt_shows_label_and_pin_state_and_does_not_echo(
    softhsm: SoftHsm, pki: PKI, tmp_path: Path
) -> None:
    import sys

    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    env = {k: v for k, v in softhsm.env().items() if k not in ("SHOMEI_PIN", "SHOMEI_OTP")}
    argv = [sys.executable, "-m", "signing.cli.main", "sign", str(src), "-o", str(out)]
    argv += ["--key", token_key("Shomei PIN")]
    prompt = b"PIN for token 'Shomei PIN'"
    code, screen = _run_on_terminal(
        argv, env, [(prompt, b"1111"), (prompt, PINS["Shomei PIN"].encode())]
    )
    assert code == EXIT_OK, screen
    assert "wrong PIN, try again" in screen and "few PIN tries are left" in screen
    assert "1111" not in screen and PINS["Shomei PIN"] not in screen  # nothing echoed
    _assert_signed_by_aiko(out)


def _assert_signed_by_aiko(out: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with out.open("rb") as fh:
        sigs = PdfFileReader(fh).embedded_signatures
        assert len(sigs) == 1 and sigs[0].signer_cert.subject.native["common_name"] == (
            "Aiko Tanaka"
        )
