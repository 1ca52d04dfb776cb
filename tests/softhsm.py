"""SoftHSM2 tokens holding keys and certificates of the test PKI.

Everything lives under a temporary folder with its own ``softhsm2.conf``
(``SOFTHSM2_CONF`` points there for the test session; the system
configuration is never touched). Tokens are created with the real tools
(``softhsm2-util --import`` for keys, ``pkcs11-tool --write-object`` for
certificates and for keys that need CKA_ALWAYS_AUTHENTICATE) before the module
is loaded in-process, because SoftHSM2 reads its token folder when the module
is initialised.

Tokens (all user PINs in ``PINS``):

=================  ============================================================
``Shomei RSA``     signer-rsa (id 01) with its chain (interm, root: certs only)
``Shomei EC``      signer-ec (id 02) with its public key object
``Shomei JPKI``    like the My Number card, from the ``jp`` architecture: the
                   signature key jpki-signer (id 03, CKA_ALWAYS_AUTHENTICATE,
                   certificate private: readable only after login) beside the
                   user-authentication key jpki-auth-user (id 04), 6+ char PIN
``Shomei Mixed``   signer-rsa (01) and seal-rsa (02), both nonRepudiation, plus
                   id 03: certificate of signer-revoked stored with the key of
                   signer-expired (a key/certificate mismatch)
``Shomei PIN``     signer-ec, for wrong-PIN tests (SoftHSM2 sets COUNT_LOW)
``Shomei Final``   flags patched to USER_PIN_FINAL_TRY
``Shomei Locked``  flags patched to USER_PIN_LOCKED (SoftHSM2 never locks a
                   PIN by itself: it only sets COUNT_LOW after a wrong PIN)
``Shomei Removable``  signer-ec; a test deletes it while a session is open
=================  ============================================================
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests.pki import ARCH, JP_ARCH, PKI

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
SO_PIN = "87654321"
PINS = {
    "Shomei RSA": "1234",
    "Shomei EC": "1234",
    "Shomei JPKI": "SIGN2468PIN",  # 6-16 upper-case letters and digits, as on the card
    "Shomei Mixed": "1234",
    "Shomei PIN": "4321",
    "Shomei Final": "1234",
    "Shomei Locked": "1234",
    "Shomei Removable": "1234",
}

# SoftHSM2 object store: token flags are attribute CKA_OS_TOKENFLAGS, a ulong
_TOKENFLAGS_ATTR = bytes.fromhex("0000000080005" + "34b") + (2).to_bytes(8, "big")
CKF_USER_PIN_FINAL_TRY = 0x20000
CKF_USER_PIN_LOCKED = 0x40000


_PRIVATE_CERT_SCRIPT = """
import sys
import pkcs11
from pkcs11 import Attribute, CertificateType, ObjectClass
from asn1crypto import x509
module, label, pin, path, key_id, obj_label = sys.argv[1:]
value = open(path, "rb").read()
cert = x509.Certificate.load(value)
token = pkcs11.lib(module).get_token(token_label=label)
with token.open(rw=True, user_pin=pin) as session:
    session.create_object({
        Attribute.CLASS: ObjectClass.CERTIFICATE,
        Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
        Attribute.TOKEN: True, Attribute.PRIVATE: True,
        Attribute.ID: bytes.fromhex(key_id), Attribute.LABEL: obj_label,
        Attribute.VALUE: value, Attribute.SUBJECT: cert.subject.dump(),
        Attribute.ISSUER: cert.issuer.dump(),
        Attribute.SERIAL_NUMBER: cert["tbs_certificate"]["serial_number"].dump(),
    })
"""


def available() -> str | None:
    """Why SoftHSM2 tests cannot run here, or None."""
    if not MODULE.is_file():
        return f"SoftHSM2 module {MODULE} missing (Debian package softhsm2)"
    for tool in ("softhsm2-util", "pkcs11-tool"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (Debian packages softhsm2, opensc)"
    return None


@dataclass
class SoftHsm:
    root: Path
    conf: Path
    module: Path = MODULE

    def env(self) -> dict[str, str]:
        return {**os.environ, "SOFTHSM2_CONF": str(self.conf)}

    def run(self, *args: str) -> str:
        proc = subprocess.run(
            args, env=self.env(), capture_output=True, text=True, check=False, timeout=60
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def init_token(self, label: str) -> None:
        self.run(
            "softhsm2-util", "--init-token", "--free", "--label", label,
            "--pin", PINS[label], "--so-pin", SO_PIN,
        )  # fmt: skip

    def _key_file(
        self, pki: PKI, pki_label: str, arch: str, encoding: serialization.Encoding
    ) -> Path:
        """The PKI's private key as an unencrypted PKCS#8 file (the caller deletes it)."""
        suffix = "pem" if encoding == serialization.Encoding.PEM else "der"
        path = self.root / f"{pki_label}.key.{suffix}"
        path.write_bytes(
            pki.private_key(pki_label, arch).private_bytes(
                encoding, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return path

    def import_key(
        self, pki: PKI, token: str, pki_label: str, key_id: str, arch: str = ARCH
    ) -> None:
        pem = self._key_file(pki, pki_label, arch, serialization.Encoding.PEM)
        self.run(
            "softhsm2-util", "--import", str(pem), "--token", token, "--label", pki_label,
            "--id", key_id, "--pin", PINS[token],
        )  # fmt: skip
        pem.unlink()

    def import_key_and_cert(
        self, pki: PKI, token: str, pki_label: str, key_id: str, arch: str = ARCH
    ) -> None:
        """``pki_label``'s key and its certificate, under one id."""
        self.import_key(pki, token, pki_label, key_id, arch)
        self.write_cert(pki, token, pki_label, key_id, arch)

    def _tool(self, token: str, *args: str) -> None:
        self.run(
            "pkcs11-tool", "--module", str(self.module), "--token-label", token,
            "--login", "--pin", PINS[token], *args,
        )  # fmt: skip

    def write_cert(
        self, pki: PKI, token: str, pki_label: str, key_id: str, arch: str = ARCH
    ) -> None:
        der = self.root / f"{pki_label}.cert.der"
        der.write_bytes(pki.cert_der(pki_label, arch))
        self._tool(
            token, "--write-object", str(der), "--type", "cert", "--id", key_id,
            "--label", pki_label,
        )  # fmt: skip

    def write_private_cert(
        self, pki: PKI, token: str, pki_label: str, key_id: str, arch: str = ARCH
    ) -> None:
        """A certificate with CKA_PRIVATE (pkcs11-tool ignores --private for certs).

        Runs in a child process so this process loads the module only later.
        """
        der = self.root / f"{pki_label}.cert.der"
        der.write_bytes(pki.cert_der(pki_label, arch))
        self.run(sys.executable, "-c", _PRIVATE_CERT_SCRIPT, str(self.module), token,
                 PINS[token], str(der), key_id, pki_label)  # fmt: skip

    def write_always_auth_key(
        self, pki: PKI, token: str, pki_label: str, key_id: str, arch: str = ARCH
    ) -> None:
        der = self._key_file(pki, pki_label, arch, serialization.Encoding.DER)
        self._tool(
            token, "--write-object", str(der), "--type", "privkey", "--id", key_id,
            "--label", pki_label, "--usage-sign", "--always-auth", "--private", "--sensitive",
        )  # fmt: skip
        der.unlink()

    def delete_token(self, label: str) -> None:
        """Remove a token while the module is in use (like pulling a card)."""
        self.run("softhsm2-util", "--delete-token", "--token", label)

    def set_token_flags(self, label: str, add: int) -> None:
        """OR flags into the token's stored CKF flags (SoftHSM2 file store)."""
        for obj in (self.root / "tokens").glob("*/token.object"):
            data = bytearray(obj.read_bytes())
            if label.encode() not in data:
                continue
            at = data.find(_TOKENFLAGS_ATTR)
            assert at >= 0, "token flags attribute not found in SoftHSM2's token.object"
            pos = at + len(_TOKENFLAGS_ATTR)
            flags = int.from_bytes(data[pos : pos + 8], "big") | add
            data[pos : pos + 8] = flags.to_bytes(8, "big")
            obj.write_bytes(bytes(data))
            return
        raise AssertionError(f"token {label} not found")


def build(root: Path, pki: PKI) -> SoftHsm:
    """Create every token of the module docstring under ``root``."""
    (root / "tokens").mkdir(parents=True)
    conf = root / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {root / 'tokens'}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n"
    )
    hsm = SoftHsm(root=root, conf=conf)
    for label in PINS:
        hsm.init_token(label)

    hsm.import_key_and_cert(pki, "Shomei RSA", "signer-rsa", "01")
    hsm.write_cert(pki, "Shomei RSA", "interm", "a1")
    hsm.write_cert(pki, "Shomei RSA", "root", "a2")

    hsm.import_key_and_cert(pki, "Shomei EC", "signer-ec", "02")
    hsm.write_cert(pki, "Shomei EC", "interm", "a1")

    # the signature key (PIN per signature, certificate behind the PIN) and
    # the user-authentication key (digitalSignature only), as on the card
    hsm.write_always_auth_key(pki, "Shomei JPKI", "jpki-signer", "03", JP_ARCH)
    hsm.write_private_cert(pki, "Shomei JPKI", "jpki-signer", "03", JP_ARCH)
    hsm.import_key_and_cert(pki, "Shomei JPKI", "jpki-auth-user", "04", JP_ARCH)
    hsm.write_cert(pki, "Shomei JPKI", "jpki-sign-ca", "a1", JP_ARCH)

    hsm.import_key_and_cert(pki, "Shomei Mixed", "signer-rsa", "01")
    hsm.import_key_and_cert(pki, "Shomei Mixed", "seal-rsa", "02")
    hsm.import_key(pki, "Shomei Mixed", "signer-expired", "03")
    hsm.write_cert(pki, "Shomei Mixed", "signer-revoked", "03")

    for label in ("Shomei PIN", "Shomei Final", "Shomei Locked", "Shomei Removable"):
        hsm.import_key_and_cert(pki, label, "signer-ec", "02")
    hsm.set_token_flags("Shomei Final", CKF_USER_PIN_FINAL_TRY)
    hsm.set_token_flags("Shomei Locked", CKF_USER_PIN_LOCKED)
    return hsm


def session_tokens(pki: PKI, tmp_root: Path) -> Iterator[SoftHsm]:
    """The body of the ``softhsm`` session fixture (tests/conftest.py)."""
    import pytest

    reason = available()
    if reason:
        pytest.skip(reason)
    hsm = build(tmp_root, pki)
    old = os.environ.get("SOFTHSM2_CONF")
    # The in-process module reads this when it is initialised (first use).
    os.environ["SOFTHSM2_CONF"] = str(hsm.conf)
    import pkcs11

    loaded = pkcs11._loaded.get(str(MODULE))  # initialised earlier with another config
    if loaded is not None:
        loaded.reinitialize()
    try:
        yield hsm
    finally:
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old


def token_key(label: str) -> str:
    """The ``--key`` spec of the token labelled ``label``."""
    return f"pkcs11:module={MODULE};token={label.replace(' ', '%20')}"
