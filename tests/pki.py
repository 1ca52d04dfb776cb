"""The test PKI: keys generated at session start, certificates issued by
certomancer, and its TSA / OCSP / CRL services served over real HTTP on
127.0.0.1.

Architecture ``shomei``::

    root (RSA) ── interm (RSA) ── signer-rsa / signer-ec   natural person, QC esign + QSCD
                │                ├─ seal-rsa / seal-ec     legal person, QC eseal
                │                ├─ signer-revoked         revoked 2026-06-01
                │                ├─ signer-expired         2023-2024
                │                └─ interm-ocsp            OCSP responder for interm
                ├─ tsa (RSA)                               time-stamping unit
                └─ root CRL, interm CRL

Service URLs (all under ``PKI.base_url``): ``/shomei/tsa/tsa``,
``/shomei/ocsp/interm``, ``/shomei/crls/root/latest.crl``,
``/shomei/crls/interm/latest.crl``.

More architectures may be appended to ``ARCH_BUILDERS`` (one function per
architecture, returning its certomancer config dict and its key specs).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# QcStatements must be known to asn1crypto before certomancer builds certs.
import pyhanko.sign.ades.qualified_asn1  # noqa: F401  (registers the extension)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import load_der_x509_certificate

ARCH = "shomei"
KEY_PASSWORD = "correct horse"

KeySpec = tuple[str, str]  # (label, "rsa2048" | "rsa4096" | "p256" | "p384")


def qc_statements(qc_type: str, qscd: bool = True) -> dict[str, Any]:
    stmts: list[dict[str, Any]] = [{"statement_id": "qc_compliance"}]
    if qscd:
        stmts.append({"statement_id": "qc_sscd"})
    stmts.append({"statement_id": "qc_type", "statement_info": [qc_type]})
    return {"id": "qc_statements", "value": stmts}


def _end_entity(
    subject: str,
    *,
    issuer: str = "interm",
    valid_from: str = "2026-01-01T00:00:00+0000",
    valid_to: str = "2029-01-01T00:00:00+0000",
    extra: list[dict[str, Any]] | None = None,
    revoked_since: str | None = None,
    key_usage: tuple[str, ...] = ("digital_signature", "non_repudiation"),
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "subject": subject,
        "issuer": issuer,
        "validity": {"valid-from": valid_from, "valid-to": valid_to},
        "extensions": [
            {
                "id": "key_usage",
                "critical": True,
                "smart-value": {
                    "schema": "key-usage",
                    "params": list(key_usage),
                },
            },
            *(extra or []),
        ],
    }
    if revoked_since:
        spec["revocation"] = {
            "revoked-since": revoked_since,
            "reason": "key_compromise",
        }
    return spec


def shomei_arch() -> tuple[dict[str, Any], list[KeySpec]]:
    keys: list[KeySpec] = [
        ("root", "rsa2048"),
        ("interm", "rsa2048"),
        ("interm-ocsp", "rsa2048"),
        ("tsa", "rsa2048"),
        ("signer-rsa", "rsa2048"),
        ("signer-ec", "p256"),
        ("seal-rsa", "rsa2048"),
        ("seal-ec", "p256"),
        ("signer-revoked", "rsa2048"),
        ("signer-expired", "rsa2048"),
        ("auth-rsa", "rsa2048"),
    ]
    esign = qc_statements("qct_esign")
    eseal = qc_statements("qct_eseal")
    person = {"country-name": "BE", "organization-name": None}
    org = {
        "country-name": "BE",
        "organization-name": "Shomei Test Company",
        "organization-identifier": "VATBE-0123456789",
    }
    entities = {
        "root": {"common-name": "Shomei Test Root CA"},
        "interm": {"common-name": "Shomei Test Qualified CA"},
        "interm-ocsp": {"common-name": "Shomei Test OCSP Responder"},
        "tsa": {"common-name": "Shomei Test Time Stamping Unit"},
        "signer-rsa": {
            **person,
            "common-name": "Alice Tester",
            "surname": "Tester",
            "given-name": "Alice",
        },
        "signer-ec": {
            **person,
            "common-name": "Aiko Tanaka",
            "surname": "Tanaka",
            "given-name": "Aiko",
        },
        "seal-rsa": {**org, "common-name": "Shomei Test Company Seal"},
        "seal-ec": {**org, "common-name": "Shomei Test Company EC Seal"},
        "signer-revoked": {**person, "common-name": "Robert Revoked"},
        "signer-expired": {**person, "common-name": "Erin Expired"},
        "auth-rsa": {**person, "common-name": "Arne Authentication"},
    }
    for ent in entities.values():
        for k in [k for k, v in ent.items() if v is None]:
            del ent[k]
    arch = {
        "keyset": ARCH,
        "entity-defaults": {
            "country-name": "BE",
            "organization-name": "Shomei Test Trust Services",
        },
        "entities": entities,
        "certs": {
            "root": {
                "subject": "root",
                "issuer": "root",
                "validity": {
                    "valid-from": "2025-01-01T00:00:00+0000",
                    "valid-to": "2035-01-01T00:00:00+0000",
                },
                "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}],
            },
            "interm": {
                "subject": "interm",
                "issuer": "root",
                "validity": {
                    "valid-from": "2025-01-01T00:00:00+0000",
                    "valid-to": "2032-01-01T00:00:00+0000",
                },
                "profiles": [
                    {
                        "id": "simple-ca",
                        "params": {
                            "max-path-len": 0,
                            "crl-repo": "interm",
                            "ocsp-service": "interm",
                        },
                    }
                ],
            },
            "interm-ocsp": {
                "subject": "interm-ocsp",
                "issuer": "interm",
                "validity": {
                    "valid-from": "2025-01-01T00:00:00+0000",
                    "valid-to": "2032-01-01T00:00:00+0000",
                },
                "profiles": ["ocsp-responder"],
            },
            "tsa": {
                "subject": "tsa",
                "issuer": "root",
                "validity": {
                    "valid-from": "2025-01-01T00:00:00+0000",
                    "valid-to": "2032-01-01T00:00:00+0000",
                },
                "extensions": [
                    {
                        "id": "key_usage",
                        "critical": True,
                        "smart-value": {
                            "schema": "key-usage",
                            "params": ["digital_signature"],
                        },
                    },
                    {
                        "id": "extended_key_usage",
                        "critical": True,
                        "value": ["time_stamping"],
                    },
                ],
            },
            "signer-rsa": _end_entity("signer-rsa", extra=[esign]),
            "signer-ec": _end_entity("signer-ec", extra=[esign]),
            "seal-rsa": _end_entity("seal-rsa", extra=[eseal]),
            "seal-ec": _end_entity("seal-ec", extra=[eseal]),
            "signer-revoked": _end_entity(
                "signer-revoked",
                extra=[esign],
                revoked_since="2026-06-01T00:00:00+0000",
            ),
            "signer-expired": _end_entity(
                "signer-expired",
                valid_from="2023-01-01T00:00:00+0000",
                valid_to="2024-01-01T00:00:00+0000",
                extra=[esign],
            ),
            # an ID card's authentication certificate: digitalSignature only
            # (its QC statements claim e-signatures, which must not help it)
            "auth-rsa": _end_entity("auth-rsa", extra=[esign], key_usage=("digital_signature",)),
        },
        "services": {
            "ocsp": {
                "interm": {
                    "for-issuer": "interm",
                    "responder-cert": "interm-ocsp",
                    "signing-key": "interm-ocsp",
                }
            },
            "crl-repo": {
                "root": {
                    "for-issuer": "root",
                    "signing-key": "root",
                    "simulated-update-schedule": "P90D",
                },
                "interm": {
                    "for-issuer": "interm",
                    "signing-key": "interm",
                    "simulated-update-schedule": "P30D",
                },
            },
            "time-stamping": {
                "tsa": {"signing-key": "tsa", "signing-cert": "tsa"},
            },
            "cert-repo": {
                "root": {"for-issuer": "root", "publish-issued-certs": True},
                "interm": {"for-issuer": "interm", "publish-issued-certs": True},
            },
        },
    }
    return arch, keys


# --- Japanese profiles (issue 5) --------------------------------------------

JP_ARCH = "jp"

#: J-LIS subjectAltName otherName attributes (公的個人認証 基本4情報)
JPKI_SAN_NAME = "1.2.392.200149.8.5.5.1"
JPKI_SAN_GENDER = "1.2.392.200149.8.5.5.3"
JPKI_SAN_BIRTH = "1.2.392.200149.8.5.5.4"
JPKI_SAN_ADDRESS = "1.2.392.200149.8.5.5.5"
JPKI_SIGN_POLICY = "1.2.392.200149.8.5.1.1.20"
JPKI_AUTH_POLICY = "1.2.392.200149.8.5.1.3.30"


def _jp_key_usage(*usages: str) -> dict[str, Any]:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(usages)},
    }


def _jp_policy(oid: str) -> dict[str, Any]:
    return {"id": "certificate_policies", "value": [{"policy_identifier": oid}]}


def jp_arch() -> tuple[dict[str, Any], list[KeySpec]]:
    """Architecture ``jp``: one certificate per Japanese profile.

    ::

        jpki-sign-ca ── jpki-signer       J-LIS SAN attributes, nonRepudiation, JPKI sign policy,
                                          CRL DP by directory name only (no URL)
        jpki-sign-ca-g1 ── jpki-signer-g1 older CA generation, SAME subject name, other key
        jpki-auth-ca ── jpki-auth-user    user-authentication certificate (digitalSignature only)
        gpki-root ── gpki-official-ca ── gpki-official   官職 cert, CRL DP directory name only
        acc-ca ── acc-signer              accredited certification business, public CRL ``acc-ca``
        tsa-root ── tsa-ca ── jp-tsa      accredited-TSA-like TSU, service ``/jp/tsa/jp-tsa``,
                                          public CRLs ``tsa-root``, ``tsa-ca``
    """
    from asn1crypto import core
    from asn1crypto import x509 as asn1_x509

    keys: list[KeySpec] = [
        ("jpki-sign-ca", "rsa2048"),
        ("jpki-sign-ca-g1", "rsa2048"),
        ("jpki-auth-ca", "rsa2048"),
        ("jpki-signer", "rsa2048"),
        ("jpki-auth-user", "rsa2048"),
        ("gpki-root", "p256"),
        ("gpki-official-ca", "p256"),
        ("gpki-official", "p256"),
        ("acc-ca", "p256"),
        ("acc-signer", "p256"),
        ("tsa-root", "p256"),
        ("tsa-ca", "p256"),
        ("jp-tsa", "p256"),
    ]
    jlis = "Japan Agency for Local Authority Information Systems (Shomei test)"
    entities = {
        "jpki-sign-ca": {
            "organization-name": "JPKI",
            "organizational-unit-name": "JPKI for digital signature (Shomei test)",
        },
        "jpki-auth-ca": {
            "organization-name": "JPKI",
            "organizational-unit-name": "JPKI for user authentication (Shomei test)",
        },
        # JPKI subjects carry an opaque serial as CN; the person is in the SAN
        "jpki-signer": {"common-name": "201911JPKI0000000001TEST"},
        "jpki-auth-user": {"common-name": "201911JPKI0000000002TEST"},
        "gpki-root": {
            "organization-name": "Japanese Government (Shomei test)",
            "common-name": "Shomei Test Government Root CA",
        },
        "gpki-official-ca": {
            "organization-name": "Japanese Government (Shomei test)",
            "common-name": "Shomei Test OfficialStatus Sub CA",
        },
        "gpki-official": {
            "organization-name": "Japanese Government (Shomei test)",
            "organizational-unit-name": "Ministry of Testing",
            "common-name": "Hanako Kanri",
        },
        "acc-ca": {
            "organization-name": "Shomei Test Accredited CA KK",
            "common-name": "Shomei Test Accredited Certification Business CA",
        },
        "acc-signer": {"organization-name": "Yamada Shoji KK", "common-name": "Taro Yamada"},
        "tsa-root": {
            "organization-name": "Shomei Test TSA KK",
            "common-name": "Shomei Test TSA Root",
        },
        "tsa-ca": {
            "organization-name": "Shomei Test TSA KK",
            "common-name": "Shomei Test TimeStamping CA",
        },
        "jp-tsa": {
            "organization-name": "Shomei Test TSA KK",
            "common-name": "Shomei Test Accredited Time Stamping Unit",
        },
    }

    def other_name(oid: str, text: str) -> Any:
        return asn1_x509.GeneralName(
            name="other_name",
            value=asn1_x509.AnotherName(
                {"type_id": oid, "value": core.UTF8String(text, explicit=0)}
            ),
        )

    jpki_san = {
        "id": "subject_alt_name",
        "value": asn1_x509.GeneralNames(
            [
                other_name(JPKI_SAN_NAME, "山田 花子"),
                other_name(JPKI_SAN_BIRTH, "419900102"),
                other_name(JPKI_SAN_GENDER, "2"),
                other_name(JPKI_SAN_ADDRESS, "東京都千代田区霞が関二丁目1番2号"),
            ]
        ),
    }

    def dirname_crl_dp(*rdn: tuple[str, str]) -> dict[str, Any]:
        name = asn1_x509.GeneralName(name="directory_name", value=asn1_x509.Name.build(dict(rdn)))
        point = asn1_x509.DistributionPointName(name="full_name", value=[name])
        return {
            "id": "crl_distribution_points",
            "value": asn1_x509.CRLDistributionPoints([{"distribution_point": point}]),
        }

    def root(label: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "subject": label,
            "issuer": label,
            "validity": {
                "valid-from": "2025-01-01T00:00:00+0000",
                "valid-to": "2035-01-01T00:00:00+0000",
            },
            "profiles": [{"id": "simple-ca", "params": params or {}}],
        }

    def issued(label: str, issuer: str, extensions: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "subject": label,
            "issuer": issuer,
            "validity": {
                "valid-from": "2026-01-01T00:00:00+0000",
                "valid-to": "2029-01-01T00:00:00+0000",
            },
            "extensions": extensions,
        }

    certs = {
        "jpki-sign-ca": {**root("jpki-sign-ca"), "issuer-cert": "jpki-sign-ca"},
        # an older generation with the same subject name and another key
        "jpki-sign-ca-g1": {
            **root("jpki-sign-ca"),
            "subject-key": "jpki-sign-ca-g1",
            "authority-key": "jpki-sign-ca-g1",
            "issuer-cert": "jpki-sign-ca-g1",
            "validity": {
                "valid-from": "2015-01-01T00:00:00+0000",
                "valid-to": "2025-10-19T00:00:00+0000",
            },
        },
        "jpki-signer-g1": {
            **issued(
                "jpki-signer",
                "jpki-sign-ca",
                [
                    _jp_key_usage("digital_signature", "non_repudiation"),
                    _jp_policy(JPKI_SIGN_POLICY),
                    jpki_san,
                ],
            ),
            "authority-key": "jpki-sign-ca-g1",
            "issuer-cert": "jpki-sign-ca-g1",
            "validity": {
                "valid-from": "2020-01-01T00:00:00+0000",
                "valid-to": "2024-01-01T00:00:00+0000",
            },
        },
        "jpki-auth-ca": root("jpki-auth-ca"),
        "jpki-signer": {
            **issued(
                "jpki-signer",
                "jpki-sign-ca",
                [
                    _jp_key_usage("digital_signature", "non_repudiation"),
                    _jp_policy(JPKI_SIGN_POLICY),
                    jpki_san,
                    dirname_crl_dp(
                        ("country_name", "JP"),
                        ("organization_name", "JPKI"),
                        ("organizational_unit_name", "CRL Distribution Points (Shomei test)"),
                    ),
                ],
            ),
            "issuer-cert": "jpki-sign-ca",
        },
        "jpki-auth-user": issued(
            "jpki-auth-user",
            "jpki-auth-ca",
            [_jp_key_usage("digital_signature"), _jp_policy(JPKI_AUTH_POLICY)],
        ),
        "gpki-root": root("gpki-root"),
        "gpki-official-ca": {
            **root("gpki-official-ca"),
            "issuer": "gpki-root",
        },
        "gpki-official": issued(
            "gpki-official",
            "gpki-official-ca",
            [
                _jp_key_usage("digital_signature", "non_repudiation"),
                dirname_crl_dp(
                    ("country_name", "JP"),
                    ("organization_name", "Japanese Government (Shomei test)"),
                    ("common_name", "OfficialStatus CRL"),
                ),
            ],
        ),
        "acc-ca": root("acc-ca", {"crl-repo": "acc-ca"}),
        "acc-signer": issued(
            "acc-signer", "acc-ca", [_jp_key_usage("digital_signature", "non_repudiation")]
        ),
        "tsa-root": root("tsa-root", {"crl-repo": "tsa-root"}),
        "tsa-ca": {**root("tsa-ca", {"crl-repo": "tsa-ca"}), "issuer": "tsa-root"},
        "jp-tsa": issued(
            "jp-tsa",
            "tsa-ca",
            [
                _jp_key_usage("digital_signature"),
                {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
            ],
        ),
    }
    arch = {
        "keyset": JP_ARCH,
        "entity-defaults": {"country-name": "JP", "organization-name": jlis},
        "entities": entities,
        "certs": certs,
        "services": {
            "crl-repo": {
                label: {
                    "for-issuer": label,
                    "signing-key": label,
                    "simulated-update-schedule": "P30D",
                }
                for label in ("acc-ca", "tsa-root", "tsa-ca")
            },
            "time-stamping": {"jp-tsa": {"signing-key": "jp-tsa", "signing-cert": "jp-tsa"}},
        },
    }
    return arch, keys


ARCH_BUILDERS: dict[str, Callable[[], tuple[dict[str, Any], list[KeySpec]]]] = {
    ARCH: shomei_arch,
    JP_ARCH: jp_arch,
}


def _generate_key(kind: str) -> Any:
    if kind == "rsa2048":
        return rsa.generate_private_key(65537, 2048)
    if kind == "rsa4096":
        return rsa.generate_private_key(65537, 4096)
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    raise ValueError(kind)


class _Dispatch:
    """WSGI app whose target is set once the port (and so the URLs) is known."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


@dataclass
class PKI:
    """A running test PKI. ``base_url`` is ``http://127.0.0.1:PORT``."""

    base_url: str
    workdir: Path
    config: Any  # certomancer CertomancerConfig
    _keys: dict[tuple[str, str], Any] = field(default_factory=dict)
    _server: Any = None

    # --- URLs -----------------------------------------------------------
    def tsa_url(self, label: str = "tsa", arch: str = ARCH) -> str:
        return f"{self.base_url}/{arch}/tsa/{label}"

    def ocsp_url(self, label: str = "interm", arch: str = ARCH) -> str:
        return f"{self.base_url}/{arch}/ocsp/{label}"

    def crl_url(self, label: str, arch: str = ARCH) -> str:
        return f"{self.base_url}/{arch}/crls/{label}/latest.crl"

    # --- material -------------------------------------------------------
    def arch(self, arch: str = ARCH) -> Any:
        return self.config.get_pki_arch(arch)

    def cert_der(self, label: str, arch: str = ARCH) -> bytes:
        return bytes(self.arch(arch).get_cert(label).dump())

    def cert_pem_path(self, label: str, arch: str = ARCH) -> Path:
        """A PEM file with the certificate (e.g. for ``--trust``)."""
        path = self.workdir / "certs" / arch / f"{label}.pem"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            cert = load_der_x509_certificate(self.cert_der(label, arch))
            path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    def private_key(self, label: str, arch: str = ARCH) -> Any:
        return self._keys[(arch, label)]

    def p12_path(
        self,
        label: str,
        password: str | None = KEY_PASSWORD,
        arch: str = ARCH,
        with_chain: bool = True,
    ) -> Path:
        """A PKCS#12 file with the key, its certificate and (by default)
        the chain up to the root."""
        suffix = "nopass" if password is None else "pass"
        path = self.workdir / "p12" / arch / f"{label}-{suffix}.p12"
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        pki_arch = self.arch(arch)
        cert = load_der_x509_certificate(self.cert_der(label, arch))
        chain = []
        if with_chain:
            # Entity labels double as certificate labels in these configs.
            issuer = str(pki_arch.get_cert_spec(label).issuer)
            seen = {label}
            while issuer not in seen:
                seen.add(issuer)
                chain.append(load_der_x509_certificate(self.cert_der(issuer, arch)))
                issuer = str(pki_arch.get_cert_spec(issuer).issuer)
        enc = (
            serialization.NoEncryption()
            if password is None
            else serialization.BestAvailableEncryption(password.encode())
        )
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                label.encode(), self.private_key(label, arch), cert, chain or None, enc
            )
        )
        return path

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def start_pki(workdir: Path) -> PKI:
    """Generate keys, build certificates and serve TSA/OCSP/CRL on loopback."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from werkzeug.serving import make_server

    dispatch = _Dispatch()
    server = make_server("127.0.0.1", 0, dispatch, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"

    keydir = workdir / "keys"
    keydir.mkdir(parents=True, exist_ok=True)
    archs: dict[str, Any] = {}
    keysets: dict[str, Any] = {}
    generated: dict[tuple[str, str], Any] = {}
    for arch_name, builder in ARCH_BUILDERS.items():
        arch_cfg, key_specs = builder()
        archs[arch_name] = arch_cfg
        key_entries = {}
        (keydir / arch_name).mkdir(exist_ok=True)
        for label, kind in key_specs:
            key = _generate_key(kind)
            generated[(arch_name, label)] = key
            path = keydir / arch_name / f"{label}.key.pem"
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            key_entries[label] = {"path": f"{arch_name}/{label}.key.pem"}
        keysets[arch_cfg.get("keyset", arch_name)] = {"keys": key_entries}

    config = CertomancerConfig(
        {
            "external-url-prefix": base_url,
            "keysets": keysets,
            "pki-architectures": archs,
        },
        key_search_dir=str(keydir),
    )

    class WholeSecondAnimator(Animator):  # type: ignore[misc]
        # NSS (poppler's pdfsig) cannot parse GeneralizedTime with fractional
        # seconds in OCSP responses and then reports the signer's certificate
        # as "Unknown issue"; real responders answer in whole seconds.
        def at_time(self, request: Any) -> Any:
            return super().at_time(request).replace(microsecond=0)

    dispatch.app = WholeSecondAnimator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    pki = PKI(base_url=base_url, workdir=workdir, config=config, _keys=generated)
    pki._server = server
    return pki
