"""PKCS#12 (.p12 / .pfx) key files.

The password is asked through a :class:`~signing.secrets.SecretPrompt`, used
once to decrypt the file and dropped. The decrypted key stays in memory, as a
parsed ``cryptography`` key object, only while the context returned by
:meth:`Pkcs12KeySource.open` is active: pyHanko's own ``SimpleSigner``
re-parses the DER key for every signature (twice), which dominated the cost of
small signatures, so :class:`LoadedKeySigner` keeps the parsed object instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from asn1crypto import tsp, x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.attributes import (
    CMSAttributeProvider,
    SignedAttributeProviderSpec,
    SigningCertificateV2Provider,
)
from pyhanko.sign.general import as_signing_certificate_v2

from signing import thirdparty_internals as internals
from signing.errors import KeyFileError, NoSecretError, SigningError, WrongPasswordError
from signing.secrets import SecretKind, SecretPrompt, SecretRequest

#: give up after this many refused passwords even if the prompt keeps answering
MAX_PASSWORD_TRIES = 5

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha224": hashes.SHA224,
    "sha1": hashes.SHA1,
    "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384,
    "sha3_512": hashes.SHA3_512,
}


def _hash(name: str) -> hashes.HashAlgorithm:
    try:
        return _HASHES[name]()
    except KeyError:
        raise SigningError(
            f"Unsupported digest algorithm {name}.",
            ja=f"ダイジェストアルゴリズム{name}には対応していません。",
        ) from None


class LoadedKeySigner(internals.SignerWithAttributeHook):  # type: ignore[misc]
    """A pyHanko signer over an already parsed private key."""

    def __init__(
        self,
        private_key: Any,
        signing_cert: x509.Certificate,
        other_certs: list[x509.Certificate],
    ) -> None:
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        store = SimpleCertificateStore()  # type: ignore[no-untyped-call]
        store.register_multiple(other_certs)
        super().__init__(signing_cert=signing_cert, cert_registry=store, embed_roots=True)
        self._key = private_key
        self.other_certs = tuple(other_certs)
        # Parsed from its own encoding, so that dumping it again is free.
        scv2 = tsp.SigningCertificateV2.load(as_signing_certificate_v2(signing_cert).dump())
        self._scv2 = _FixedAttribute("signing_certificate_v2", scv2)

    def signed_attributes_hook(self, spec: Any) -> Any:
        # wrap pyHanko's choice of attributes rather than re-implementing it
        return _CachedCertificateAttributes(spec, self._scv2)

    def estimated_signature_size(self) -> int:
        """Upper bound of the raw signature value's length in bytes."""
        key = self._key
        if isinstance(key, rsa.RSAPrivateKey):
            return key.key_size // 8
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return 2 * ((key.curve.key_size + 7) // 8) + 9
        return 256

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mech = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algo = mech.signature_algo
        except ValueError:
            algo = mech["algorithm"].native
        key = self._key
        if algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), _hash(digest_algorithm))
        if algo == "rsassa_pss" and isinstance(key, rsa.RSAPrivateKey):
            from pyhanko_certvalidator.util import process_pss_params

            pss, hash_algo = process_pss_params(mech["parameters"])
            return key.sign(data, pss, hash_algo)
        if algo == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(_hash(digest_algorithm)))
        if algo == "ed25519" and isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        if algo == "ed448" and isinstance(key, ed448.Ed448PrivateKey):
            return key.sign(data)
        raise SigningError(
            f"The key in this file cannot make {algo} signatures.",
            ja=f"このファイルの鍵では{algo}の署名を作れません。",
        )


class _FixedAttribute(CMSAttributeProvider):  # type: ignore[misc]
    """A signed attribute whose value never changes for one certificate."""

    def __init__(self, attribute_type: str, value: Any) -> None:
        self.attribute_type = attribute_type
        self._value = value

    async def build_attr_value(self, dry_run: bool = False) -> Any:
        return self._value


class _CachedCertificateAttributes(SignedAttributeProviderSpec):  # type: ignore[misc]
    """pyHanko's signed attributes, with signing-certificate-v2 built once:
    asn1crypto takes several milliseconds to assemble it for every signature."""

    def __init__(self, inner: Any, fixed: _FixedAttribute) -> None:
        self._inner = inner
        self._fixed = fixed

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Iterator[Any]:
        for provider in self._inner.signed_attr_providers(data_digest, digest_algorithm):
            if isinstance(provider, SigningCertificateV2Provider):
                yield self._fixed
            else:
                yield provider


def _decrypt(data: bytes, password: bytes | None) -> Any:
    return pkcs12.load_key_and_certificates(data, password)


class Pkcs12KeySource:
    """A :class:`~signing.keys.base.KeySource` over a PKCS#12 file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def describe(self) -> str:
        return f"PKCS#12 file {self.path.name}"

    def _read(self) -> bytes:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise KeyFileError(
                f"The key file {self.path} does not exist.",
                ja=f"鍵ファイル{self.path}が見つかりません。",
            ) from None
        except OSError as exc:
            raise KeyFileError(
                f"The key file {self.path} cannot be read: {exc.strerror}.",
                ja=f"鍵ファイル{self.path}を読み取れません：{exc.strerror}。",
            ) from None
        # Check the outer structure first, so that a damaged or foreign file is
        # not reported as a wrong password.
        from asn1crypto import pkcs12 as asn1_pkcs12

        try:
            pfx = asn1_pkcs12.Pfx.load(data)
            pfx["auth_safe"]["content_type"].native  # noqa: B018 (forces parsing)
            if pfx["version"].native != "v3":
                raise ValueError("not a PKCS#12 v3 file")
        except (ValueError, TypeError, KeyError):
            raise KeyFileError(
                f"{self.path.name} is not a PKCS#12 (.p12/.pfx) key file.",
                ja=f"{self.path.name}はPKCS#12（.p12/.pfx）の鍵ファイルではありません。",
            ) from None
        return data

    def load(self, prompt: SecretPrompt) -> LoadedKeySigner:
        """Decrypt the file (asking for its password) and return a signer."""
        from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1

        data = self._read()
        loaded: Any = None
        try:
            # Files without a password open without asking.
            loaded = _decrypt(data, None)
        except ValueError:
            loaded = None
        tries = 0
        while loaded is None:
            try:
                secret = prompt.ask(
                    SecretRequest(
                        kind=SecretKind.KEY_PASSWORD, target=self.path.name, retry=tries > 0
                    )
                )
            except NoSecretError:
                # a scripted answer that was refused: the password is the problem
                if tries:
                    raise WrongPasswordError(
                        f"The password for {self.path.name} is wrong.",
                        ja=f"{self.path.name}のパスワードが違います。",
                    ) from None
                raise
            # (a person who presses Cancel at the re-prompt has cancelled:
            # UserCancelled goes up as it is, not as a wrong password)
            tries += 1
            try:
                loaded = _decrypt(data, secret.encode("utf-8"))
            except ValueError:
                loaded = None
                if tries >= MAX_PASSWORD_TRIES:
                    raise WrongPasswordError(
                        f"The password for {self.path.name} is wrong ({tries} attempts refused).",
                        ja=f"{self.path.name}のパスワードが違います（{tries}回拒否されました）。",
                    ) from None
            finally:
                del secret
        key, cert, extra = loaded
        if key is None or cert is None:
            raise KeyFileError(
                f"{self.path.name} holds no private key with its certificate.",
                ja=f"{self.path.name}には証明書と対になる秘密鍵が含まれていません。",
            )
        asn_cert = translate_pyca_cryptography_cert_to_asn1(cert)
        others = [translate_pyca_cryptography_cert_to_asn1(c) for c in extra or ()]
        return LoadedKeySigner(key, asn_cert, others)

    @contextmanager
    def open(self, prompt: SecretPrompt) -> Iterator[LoadedKeySigner]:
        signer = self.load(prompt)
        try:
            yield signer
        finally:
            # Drop our reference so the key does not outlive the batch.
            signer._key = None
