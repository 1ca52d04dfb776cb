"""The core's confirmation hook and cancel check: a My Number (JPKI-like)
token's privacy warning reaches ``confirm`` after the PIN and before the
signature, and a refusal leaves nothing behind; a cancel between the stages
(here just before the time-stamping server would be asked) does the same."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from signing.errors import UserCancelled
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.keys.spec import key_source_from_spec
from signing.model.results import Reason
from signing.secrets import SecretRequest
from signing.sign.request import Level, SignRequest
from signing.sign.signer import sign_batch, sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.softhsm import MODULE, PINS, SoftHsm

JPKI_TOKEN = f"pkcs11:module={MODULE};token=Shomei%20JPKI"


class Recorder:
    """A PIN prompt and a confirm hook writing one shared event log."""

    def __init__(self, secret: str, answer: bool) -> None:
        self.secret = secret
        self.answer = answer
        self.events: list[str] = []
        self.reasons: tuple[Reason, ...] = ()

    def ask(self, request: SecretRequest) -> str:
        self.events.append("pin")
        return self.secret

    def confirm(self, reasons: tuple[Reason, ...]) -> bool:
        self.events.append("confirm")
        self.reasons = reasons
        return self.answer


def _left_behind(folder: Path, src: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != src)


@pytest.fixture
def jpki_env(softhsm: SoftHsm, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in softhsm.env().items():
        if name not in ("SHOMEI_PIN", "SHOMEI_OTP"):
            monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("jpki_env")
def test_jpki_warning_is_confirmed_after_the_pin_and_a_refusal_leaves_nothing(
    tmp_path: Path,
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    out = tmp_path / "out.pdf"
    rec = Recorder(PINS["Shomei JPKI"], answer=False)
    req = SignRequest(
        input_path=src,
        output_path=out,
        key_source=key_source_from_spec(JPKI_TOKEN),
        level=Level.B_B,
    )
    with pytest.raises(UserCancelled):
        sign_pdf(req, rec, confirm=rec.confirm)
    assert [r.code for r in rec.reasons] == ["jpki-privacy"]
    assert "date of birth" in rec.reasons[0].en and "生年月日" in rec.reasons[0].ja
    # the card's certificate is read after the log-in PIN; no signature PIN was asked
    assert rec.events == ["pin", "confirm"]
    assert not out.exists() and _left_behind(tmp_path, src) == []
    assert src.read_bytes() == before

    # accepted: signed, and the confirm came before the signature's own PIN
    rec = Recorder(PINS["Shomei JPKI"], answer=True)
    result = sign_pdf(req, rec, confirm=rec.confirm)
    assert rec.events[:2] == ["pin", "confirm"] and out.is_file()
    assert any("date of birth" in w for w in result.warnings)

    # a batch asks once per key; a refusal cancels that key's documents
    rec = Recorder(PINS["Shomei JPKI"], answer=False)
    outs = [tmp_path / "b1.pdf", tmp_path / "b2.pdf"]
    reqs = [
        SignRequest(input_path=src, output_path=o, key_source=req.key_source, level=Level.B_B)
        for o in outs
    ]
    outcomes = sign_batch(reqs, rec, confirm=rec.confirm)
    assert rec.events.count("confirm") == 1
    assert all(isinstance(o, UserCancelled) for o in outcomes)
    assert not any(o.exists() for o in outs)


def test_no_confirm_without_warnings(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    rec = Recorder(KEY_PASSWORD, answer=False)
    req = SignRequest(
        input_path=src,
        output_path=tmp_path / "out.pdf",
        key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
        level=Level.B_B,
    )
    sign_pdf(req, rec, confirm=rec.confirm)
    assert rec.events == ["pin"]


def test_cancel_before_the_timestamp_leaves_no_output(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    out = tmp_path / "out.pdf"
    tsa_asked: list[str] = []

    def cancel() -> bool:
        # True only when polled by the time-stamper, i.e. after the key was
        # opened and the document hashed, just before the server is asked
        stage = sys._getframe(1).f_code.co_name
        tsa_asked.append(stage)
        return stage == "timestamp_sync"

    req = SignRequest(
        input_path=src,
        output_path=out,
        key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
        level=Level.B_T,
        tsa_urls=(pki.tsa_url(),),
    )
    with pytest.raises(UserCancelled):
        sign_pdf(req, Recorder(KEY_PASSWORD, True), cancel=cancel)
    assert tsa_asked[-1] == "timestamp_sync" and len(tsa_asked) > 2
    assert not out.exists() and _left_behind(tmp_path, src) == []
    assert src.read_bytes() == before

    # a cancel already set stops before the key is opened
    rec = Recorder(KEY_PASSWORD, True)
    with pytest.raises(UserCancelled):
        sign_pdf(req, rec, cancel=lambda: True)
    assert rec.events == [] and not out.exists()

    # the same token, never set, changes nothing
    sign_pdf(req, Recorder(KEY_PASSWORD, True), cancel=lambda: False)
    assert out.is_file() and src.read_bytes() == before


def test_batch_cancel_inside_a_document_stops_the_batch(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    key = Pkcs12KeySource(pki.p12_path("signer-rsa"))
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    reqs = [
        SignRequest(
            input_path=src,
            output_path=o,
            key_source=key,
            level=Level.B_T,
            tsa_urls=(pki.tsa_url(),),
        )
        for o in outs
    ]

    def cancel() -> bool:
        return sys._getframe(1).f_code.co_name == "timestamp_sync"

    outcomes = sign_batch(reqs, Recorder(KEY_PASSWORD, True), cancel=cancel)
    assert all(isinstance(o, UserCancelled) for o in outcomes)
    assert _left_behind(tmp_path, src) == []
