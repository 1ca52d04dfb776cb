"""What a validation run shares: trust material parsed once per process
(:func:`prepared`), and the per-file context the processes read."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.fetchers.api import FetcherBackend, Fetchers
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    NO_REVOCATION,
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    FreshnessReqType,
)

from signing.net.revocation_fetch import BoundedFetcherBackend, RevocationFetchBounds
from signing.trust.anchors import AnchorOrigin
from signing.trust.environment import TrustEnvironment, environment_for
from signing.validation.algorithms import ChainAlgorithmPolicy
from signing.validation.change_facts import FileChanges
from signing.validation.diff_reuse import RevisionDiffs
from signing.validation.embedded import EmbeddedData
from signing.validation.hostile import Problem, describe
from signing.validation.lazy_anchors import CertPool, LazyCert, read_anchors
from signing.validation.options import RevocationPolicy, ValidationOptions
from signing.validation.tolerant_certs import tolerant
from signing.validation.trust_manager import AnchorTrustManager

TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"
#: the tag of anchors from an EU trusted list (see signing.trust.anchors)
EU_TAG = AnchorOrigin.EU_TRUSTED_LIST.value + ":"


@dataclass(frozen=True)
class Prepared:
    #: the SHA-256 of every anchor's DER
    anchor_digests: frozenset[bytes]
    anchor_tags: dict[bytes, str]
    #: whose OCSP answers are trusted as they stand (RFC 6960, 4.2.2.2): the
    #: anchors and the EU lists' revocation services
    responder_certs: CertPool
    extra_certs: tuple[x509.Certificate, ...]
    cert_policy: CertValidationPolicySpec
    revinfo_spec: RevocationInfoGatheringSpec
    key_usage: KeyUsageConstraints
    problems: tuple[str, ...]
    #: the trust layers of ``options.trust`` (None: none asked for)
    trust_env: TrustEnvironment | None = None


_PREPARED: dict[ValidationOptions, Prepared] = {}


def _sha256(cert: x509.Certificate | LazyCert) -> bytes:
    return cert.keys.sha256 if isinstance(cert, LazyCert) else bytes(cert.sha256)


def _anchor_memo(options: ValidationOptions) -> Path:
    """Where the keys of the anchors met before are kept (see
    :func:`signing.validation.lazy_anchors.read_anchors`): beside the EU lists."""
    from signing.trust.eu_config import default_cache_dir

    trust = options.trust
    folder = trust.eu_cache_dir if trust is not None else None
    return (folder or default_cache_dir()) / "anchor-keys.bin"


def prepared(options: ValidationOptions) -> Prepared:
    """Trust anchors and policies for ``options``, cached per process."""
    env = environment_for(options.trust) if options.trust is not None else None
    hit = _PREPARED.get(options)
    if hit is not None and hit.trust_env is env:
        return hit
    # anchors and responders stay unparsed until a lookup lands on them (see
    # signing.validation.lazy_anchors): only those that are not plain DER are
    # parsed here
    roots: list[x509.Certificate | LazyCert] = []
    tags: dict[bytes, str] = {}
    problems: list[str] = list(env.problems) if env is not None else []
    anchors = (*options.trust_anchors, *(env.anchors if env is not None else ()))
    env_responders = env.responders if env is not None else ()
    all_keys = read_anchors(
        [a.cert_der for a in (*anchors, *env_responders)],
        _anchor_memo(options) if env is not None else None,
    )
    for anchor, keys in zip(anchors, all_keys, strict=False):
        if keys is not None:
            roots.append(LazyCert(anchor.cert_der, keys))
            tags.setdefault(keys.sha256, anchor.tag)
            continue
        try:
            cert = tolerant(x509.Certificate.load(anchor.cert_der))
            # (a malformed name is skipped by the trust manager when compared)
            cert.public_key.dump()
            roots.append(cert)
            tags.setdefault(cert.sha256, anchor.tag)
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"trust anchor {anchor.tag}: {describe(exc)}")
    for path in options.user_trust_files:
        try:
            for cert in load_certs_from_pemder([str(path)]):  # type: ignore[no-untyped-call]
                roots.append(tolerant(cert))
                tags.setdefault(cert.sha256, f"user:{path.name}")
        except (OSError, ValueError) as exc:
            problems.append(f"trust file {path}: {describe(exc)}")
    responders: list[x509.Certificate | LazyCert] = list(roots)
    for anchor, keys in zip(env_responders, all_keys[len(anchors) :], strict=True):
        if keys is not None:
            responders.append(LazyCert(anchor.cert_der, keys))
            continue
        try:
            cert = tolerant(x509.Certificate.load(anchor.cert_der))
            cert.public_key.dump()
            responders.append(cert)
        except (ValueError, TypeError, KeyError) as exc:
            problems.append(f"revocation service {anchor.tag}: {describe(exc)}")
    # the anchors that go into each context's registry (not the EU lists'),
    # parsed now: a few
    registered: list[x509.Certificate] = []
    for root in roots:
        if tags.get(_sha256(root), "").startswith(EU_TAG):
            continue
        cert = root.cert if isinstance(root, LazyCert) else root
        if cert is not None:
            registered.append(cert)
    extra: list[x509.Certificate] = []
    for der in (*options.extra_certs, *(env.intermediates if env is not None else ())):
        try:
            extra.append(tolerant(x509.Certificate.load(der)))
        except ValueError as exc:
            problems.append(f"extra certificate: {describe(exc)}")
    if options.revocation_policy is RevocationPolicy.SKIP:
        rev = CertRevTrustPolicy(NO_REVOCATION)
    else:
        rev = CertRevTrustPolicy(
            REQUIRE_REVINFO,
            freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
        )
    cert_policy = CertValidationPolicySpec(
        # EU list anchors stay out of each context's certificate registry
        trust_manager=AnchorTrustManager.over(roots, registered),
        revinfo_policy=rev,
        algorithm_usage_policy=ChainAlgorithmPolicy(),
    )
    if options.offline:
        revinfo_spec = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
            # (pyHanko sets a LOCAL_ONLY policy's backend aside; with none it
            # would make, and import, its aiohttp one only to close it)
            fetcher_backend=OfflineFetcherBackend(),
            certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
        )
    else:
        revinfo_spec = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.ALWAYS_FETCH,
            fetcher_backend=BoundedFetcherBackend(RevocationFetchBounds(timeout=options.timeout_s)),
            certificate_fetching_rule=(
                CertificateFetchingRule.FOLLOW_ONLINE_RULE
                if options.fetch_certificates
                else CertificateFetchingRule.NEVER_FETCH
            ),
        )
    prep = Prepared(
        anchor_digests=frozenset(_sha256(r) for r in roots),
        anchor_tags=tags,
        responder_certs=CertPool(responders),
        extra_certs=tuple(extra),
        cert_policy=cert_policy,
        revinfo_spec=revinfo_spec,
        key_usage=KeyUsageConstraints(),
        problems=tuple(problems),
        trust_env=env,
    )
    if len(_PREPARED) > 8:
        _PREPARED.clear()
    _PREPARED[options] = prep
    return prep


@dataclass
class Entry:
    name: str
    sig_obj: Any
    field: Any
    is_timestamp: bool
    subfilter: str | None
    problem: Problem | None = None
    problem_code: str = "signature-structure"
    emb: EmbeddedPdfSignature | None = None
    revision: int = 1 << 30
    #: the validated path of the signer (DER, without the signer), and the
    #: signature timestamp's TSA certificate and path: for the trust layers
    path_ders: tuple[bytes, ...] = ()
    tsa_ders: tuple[bytes, ...] = ()


def is_archive_timestamp(entry: Entry) -> bool:
    """A document timestamp that can serve as an archive timestamp: its
    dictionary says /DocTimeStamp, or has no /Type at all (as EU DSS counts
    it). An RFC 3161 token in a /Type /Sig dictionary is validated as a
    timestamp, nothing more (DSS gives such files B-LT, not B-LTA)."""
    if not entry.is_timestamp or entry.emb is None:
        return False
    try:
        kind = entry.emb.sig_object.get("/Type")
    except Exception:  # an unreadable dictionary: no archive timestamp
        return False
    return kind is None or kind == "/DocTimeStamp"


def path_ders(status: Any, leaf: bytes | None = None) -> tuple[bytes, ...]:
    """The DER certificates of a pyHanko status's validation path, from the
    anchor down, without ``leaf``."""
    path = getattr(status, "validation_path", None) if status is not None else None
    if path is None:
        return ()
    try:
        ders = (bytes(c.dump()) for c in path.iter_certs(include_root=True))
        return tuple(d for d in ders if d != leaf)
    except Exception:
        return ()


@dataclass
class FileContext:
    path: str
    reader: PdfFileReader
    stream: IO[bytes]
    size: int
    options: ValidationOptions
    prep: Prepared
    timing: ValidationTimingInfo
    dss: EmbeddedData
    dss_revision: int | None = None
    #: ETSI report of each signature, by field name (in validation order)
    xml_reports: dict[str, str] = dataclasses.field(default_factory=dict)
    #: ETSI validation objects of each document timestamp (see
    #: :func:`signing.validation.etsi_timestamps.timestamp_objects`)
    xml_objects: list[str] = dataclasses.field(default_factory=list)
    #: the fetchers pyHanko used for this file: what they fetched tells
    #: where each certificate's revocation status came from
    fetched: list[Fetchers] = dataclasses.field(default_factory=list)
    #: the difference analysis, once per signed revision of this file
    diffs: RevisionDiffs = dataclasses.field(default_factory=RevisionDiffs)
    #: the named changes after each signed revision (made on first use)
    changes: FileChanges | None = None

    def revinfo_spec(self) -> RevocationInfoGatheringSpec:
        """The gathering policy, with fetchers that are recorded for this file."""
        spec = self.prep.revinfo_spec
        if spec.fetcher_backend is None:
            return spec
        return dataclasses.replace(
            spec, fetcher_backend=RecordingFetcherBackend(spec.fetcher_backend, self.fetched)
        )


class RecordingFetcherBackend(FetcherBackend):
    """Hands out the wrapped backend's fetchers and keeps a reference to them."""

    def __init__(self, inner: FetcherBackend, record: list[Fetchers]) -> None:
        self._inner = inner
        self._record = record

    def get_fetchers(self) -> Fetchers:
        fetchers = self._inner.get_fetchers()
        self._record.append(fetchers)
        return fetchers

    async def close(self) -> None:
        await self._inner.close()  # type: ignore[no-untyped-call]


class OfflineFetcherBackend(FetcherBackend):
    """The backend of an offline validation: pyHanko never asks a
    ``LOCAL_ONLY`` policy's backend for fetchers; if it ever did, this says
    so instead of going online."""

    def get_fetchers(self) -> Fetchers:
        raise RuntimeError("an offline validation asked for network fetchers")

    async def close(self) -> None:
        return None
