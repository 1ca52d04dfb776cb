"""Certificates and private keys on a PKCS#11 token, paired and chosen.

A key belongs to a certificate when their public keys are the same (RSA
modulus, or the EC point of the public-key object with the key's CKA_ID);
CKA_ID alone is trusted only when the public key cannot be read. The signing
key is chosen by the caller's selector or by purpose (nonRepudiation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import core, x509
from pkcs11 import Attribute, KeyType, ObjectClass

from signing.certs.summary import CertificateSummary, summarise_certificate
from signing.errors import AmbiguousKeyError, KeyCertificateMismatchError, TokenKeyNotFoundError
from signing.keys.pkcs11_tokens import TokenInfo, open_session, token_lock, wrap_pkcs11_error
from signing.secrets import SecretPrompt

__all__ = ["KeyInfo", "list_keys", "scan_keys", "select_key"]


@dataclass(frozen=True)
class KeyInfo:
    """A certificate on a token and, when found, its private key."""

    token: TokenInfo
    certificate: CertificateSummary | None
    cert_der: bytes | None
    cert_label: str | None
    cert_id_hex: str | None
    #: None when no private key matching the certificate was seen (yet)
    key_id_hex: str | None
    key_label: str | None
    key_type: str | None  # "rsa", "ec", ...
    key_bits: int | None
    #: CKA_ALWAYS_AUTHENTICATE: every signature needs its own PIN entry
    always_authenticate: bool = False
    #: the certificate's CKA_ID names a private key whose public key differs
    mismatched_key_id_hex: str | None = None

    @property
    def has_private_key(self) -> bool:
        return self.key_id_hex is not None

    @property
    def non_repudiation(self) -> bool:
        return self.certificate is not None and "non_repudiation" in self.certificate.key_usage

    @property
    def digital_signature(self) -> bool:
        return self.certificate is not None and "digital_signature" in self.certificate.key_usage

    def describe(self) -> str:
        who = self.certificate.subject if self.certificate else (self.key_label or "?")
        fp = self.certificate.sha256_hex[:16] if self.certificate else "-"
        kid = self.key_id_hex or self.cert_id_hex or "-"
        return f"{who} [key-id {kid}, cert {fp}…] on {self.token.describe()}"

    def spec(self) -> str:
        """A ``pkcs11:`` key spec that selects exactly this key."""
        from urllib.parse import quote

        parts = [f"module={quote(str(self.token.module), safe='/')}"]
        parts.append(f"serial={quote(self.token.serial, safe='')}")
        if self.certificate is not None:
            parts.append(f"cert={self.certificate.sha256_hex}")
        elif self.key_id_hex:
            parts.append(f"key-id={self.key_id_hex}")
        return "pkcs11:" + ";".join(parts)


def _attr(obj: Any, attr: Attribute, default: Any = None) -> Any:
    try:
        return obj[attr]
    except (pkcs11.exceptions.PKCS11Error, KeyError, ValueError):
        return default


def _ec_point(raw: bytes) -> bytes:
    """CKA_EC_POINT is a DER OCTET STRING by the standard; some tokens give it bare."""
    try:
        inner = core.OctetString.load(raw).native
        if isinstance(inner, bytes) and inner[:1] == b"\x04":
            return inner
    except ValueError:
        pass
    return raw


def _cert_public_id(cert: x509.Certificate) -> tuple[str, Any] | None:
    pub = cert.public_key
    algo = pub.algorithm
    if algo in ("rsa", "rsassa_pss"):
        return ("rsa", pub["public_key"].parsed["modulus"].native)
    if algo == "ec":
        return ("ec", bytes(pub["public_key"].native))
    return None


@dataclass
class _Key:
    id: bytes
    label: str | None
    key_type: str | None
    public_id: tuple[str, Any] | None
    always_auth: bool
    bits: int | None


def _key_type_name(value: Any) -> str | None:
    if value == KeyType.RSA:
        return "rsa"
    if value == KeyType.EC:
        return "ec"
    if value is None:
        return None
    return str(getattr(value, "name", value)).lower()


def _read_keys(session: Any) -> list[_Key]:
    pub_points: dict[bytes, tuple[str, Any]] = {}
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.PUBLIC_KEY}):
        kid = bytes(_attr(obj, Attribute.ID, b"") or b"")
        point = _attr(obj, Attribute.EC_POINT)
        modulus = _attr(obj, Attribute.MODULUS)
        if point:
            pub_points[kid] = ("ec", _ec_point(bytes(point)))
        elif modulus:
            pub_points[kid] = ("rsa", int.from_bytes(bytes(modulus), "big"))
    keys: list[_Key] = []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}):
        if _attr(obj, Attribute.SIGN, True) is False:
            continue
        kid = bytes(_attr(obj, Attribute.ID, b"") or b"")
        ktype = _key_type_name(_attr(obj, Attribute.KEY_TYPE))
        public_id: tuple[str, Any] | None = None
        bits: int | None = None
        modulus = _attr(obj, Attribute.MODULUS)
        if ktype == "rsa" and modulus:
            n = int.from_bytes(bytes(modulus), "big")
            public_id, bits = ("rsa", n), n.bit_length()
        elif kid in pub_points:
            public_id = pub_points[kid]
        keys.append(
            _Key(
                id=kid,
                label=_attr(obj, Attribute.LABEL),
                key_type=ktype,
                public_id=public_id,
                always_auth=bool(_attr(obj, Attribute.ALWAYS_AUTHENTICATE, False)),
                bits=bits,
            )
        )
    return keys


def scan_keys(session: Any, info: TokenInfo) -> list[KeyInfo]:
    """Certificates on the token, each with its private key when one matches.

    A key matches a certificate by its public key (RSA modulus, or the EC point
    of the public-key object with the key's CKA_ID); when the public key cannot
    be read, by CKA_ID alone. A certificate whose CKA_ID names a key with a
    different public key is reported as mismatched, not paired.
    """
    try:
        keys = _read_keys(session)
        certs = [
            (
                bytes(obj[Attribute.VALUE]),
                _attr(obj, Attribute.LABEL),
                bytes(_attr(obj, Attribute.ID, b"") or b""),
            )
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        ]
    except pkcs11.exceptions.PKCS11Error as exc:
        raise wrap_pkcs11_error(exc, info.describe()) from exc

    out: list[KeyInfo] = []
    paired: set[bytes] = set()
    for der, label, cid in certs:
        try:
            cert = x509.Certificate.load(der)
            summary = summarise_certificate(cert)
            cert_pub = _cert_public_id(cert)
        except (ValueError, TypeError):
            continue  # not an X.509 certificate we can read
        match: _Key | None = None
        mismatched: _Key | None = None
        for key in keys:
            if key.public_id is not None and cert_pub is not None:
                if key.public_id == cert_pub:
                    match = key
                    break
                if cid and key.id == cid:
                    mismatched = key
            elif cid and key.id == cid:
                match = key
                break
        bits = match.bits if match else None
        if match is not None and bits is None and cert_pub is not None:
            bits = cert.public_key.bit_size
        if match is not None:
            paired.add(match.id)
        out.append(
            KeyInfo(
                token=info,
                certificate=summary,
                cert_der=der,
                cert_label=label,
                cert_id_hex=cid.hex() if cid else None,
                key_id_hex=match.id.hex() if match else None,
                key_label=match.label if match else None,
                key_type=match.key_type if match else None,
                key_bits=bits,
                always_authenticate=match.always_auth if match else False,
                mismatched_key_id_hex=mismatched.id.hex() if mismatched and not match else None,
            )
        )
    return out


def list_keys(module: Path, token: TokenInfo, prompt: SecretPrompt | None = None) -> list[KeyInfo]:
    """Certificates and keys on ``token``.

    Without a prompt only public objects are read: many tokens keep private
    keys (and some, like the JPKI card, even the signing certificate) behind
    the PIN, so those keys show ``has_private_key == False``. With a prompt the
    user logs in first, then everything is read.
    """
    with token_lock(token), open_session(module, token, prompt) as session:
        return scan_keys(session, token)


def select_key(
    keys: list[KeyInfo],
    *,
    key_id: bytes | None = None,
    cert_sha256: str | None = None,
    label: str | None = None,
    what: str = "the token",
) -> KeyInfo:
    """Pick the signing key: by the caller's selector, else by purpose.

    Without a selector, certificates with nonRepudiation win (the signing key of
    an eID card, not its authentication key); among several that fit,
    :class:`AmbiguousKeyError` lists them so the user can choose.
    """
    chosen = keys
    selected = key_id is not None or cert_sha256 is not None or label is not None
    if key_id is not None:
        kid = key_id.hex()
        chosen = [
            k for k in chosen if kid in (k.key_id_hex, k.cert_id_hex, k.mismatched_key_id_hex)
        ]
    if cert_sha256 is not None:
        want = cert_sha256.lower().replace(":", "")
        chosen = [k for k in chosen if k.certificate and k.certificate.sha256_hex == want]
    if label is not None:
        chosen = [k for k in chosen if label in (k.key_label, k.cert_label)]
    usable = [k for k in chosen if k.has_private_key and k.certificate is not None]
    if selected and not usable:
        bad = [k for k in chosen if k.mismatched_key_id_hex]
        if bad:
            raise KeyCertificateMismatchError(
                f"The private key {bad[0].mismatched_key_id_hex} on {what} does not belong to "
                f"the certificate of {bad[0].certificate.subject if bad[0].certificate else '?'} "
                "stored with the same ID. The token's objects are inconsistent; "
                "ask the issuer or re-import the certificate.",
                ja=f"{what}の秘密鍵{bad[0].mismatched_key_id_hex}は、同じIDで保存されている"
                "証明書と対になっていません。トークン内のオブジェクトに不整合があります。"
                "発行元に問い合わせるか、証明書を取り込み直してください。",
            )
        raise TokenKeyNotFoundError(
            f"No signing key with a matching certificate fits the selection on {what}. "
            f"Keys found: {_listing(keys)}.",
            ja=f"{what}には、指定に合い証明書と対になる署名鍵がありません。"
            f"見つかった鍵: {_listing(keys)}。",
        )
    if not selected:
        pool = [k for k in usable if k.non_repudiation] or [
            k for k in usable if k.digital_signature
        ]
    else:
        pool = usable
    if not pool:
        raise TokenKeyNotFoundError(
            f"{what} holds no private key with a matching signing certificate. "
            f"Objects found: {_listing(keys)}.",
            ja=f"{what}には署名用証明書と対になる秘密鍵がありません。"
            f"見つかったオブジェクト: {_listing(keys)}。",
        )
    if len(pool) > 1:
        raise AmbiguousKeyError(
            f"Several signing keys fit on {what}; choose one: "
            + "; ".join(f"{k.describe()} (key spec: {k.spec()})" for k in pool),
            candidates=tuple(pool),
            ja=f"{what}には使える署名鍵が複数あります。どれか一つを選んでください："
            + "／".join(f"{k.describe()}（鍵の指定: {k.spec()}）" for k in pool),
        )
    return pool[0]


def _listing(keys: list[KeyInfo]) -> str:
    return "; ".join(k.describe() for k in keys) or "none"
