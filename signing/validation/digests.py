"""Every digest a validation needs from the file's bytes, in one read.

A file's SHA-256 and each signature's /ByteRange digest (handed to pyHanko,
which would otherwise read the file again per signature) are computed in one
pass. The hashed byte sequences mostly share their start: every /ByteRange
begins at byte 0 and runs up to its /Contents string, and the whole-file
hash is a run from byte 0 too. So digests with the same algorithm share one
hash of the common part: the shared hash runs from byte 0, and at the point
where a signature's first range ends, that signature takes a copy of the
hash state and goes on with its second range alone. Validating a file with
a signature, a document timestamp and its SHA-256 hashes its bytes about
once, not three times.

Used by :mod:`signing.validation.pipeline`; not a public API.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

_CHUNK = 1024 * 1024
#: from this size on, digests with other algorithms run on a second thread
#: (hashlib releases the GIL on large updates)
_THREAD_FROM = 8 * _CHUNK


@dataclass
class _Branch:
    """A digest that left the shared hash: its own hash state and the byte
    ranges still to feed it; ``emb`` None for the whole-file digest."""

    hasher: Any
    ranges: tuple[tuple[int, int], ...]
    emb: EmbeddedPdfSignature | None


@dataclass
class _Chain:
    """The digests of one algorithm: a shared hash from byte 0, and the
    points where each digest branches off it (ascending)."""

    algorithm: str
    forks: list[tuple[int, tuple[tuple[int, int], ...], EmbeddedPdfSignature | None]]
    shared: Any = None
    branches: list[_Branch] = field(default_factory=list)

    def feed(self, view: memoryview, pos: int) -> None:
        end = pos + len(view)
        cursor = pos
        while self.forks and self.forks[0][0] <= end:
            at, ranges, emb = self.forks.pop(0)
            if cursor < at:
                self.shared.update(view[cursor - pos : at - pos])
                cursor = at
            self.branches.append(_Branch(self.shared.copy(), ranges, emb))
        if self.forks and cursor < end:
            self.shared.update(view[cursor - pos :])
        for branch in self.branches:
            for lo, hi in branch.ranges:
                a, b = max(lo, pos), min(hi, end)
                if a < b:
                    branch.hasher.update(view[a - pos : b - pos])

    def finish(self, file_end: int) -> str | None:
        """Store each signature's digest; return the whole file's (hex)."""
        whole: str | None = None
        # (a signature still waiting here has a range beyond the end of the
        # file: pyHanko refuses it itself)
        if any(emb is None for _, _, emb in self.forks):
            self.branches.append(_Branch(self.shared, (), None))
        for branch in self.branches:
            if branch.emb is None:
                whole = branch.hasher.hexdigest()
            elif all(hi <= file_end for _, hi in branch.ranges):
                branch.emb.external_digests[self.algorithm] = branch.hasher.digest()
        return whole


#: fork point of the whole-file digest (after every real position)
_TO_END = 1 << 62


def digest_file(
    stream: IO[bytes], signatures: list[EmbeddedPdfSignature], whole_file: bool
) -> str | None:
    """Read ``stream`` once: store each signature's /ByteRange digest in its
    ``external_digests`` (where pyHanko looks first), and return the file's
    SHA-256 (hex) when ``whole_file`` is asked for. A signature whose range
    cannot be used here (unknown algorithm, malformed range) is left to
    pyHanko, which computes or refuses it itself."""
    chains: dict[str, _Chain] = {}
    if whole_file:
        chains["sha256"] = _Chain("sha256", [(_TO_END, (), None)])
    for emb in signatures:
        try:
            algo = emb.external_md_algorithm
            if algo in emb.external_digests or algo.startswith("shake"):
                continue
            hashlib.new(algo)
            start1, len1, start2, len2 = (int(x) for x in emb.byte_range)
        except (ValueError, TypeError, AttributeError):
            continue
        if start1 != 0 or len1 < 0 or len2 < 0 or start2 < len1:
            continue
        chain = chains.setdefault(algo, _Chain(algo, []))
        chain.forks.append((len1, ((start2, start2 + len2),), emb))
    if not chains:
        return None
    for chain in chains.values():
        chain.forks.sort(key=lambda fork: fork[0])
        chain.shared = hashlib.new(chain.algorithm)
    first, *others = chains.values()
    side = ThreadPoolExecutor(max_workers=1) if others and _big(stream) else None
    pending: Future[None] | None = None
    stream.seek(0)
    pos = 0
    try:
        while chunk := stream.read(_CHUNK):
            view = memoryview(chunk)
            if side is not None:
                if pending is not None:
                    pending.result()
                pending = side.submit(_feed_all, others, view, pos)
            else:
                _feed_all(others, view, pos)
            first.feed(view, pos)
            pos += len(chunk)
        if pending is not None:
            pending.result()
    finally:
        if side is not None:
            side.shutdown(wait=True)
    whole = None
    for chain in chains.values():
        whole = chain.finish(pos) or whole
    return whole


def _feed_all(chains: list[_Chain], view: memoryview, pos: int) -> None:
    for chain in chains:
        chain.feed(view, pos)


def _big(stream: IO[bytes]) -> bool:
    try:
        return os.fstat(stream.fileno()).st_size >= _THREAD_FROM
    except (OSError, AttributeError, ValueError):
        return False


__all__ = ["digest_file"]
