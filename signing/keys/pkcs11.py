"""Keys on smart cards, USB tokens and HSMs through PKCS#11.

Public API (what the GUI and the CLI call)::

    find_modules(extra_paths=()) -> list[Path]
    list_tokens(module) -> list[TokenInfo]
    list_all_tokens(modules) -> (list[TokenInfo], list[ShomeiError])  # per-module failures
    list_keys(module, token, prompt=None) -> list[KeyInfo]
    list_signing_keys(modules) -> list[SigningKeyOffer]  # what a key chooser offers
    Pkcs11KeySource(module, token=None, *, key_id=None, cert_sha256=None,
                    label=None, prefer_pss=False, extra_module_paths=())
    from_spec(rest) -> Pkcs11KeySource

Key spec (``--key pkcs11:...``), modelled on RFC 7512 PKCS#11 URIs:
``;``-separated ``name=value`` attributes, values percent-encoded (``%20``
for a space, ``%3B`` for ``;``)::

    pkcs11:module=/usr/lib/softhsm/libsofthsm2.so;token=Shomei%20Test;cert=SHA256HEX
    pkcs11:token=My%20Card;key-id=01
    pkcs11:module=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so;serial=1234;label=Signature

==================  ==========================================================
``module``          path of the PKCS#11 module; if absent, well-known modules
                    are searched for the token (``module-path`` also accepted)
``token``           token label (RFC 7512 ``token``)
``serial``          token serial number (RFC 7512 ``serial``)
``cert``            SHA-256 fingerprint of the signing certificate (hex,
                    colons allowed)
``key-id`` / ``id`` CKA_ID of the key or its certificate, hex (RFC 7512 ``id``
                    is percent-encoded bytes: ``id=%01`` also works)
``label`` / ``object``  CKA_LABEL of the key or its certificate
``pss``             ``yes`` to sign with RSA-PSS (RSA keys only)
==================  ==========================================================

Without ``cert``/``key-id``/``label`` the key whose certificate has the
nonRepudiation key usage is chosen; if several fit the error
(:class:`~signing.errors.AmbiguousKeyError`) lists them with a spec for each.
The PIN is never part of the spec: it is asked through the SecretPrompt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

from signing.errors import KeyError_
from signing.keys.pkcs11_key_source import Pkcs11KeySource
from signing.keys.pkcs11_keys import KeyInfo, list_keys
from signing.keys.pkcs11_modules import find_modules
from signing.keys.pkcs11_tokens import TokenInfo, list_all_tokens, list_tokens
from signing.keys.spec import parse_attributes

__all__ = [
    "KeyInfo",
    "Pkcs11KeySource",
    "SigningKeyOffer",
    "TokenInfo",
    "find_modules",
    "from_spec",
    "list_all_tokens",
    "list_keys",
    "list_signing_keys",
    "list_tokens",
    "parse_spec",
]

_KNOWN = {
    "module",
    "module-path",
    "token",
    "serial",
    "cert",
    "key-id",
    "id",
    "label",
    "object",
    "pss",
}


def parse_spec(rest: str) -> dict[str, str]:
    """``name=value;...`` to a dict (values still percent-encoded)."""
    return parse_attributes(rest, "pkcs11", "PKCS#11", _KNOWN)


def _hex(value: str, what: str) -> bytes:
    try:
        return bytes.fromhex(value.replace(":", ""))
    except ValueError:
        raise KeyError_(
            f"PKCS#11 key spec: {what} must be hexadecimal, not '{value}'.",
            ja=f"PKCS#11の鍵の指定：{what}は16進数で指定してください（「{value}」は不可）。",
        ) from None


def from_spec(rest: str) -> Pkcs11KeySource:
    """A key source from the text after ``pkcs11:`` (see the module docstring)."""
    attrs = parse_spec(rest)
    module = attrs.get("module") or attrs.get("module-path")
    if "token" in attrs and "serial" in attrs:
        raise KeyError_(
            "PKCS#11 key spec: give the token's label or its serial, not both.",
            ja="PKCS#11の鍵の指定：トークンのラベルとシリアル番号は、どちらか一方だけを指定してください。",
        )
    token = attrs.get("token") or attrs.get("serial")
    key_id: bytes | None = None
    if "key-id" in attrs:
        key_id = _hex(unquote(attrs["key-id"]), "key-id")
    elif "id" in attrs:
        raw = attrs["id"]
        key_id = unquote_to_bytes(raw) if "%" in raw else _hex(raw, "id")
    cert = unquote(attrs["cert"]) if "cert" in attrs else None
    if cert is not None:
        _hex(cert, "cert")
        if len(cert.replace(":", "")) != 64:
            raise KeyError_(
                "PKCS#11 key spec: cert must be a SHA-256 fingerprint (64 hex digits).",
                ja="PKCS#11の鍵の指定：certにはSHA-256フィンガープリント（16進数64桁）を"
                "指定してください。",
            )
    label = attrs.get("label") or attrs.get("object")
    pss = attrs.get("pss", "no").lower()
    if pss not in ("yes", "no", "true", "false", "1", "0"):
        raise KeyError_(
            "PKCS#11 key spec: pss must be yes or no.",
            ja="PKCS#11の鍵の指定：pssにはyesまたはnoを指定してください。",
        )
    return Pkcs11KeySource(
        unquote(module) if module else None,
        unquote(token) if token else None,
        key_id=key_id,
        cert_sha256=cert,
        label=unquote(label) if label else None,
        prefer_pss=pss in ("yes", "true", "1"),
    )


@dataclass(frozen=True)
class SigningKeyOffer:
    """One key a signature can use, as a key chooser lists it."""

    token: TokenInfo
    #: the key with its certificate; ``None``: the token's signing key, whose
    #: certificate is readable only after the PIN (a My Number card), chosen
    #: by purpose once logged in
    key: KeyInfo | None

    def spec(self) -> str:
        """A ``pkcs11:`` spec selecting this key (or the token's signing key)."""
        return self.key.spec() if self.key is not None else self.token.spec()

    @property
    def after_pin(self) -> bool:
        """The token's signing key, its certificate unknown until the PIN."""
        return self.key is None

    @property
    def description(self) -> str:
        return self.key.describe() if self.key is not None else self.token.label

    @property
    def cert_der(self) -> bytes | None:
        return self.key.cert_der if self.key is not None else None

    @property
    def organisation(self) -> str | None:
        """The certificate's organisation (a seal's name), when known."""
        cert = self.key.certificate if self.key is not None else None
        return cert.organisation if cert is not None else None


def list_signing_keys(modules: Iterable[Path]) -> list[SigningKeyOffer]:
    """Every key on every token of ``modules`` that a signature can use, no
    PIN asked (public objects only): a CA certificate stored beside a key
    (its chain) is left out; a token that needs a log-in and shows no
    non-repudiation certificate before it is offered as a whole."""
    out = []
    for module in modules:
        for token in list_tokens(module):
            signing_key_seen = False
            for key in list_keys(module, token):
                cert = key.certificate
                if cert is not None and "key_cert_sign" in cert.key_usage:
                    continue
                signing_key_seen |= cert is not None and "non_repudiation" in cert.key_usage
                out.append(SigningKeyOffer(token, key))
            if token.login_required and not signing_key_seen:
                out.append(SigningKeyOffer(token, None))
    return out
