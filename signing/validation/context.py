"""What a validation run shares: trust material parsed once per process
(:func:`prepared`), and the per-file context the processes read."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
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
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    NO_REVOCATION,
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    FreshnessReqType,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from signing.validation.algorithms import ChainAlgorithmPolicy
from signing.validation.hostile import Problem, describe
from signing.validation.level import (
    EmbeddedData,
)
from signing.validation.options import RevocationPolicy, ValidationOptions
from signing.validation.tolerant_certs import tolerant

TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"


@dataclass(frozen=True)
class Prepared:
    trust_roots: tuple[x509.Certificate, ...]
    anchor_certs: dict[bytes, x509.Certificate]
    anchor_tags: dict[bytes, str]
    extra_certs: tuple[x509.Certificate, ...]
    cert_policy: CertValidationPolicySpec
    revinfo_spec: RevocationInfoGatheringSpec
    key_usage: KeyUsageConstraints
    problems: tuple[str, ...]


_PREPARED: dict[ValidationOptions, Prepared] = {}


def prepared(options: ValidationOptions) -> Prepared:
    """Trust anchors and policies for ``options``, cached per process."""
    hit = _PREPARED.get(options)
    if hit is not None:
        return hit
    roots: list[x509.Certificate] = []
    tags: dict[bytes, str] = {}
    problems: list[str] = []
    for anchor in options.trust_anchors:
        try:
            cert = tolerant(x509.Certificate.load(anchor.cert_der))
            roots.append(cert)
            tags.setdefault(cert.sha256, anchor.tag)
        except ValueError as exc:
            problems.append(f"trust anchor {anchor.tag}: {describe(exc)}")
    for path in options.user_trust_files:
        try:
            for cert in load_certs_from_pemder([str(path)]):  # type: ignore[no-untyped-call]
                roots.append(tolerant(cert))
                tags.setdefault(cert.sha256, f"user:{path.name}")
        except (OSError, ValueError) as exc:
            problems.append(f"trust file {path}: {describe(exc)}")
    extra: list[x509.Certificate] = []
    for der in options.extra_certs:
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
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=rev,
        algorithm_usage_policy=ChainAlgorithmPolicy(),
    )
    if options.offline:
        revinfo_spec = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
            certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
        )
    else:
        revinfo_spec = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.ALWAYS_FETCH,
            fetcher_backend=RequestsFetcherBackend(per_request_timeout=options.timeout_s),
            certificate_fetching_rule=(
                CertificateFetchingRule.FOLLOW_ONLINE_RULE
                if options.fetch_certificates
                else CertificateFetchingRule.NEVER_FETCH
            ),
        )
    prep = Prepared(
        trust_roots=tuple(roots),
        anchor_certs={c.sha256: c for c in roots},
        anchor_tags=tags,
        extra_certs=tuple(extra),
        cert_policy=cert_policy,
        revinfo_spec=revinfo_spec,
        key_usage=KeyUsageConstraints(),
        problems=tuple(problems),
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
    xml_reports: list[str] = dataclasses.field(default_factory=list)
    #: the fetchers pyHanko used for this file: what they fetched tells
    #: where each certificate's revocation status came from
    fetched: list[Fetchers] = dataclasses.field(default_factory=list)

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
