"""A trust anchor tagged with where it came from, so that one validation can
mix EU trusted lists, the Japanese list and the user's own anchors."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class AnchorOrigin(enum.Enum):
    EU_TRUSTED_LIST = "eu-tl"
    JP_TRUST_LIST = "jp-tl"
    USER = "user"  # added by the user (settings or --trust)


@dataclass(frozen=True)
class TrustAnchor:
    cert_der: bytes
    origin: AnchorOrigin
    #: e.g. territory code "BE" for an EU list, the JP service name, a file name
    source: str = ""

    @property
    def tag(self) -> str:
        """Short label for reports, e.g. ``eu-tl:BE`` or ``user:root.pem``."""
        return f"{self.origin.value}:{self.source}" if self.source else self.origin.value
