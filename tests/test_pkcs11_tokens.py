"""Listing PKCS#11 modules, tokens and keys on real SoftHSM2 tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from signing.certs.summary import CertificatePurpose
from signing.errors import (
    AmbiguousKeyError,
    KeyCertificateMismatchError,
    TokenModuleError,
    TokenNotFoundError,
)
from signing.keys.pkcs11 import (
    Pkcs11KeySource,
    find_modules,
    from_spec,
    list_keys,
    list_signing_keys,
    list_tokens,
)
from signing.keys.pkcs11_keys import select_key
from signing.secrets import FixedSecret, PinState
from tests.softhsm import MODULE, PINS, SoftHsm


def _token(label: str):  # type: ignore[no-untyped-def]
    return next(t for t in list_tokens(MODULE) if t.label == label)


def test_find_modules_includes_softhsm_and_custom_paths(tmp_path: Path) -> None:
    custom = tmp_path / "vendor-pkcs11.so"
    custom.write_bytes(b"not really a library")
    found = find_modules([str(custom), str(tmp_path / "missing.so")])
    assert found[0] == custom  # custom paths first
    assert MODULE in found
    assert tmp_path / "missing.so" not in found


def test_module_that_cannot_load_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus-pkcs11.so"
    bogus.write_bytes(b"\x7fELF garbage")
    with pytest.raises(TokenModuleError, match="could not be loaded"):
        list_tokens(bogus)
    with pytest.raises(TokenModuleError, match="does not exist"):
        list_tokens(tmp_path / "absent.so")


def test_list_tokens_reports_label_serial_and_pin_state(softhsm: SoftHsm) -> None:
    tokens = {t.label: t for t in list_tokens(MODULE)}
    assert set(PINS) - {"Shomei Removable"} <= set(tokens)  # that one may be pulled already
    rsa = tokens["Shomei RSA"]
    assert rsa.manufacturer == "SoftHSM project"
    assert len(rsa.serial) == 16 and rsa.login_required and not rsa.protected_auth_path
    assert tokens["Shomei Locked"].pin_state is PinState.LOCKED
    assert tokens["Shomei Locked"].tries_left == 0
    assert tokens["Shomei Final"].pin_state is PinState.FINAL_TRY
    assert tokens["Shomei Final"].tries_left == 1


def test_list_keys_without_login_sees_public_certificates_only(softhsm: SoftHsm) -> None:
    keys = list_keys(MODULE, _token("Shomei RSA"))
    subjects = sorted(k.certificate.subject for k in keys if k.certificate)
    assert len(subjects) == 3
    signer = next(k for k in keys if k.cert_id_hex == "01")
    assert signer.certificate is not None and signer.certificate.qualified
    assert signer.certificate.qscd and signer.certificate.purpose is CertificatePurpose.SIGN
    assert signer.non_repudiation
    assert not signer.has_private_key  # private keys are private objects


def test_list_signing_keys_leaves_out_the_chain_and_offers_a_card_behind_its_pin(
    softhsm: SoftHsm,
) -> None:
    """What a key chooser offers, no PIN asked: the signer's certificate, not
    the CA certificates stored beside it; a JPKI-like token, whose signature
    certificate is private, once as a whole (its key chosen after the PIN)."""
    offers = [
        o for o in list_signing_keys([MODULE]) if o.token.label in ("Shomei RSA", "Shomei JPKI")
    ]
    rsa = [o for o in offers if o.token.label == "Shomei RSA"]
    assert [o.key.cert_id_hex for o in rsa if o.key is not None] == ["01"]  # not a1, a2
    assert all(o.key is not None for o in rsa)  # its signing certificate is public
    assert "cert=" in rsa[0].spec() or "id=" in rsa[0].spec()
    jpki = [o for o in offers if o.token.label == "Shomei JPKI"]
    whole = [o for o in jpki if o.key is None]
    assert len(whole) == 1 and whole[0].spec() == whole[0].token.spec()
    shown = {o.key.cert_id_hex for o in jpki if o.key is not None}
    assert shown == {"04"}  # the authentication certificate; the CA (a1) left out


def test_list_keys_after_login_pairs_keys_and_certificates(softhsm: SoftHsm) -> None:
    keys = list_keys(MODULE, _token("Shomei RSA"), FixedSecret(PINS["Shomei RSA"]))
    paired = [k for k in keys if k.has_private_key]
    assert [(k.key_id_hex, k.key_type, k.key_bits) for k in paired] == [("01", "rsa", 2048)]
    assert "Alice Tester" in paired[0].certificate.subject  # type: ignore[union-attr]
    ec = [
        k for k in list_keys(MODULE, _token("Shomei EC"), FixedSecret("1234")) if k.has_private_key
    ]
    assert [(k.key_id_hex, k.key_type) for k in ec] == [("02", "ec")]


def test_jpki_like_certificate_is_readable_only_after_login(softhsm: SoftHsm) -> None:
    token = _token("Shomei JPKI")
    before = list_keys(MODULE, token)
    assert all(k.cert_id_hex != "03" for k in before)
    after = list_keys(MODULE, token, FixedSecret(PINS["Shomei JPKI"]))
    sig = next(k for k in after if k.cert_id_hex == "03")
    assert sig.has_private_key and sig.always_authenticate and sig.non_repudiation
    auth = next(k for k in after if k.cert_id_hex == "04")
    assert auth.has_private_key and not auth.always_authenticate and not auth.non_repudiation
    # chosen by purpose: the signature key, not the authentication key
    assert select_key(after) == sig


def test_several_fitting_keys_are_ambiguous_and_listed(softhsm: SoftHsm) -> None:
    keys = list_keys(MODULE, _token("Shomei Mixed"), FixedSecret("1234"))
    with pytest.raises(AmbiguousKeyError) as err:
        select_key(keys)
    candidates = err.value.candidates
    assert sorted(c.key_id_hex for c in candidates) == ["01", "02"]  # type: ignore[attr-defined]
    assert "Alice Tester" in str(err.value) and "Seal" in str(err.value)
    # the mismatched pair (id 03) is never offered
    assert select_key(keys, key_id=b"\x02").certificate.purpose is CertificatePurpose.SEAL  # type: ignore[union-attr]


def test_key_certificate_mismatch_is_reported(softhsm: SoftHsm) -> None:
    keys = list_keys(MODULE, _token("Shomei Mixed"), FixedSecret("1234"))
    revoked = next(k for k in keys if k.cert_id_hex == "03")
    assert not revoked.has_private_key and revoked.mismatched_key_id_hex == "03"
    with pytest.raises(KeyCertificateMismatchError):
        select_key(keys, key_id=b"\x03")


def test_unknown_token_lists_what_is_present(softhsm: SoftHsm) -> None:
    source = from_spec(f"module={MODULE};token=No%20Such%20Card")
    with pytest.raises(TokenNotFoundError, match="Shomei RSA"), source.open(FixedSecret("1")):
        pass


def test_spec_parsing() -> None:
    src = from_spec(f"module={MODULE};token=Shomei%20Test;key-id=0A0b;pss=yes")
    assert (src.module, src.token, src.key_id, src.prefer_pss) == (
        MODULE,
        "Shomei Test",
        b"\x0a\x0b",
        True,
    )
    assert from_spec("serial=abc;id=%01%02").key_id == b"\x01\x02"
    assert from_spec("cert=" + "AB" * 32).cert_sha256 == "ab" * 32
    from signing.errors import KeyError_

    for bad in ("token=a;token=b", "colour=blue", "cert=12", "key-id=xyz", "token"):
        with pytest.raises(KeyError_):
            from_spec(bad)


def test_one_broken_module_does_not_hide_the_others(softhsm: SoftHsm, tmp_path: Path) -> None:
    from signing.keys.pkcs11 import list_all_tokens

    bogus = tmp_path / "broken-pkcs11.so"
    bogus.write_bytes(b"junk")
    tokens, errors = list_all_tokens([bogus, MODULE])
    assert "Shomei RSA" in {t.label for t in tokens}
    assert len(errors) == 1 and isinstance(errors[0], TokenModuleError)
    assert str(bogus) in str(errors[0])


def test_key_spec_of_a_listed_key_selects_it(softhsm: SoftHsm) -> None:
    keys = list_keys(MODULE, _token("Shomei Mixed"), FixedSecret("1234"))
    seal = next(k for k in keys if k.key_id_hex == "02")
    spec = seal.spec()
    assert spec.startswith("pkcs11:") and seal.certificate is not None
    source = from_spec(spec.removeprefix("pkcs11:"))
    with source.open(FixedSecret("1234")) as signer:
        assert signer.signing_cert.sha256.hex() == seal.certificate.sha256_hex


def test_token_found_without_naming_the_module(softhsm: SoftHsm) -> None:
    # well-known modules are searched (OpenSC, if installed, is tried too)
    source = from_spec("token=Shomei%20EC")
    assert source.module is None
    with source.open(FixedSecret("1234")) as signer:
        assert "Aiko Tanaka" in signer.signing_cert.subject.human_friendly


OPENSC = Path("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")


@pytest.mark.skipif(not OPENSC.is_file(), reason="OpenSC's PKCS#11 module is not installed")
def test_no_card_in_the_reader_with_opensc() -> None:
    # OpenSC loads for real; this machine has no reader, so no token is present
    assert OPENSC in find_modules()
    assert list_tokens(OPENSC) == []
    with (
        pytest.raises(TokenNotFoundError, match=r"No token is present.*Tokens present: none"),
        Pkcs11KeySource(OPENSC).open(FixedSecret("unused")),
    ):
        pass


def test_a_shared_login_is_no_way_around_the_pin(softhsm: SoftHsm) -> None:
    """While another session of this process is signed in (the login is
    shared by the token's sessions), a wrong PIN must not open a session."""
    from signing.errors import TokenError
    from signing.keys.pkcs11_tokens import close_quietly, find_token, login

    label = next(iter(PINS))
    token, info = find_token(MODULE, label)
    first = login(token, info, FixedSecret(PINS[label]))
    try:
        with pytest.raises(TokenError, match="already signed in"):
            login(token, info, FixedSecret("0000" if PINS[label] != "0000" else "9999"))
    finally:
        close_quietly(first)
