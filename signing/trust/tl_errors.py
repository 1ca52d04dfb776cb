"""Trusted-list errors, one class per thing a user (or a test) must tell apart.

All of them are :class:`signing.errors.TrustListError`, so the CLI and the GUI
handle them like every other core error; the status API records their
``code`` per list.
"""

from __future__ import annotations

from signing.errors import TrustListError


class TrustListFetchError(TrustListError):
    """The list could not be downloaded (network, HTTP status, size)."""

    code = "trust-list-fetch"
    #: the HTTP status when the server answered with an error, else 0
    http_status = 0
    #: what went wrong, without the URL ("cannot be reached (unknown host)"),
    #: so that many lists failing alike can be told in one line
    cause = ""
    #: ``cause`` in Japanese ("接続できませんでした（…）")
    cause_ja = ""

    @property
    def unreachable(self) -> bool:
        """No server answered at all: the network, a proxy or the host is
        down, as opposed to a server that said no."""
        return isinstance(self, TrustListUnreachableError)


class TrustListUnreachableError(TrustListFetchError):
    """No connection to the list's server could be made (no network, no
    such host, refused): kept apart in a list's state, so the app can say
    "offline" without reading messages."""

    code = "trust-list-unreachable"


class TrustListFormatError(TrustListError):
    """The download is not a usable trusted list (empty, not XML, unsafe XML,
    missing mandatory fields, wrong territory or list type)."""

    code = "trust-list-format"


class UnsafeXmlError(TrustListFormatError):
    """The XML carries a DTD, entities or other constructs a trusted list never
    needs (XXE, billion laughs): refused before any parsing of content."""

    code = "trust-list-unsafe-xml"


class TrustListSignatureError(TrustListError):
    """The list's XAdES signature is missing, broken, made by a key that is not
    one of the expected signer certificates, or does not cover the whole list."""

    code = "trust-list-signature"


class TrustListRollbackError(TrustListError):
    """The downloaded list has a lower sequence number than the cached one."""

    code = "trust-list-rollback"


class TrustListCacheError(TrustListError):
    """The trusted-list cache folder cannot be written (full disk, read-only,
    not a folder); the lists in memory stay usable."""

    code = "trust-list-cache"
