"""Helpers for the Japanese trust tests: the list compiler (a packaging script) loaded
by path, a test list-signing key made on the spot, and a test JP list over the ``jp``
architecture of the test PKI."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from signing.trust.jp_list import (
    AnchorRole,
    CertUse,
    JpService,
    JpTrustList,
    LegalBasis,
    RevocationAccess,
    load_jp_trust_list,
)
from tests.pki import JP_ARCH, JPKI_AUTH_POLICY, JPKI_SIGN_POLICY, PKI
from tests.self_signed import self_signed_cert

REPO = Path(__file__).resolve().parent.parent

#: the reason shown for a signature chained to the JPKI signature CA
JPKI_AMBER = (
    "chain verified to the JPKI signature CA; revocation status is only available to "
    "registered verifiers"
)


def builder() -> ModuleType:
    """``packaging/build_jp_trust_list.py`` as a module."""
    name = "shomei_build_jp_trust_list"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, REPO / "packaging" / "build_jp_trust_list.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class ListSigner:
    key: Any
    cert_der: bytes

    def write_files(self, folder: Path) -> tuple[Path, Path]:
        """The key (unencrypted PKCS#8 PEM) and the certificate (DER) as files in
        ``folder``, for the list compiler's command line."""
        key_path = folder / "key.pem"
        key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        cert_path = folder / "signer.der"
        cert_path.write_bytes(self.cert_der)
        return key_path, cert_path


def make_list_signer(common_name: str = "Shomei Test JP List Signer") -> ListSigner:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = self_signed_cert(key, common_name)
    return ListSigner(key, cert.public_bytes(serialization.Encoding.DER))


def jp_test_services(pki: PKI) -> list[JpService]:
    """One service per profile of the ``jp`` architecture."""

    def der(label: str) -> bytes:
        return pki.cert_der(label, JP_ARCH)

    def svc(sid: str, certs: list[str], **kw: Any) -> JpService:
        kw.setdefault("role", AnchorRole.ANCHOR)
        kw.setdefault("use", CertUse.SIGNATURE)
        kw.setdefault("revocation", RevocationAccess.PUBLIC)
        return JpService(
            service_id=sid,
            name_en=kw.pop("name_en", sid),
            name_ja=kw.pop("name_ja", sid),
            tsp_name=kw.pop("tsp_name", "Shomei Test TSP"),
            certificates=tuple(der(c) for c in certs),
            **kw,
        )

    return [
        svc(
            "jpki-sign",
            ["jpki-sign-ca-g1", "jpki-sign-ca"],
            name_en="Test JPKI signature CA",
            legal_basis=LegalBasis.JPKI_SIGNATURE,
            revocation=RevocationAccess.REGISTERED_VERIFIERS,
            policy_oid_prefixes=(JPKI_SIGN_POLICY.rsplit(".", 1)[0],),
            key_usage=("nonRepudiation",),
        ),
        svc(
            "jpki-auth",
            ["jpki-auth-ca"],
            name_en="Test JPKI user-authentication CA",
            legal_basis=LegalBasis.JPKI_AUTHENTICATION,
            use=CertUse.AUTHENTICATION_ONLY,
            revocation=RevocationAccess.REGISTERED_VERIFIERS,
            policy_oid_prefixes=(JPKI_AUTH_POLICY.rsplit(".", 1)[0],),
        ),
        svc("gpki-root", ["gpki-root"], name_en="Test GPKI root", legal_basis=LegalBasis.GPKI),
        svc(
            "gpki-official-ca",
            ["gpki-official-ca"],
            name_en="the Test GPKI OfficialStatus CA",
            legal_basis=LegalBasis.GPKI,
            role=AnchorRole.INTERMEDIATE,
            revocation=RevocationAccess.DIRECTORY_NAME_ONLY,
            key_usage=("nonRepudiation",),
        ),
        svc(
            "acc-ca",
            ["acc-ca"],
            name_en="Test accredited CA",
            legal_basis=LegalBasis.ACCREDITED_CA,
            key_usage=("nonRepudiation",),
        ),
        svc("tsa-root", ["tsa-root"], name_en="Test TSA root", legal_basis=LegalBasis.COMMERCIAL),
        svc(
            "tsa-ca",
            ["tsa-ca"],
            name_en="Test accredited TimeStamping CA",
            legal_basis=LegalBasis.ACCREDITED_TSA,
            role=AnchorRole.INTERMEDIATE,
            use=CertUse.TIMESTAMP,
            ext_key_usage=("1.3.6.1.5.5.7.3.8",),
            service_type="http://uri.etsi.org/TrstSvc/Svctype/TSA",
        ),
    ]


def signed_list(services: list[JpService], signer: ListSigner, sequence: int = 1) -> bytes:
    b = builder()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root = b.build_tl_element(
        services, sequence=sequence, issued=now, next_update=now + dt.timedelta(days=30)
    )
    return bytes(b.sign_tl(root, signer.key, signer.cert_der))


def verified_test_list(pki: PKI) -> JpTrustList:
    """The test JP list over the ``jp`` architecture, signed with a fresh key and
    loaded (signature verified) like the app's."""
    signer = make_list_signer()
    return load_jp_trust_list(signed_list(jp_test_services(pki), signer), [signer.cert_der])
