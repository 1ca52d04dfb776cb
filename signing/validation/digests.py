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

For big files that pass is moreover run beside the validation rather than
before it (:class:`Speculation`): each signature's digest is taken to be
the one it claims (its signed messageDigest, or a timestamp's message
imprint), the validation runs with those values while a second thread
hashes the file (hashlib and ``os.pread`` release the GIL), and the
validation only stands when every real digest equals its claim. Validation
depends on a digest only through its value, so a confirmed run is exactly
the run the real digests would have given; any mismatch (a changed file)
makes the caller validate again with the real ones.

Used by :mod:`signing.validation.pipeline`; not a public API.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

_CHUNK = 1024 * 1024
#: from this size on, digests with other algorithms run on a second thread
#: (hashlib releases the GIL on large updates), and validation runs beside
#: the hashing (:class:`Speculation`)
_THREAD_FROM = 8 * _CHUNK

#: the speculation thread's read size
_SPECULATION_CHUNK = 4 * _CHUNK

#: (algorithm, digest) per signature, by its index in the list handed in
Digests = dict[int, tuple[str, bytes]]
#: the next chunk of the file, given its position
_ReadAt = Callable[[int], "bytes | memoryview"]
#: a signature's digest by what it covers: (algorithm, its /ByteRange)
RangeKey = tuple[str, tuple[int, ...]]


@dataclass(frozen=True)
class KnownDigests:
    """Digests already computed from this file (by a speculation that was
    not confirmed), by what they cover, and the file's SHA-256 if computed:
    the run made again with the real digests takes them from here instead
    of hashing the file a second time."""

    by_range: dict[RangeKey, bytes]
    whole: str | None


def _range_key(emb: EmbeddedPdfSignature, algo: str) -> RangeKey | None:
    try:
        return algo, tuple(int(x) for x in emb.byte_range)
    except (ValueError, TypeError, AttributeError):
        return None


@dataclass
class _Branch:
    """A digest that left the shared hash: its own hash state and the byte
    ranges still to feed it; ``index`` None for the whole-file digest."""

    hasher: Any
    ranges: tuple[tuple[int, int], ...]
    index: int | None


@dataclass
class _Chain:
    """The digests of one algorithm: a shared hash from byte 0, and the
    points where each digest branches off it (ascending)."""

    algorithm: str
    forks: list[tuple[int, tuple[tuple[int, int], ...], int | None]]
    shared: Any = None
    branches: list[_Branch] = field(default_factory=list)

    def feed(self, view: memoryview, pos: int) -> None:
        end = pos + len(view)
        cursor = pos
        while self.forks and self.forks[0][0] <= end:
            at, ranges, index = self.forks.pop(0)
            if cursor < at:
                self.shared.update(view[cursor - pos : at - pos])
                cursor = at
            self.branches.append(_Branch(self.shared.copy(), ranges, index))
        if self.forks and cursor < end:
            self.shared.update(view[cursor - pos :])
        for branch in self.branches:
            for lo, hi in branch.ranges:
                a, b = max(lo, pos), min(hi, end)
                if a < b:
                    branch.hasher.update(view[a - pos : b - pos])

    def finish(self, file_end: int, out: Digests) -> str | None:
        """Put each signature's digest in ``out``; return the file's (hex)."""
        whole: str | None = None
        # (a signature still waiting here has a range beyond the end of the
        # file: pyHanko refuses it itself)
        if any(index is None for _, _, index in self.forks):
            self.branches.append(_Branch(self.shared, (), None))
        for branch in self.branches:
            if branch.index is None:
                whole = branch.hasher.hexdigest()
            elif all(hi <= file_end for _, hi in branch.ranges):
                out[branch.index] = (self.algorithm, branch.hasher.digest())
        return whole


#: fork point of the whole-file digest (after every real position)
_TO_END = 1 << 62


def _plan(signatures: Sequence[EmbeddedPdfSignature], whole_file: bool) -> dict[str, _Chain]:
    """The hash chains that give every usable digest. A signature whose
    range cannot be used here (unknown algorithm, malformed range) is left
    out: pyHanko computes or refuses it itself."""
    chains: dict[str, _Chain] = {}
    if whole_file:
        chains["sha256"] = _Chain("sha256", [(_TO_END, (), None)])
    for index, emb in enumerate(signatures):
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
        chain.forks.append((len1, ((start2, start2 + len2),), index))
    for chain in chains.values():
        chain.forks.sort(key=lambda fork: fork[0])
        chain.shared = hashlib.new(chain.algorithm)
    return chains


def _run(
    chains: dict[str, _Chain], read_at: _ReadAt, big: bool, stop: threading.Event | None = None
) -> tuple[Digests, str | None]:
    """Feed the file to every chain, one read of it; the digests and the
    file's SHA-256 (hex, when a chain asked for it)."""
    first, *others = chains.values()
    side = ThreadPoolExecutor(max_workers=1) if others and big else None
    pending: Future[None] | None = None
    pos = 0
    try:
        while chunk := read_at(pos):
            if stop is not None and stop.is_set():
                return {}, None
            view = chunk if isinstance(chunk, memoryview) else memoryview(chunk)
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
    digests: Digests = {}
    whole = None
    for chain in chains.values():
        whole = chain.finish(pos, digests) or whole
    return digests, whole


def digest_file(
    stream: IO[bytes],
    signatures: Sequence[EmbeddedPdfSignature],
    whole_file: bool,
    known: KnownDigests | None = None,
) -> str | None:
    """Read ``stream`` once: store each signature's /ByteRange digest in its
    ``external_digests`` (where pyHanko looks first), and return the file's
    SHA-256 (hex) when ``whole_file`` is asked for. What ``known`` holds is
    taken from it (the file is then read only for the rest, if any)."""
    whole: str | None = None
    if known is not None:
        for emb in signatures:
            try:
                algo = emb.external_md_algorithm
            except (ValueError, TypeError, AttributeError):
                continue
            key = _range_key(emb, algo)
            value = known.by_range.get(key) if key is not None else None
            if value is not None and algo not in emb.external_digests:
                emb.external_digests[algo] = value
        if whole_file and known.whole is not None:
            whole, whole_file = known.whole, False
    chains = _plan(signatures, whole_file)
    if not chains:
        return whole
    stream.seek(0)
    digests, whole_read = _run(chains, lambda _pos: stream.read(_CHUNK), _big(stream))
    for index, (algo, value) in digests.items():
        signatures[index].external_digests[algo] = value
    return whole_read or whole


def _feed_all(chains: list[_Chain], view: memoryview, pos: int) -> None:
    for chain in chains:
        chain.feed(view, pos)


def _size(stream: IO[bytes]) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return None  # not a file on disk (an in-memory stream)


def _big(stream: IO[bytes]) -> bool:
    size = _size(stream)
    return size is not None and size >= _THREAD_FROM


def claimed_digest(emb: EmbeddedPdfSignature) -> bytes | None:
    """The /ByteRange digest the signature itself states: the signed
    messageDigest of a detached signature, the message imprint of a
    timestamp token; None when it states none (or not plainly)."""
    try:
        signed_data = emb.signed_data
        eci = signed_data["encap_content_info"]
        kind = eci["content_type"].native
        if kind == "tst_info":
            value = eci["content"].parsed["message_imprint"]["hashed_message"].native
        elif kind == "data" and eci["content"].native is None:
            (signer_info,) = signed_data["signer_infos"]
            found = [
                attr["values"]
                for attr in signer_info["signed_attrs"]
                if attr["type"].native == "message_digest"
            ]
            if len(found) != 1 or len(found[0]) != 1:
                return None
            value = found[0][0].native
        else:  # a signature over embedded content (adbe.pkcs7.sha1): not the range
            return None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None
    return value if isinstance(value, bytes) else None


_handover_lock = threading.Lock()
_handover_users = 0
_handover_saved = 0.0


@contextlib.contextmanager
def _quick_gil_handover() -> Iterator[None]:
    """While hashing beside validation, let the interpreter hand the GIL
    over every 0.2 ms instead of 5: the hashing thread, blocked on it
    between two reads, otherwise waits out the validating thread's whole
    interval each time (measured on 100 MiB B-LTA: hashed in 100-110 ms
    beside validation instead of 70 alone; the whole validation 1.25x
    read+hash with 0.5 ms, 1.18x with 0.2 ms, 1.17x with 0.1 ms)."""
    global _handover_users, _handover_saved
    with _handover_lock:
        if _handover_users == 0:
            _handover_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_handover_saved, 0.0002))
        _handover_users += 1
    try:
        yield
    finally:
        with _handover_lock:
            _handover_users -= 1
            if _handover_users == 0:
                sys.setswitchinterval(_handover_saved)


class Speculation:
    """The file's digests computed on a second thread while validation runs
    with the digests the signatures claim (see the module's docstring).
    Start it with :meth:`start`; end it with :meth:`confirm` or
    :meth:`cancel`."""

    def __init__(
        self, fd: int, chains: dict[str, _Chain], claims: Digests, keys: dict[int, RangeKey]
    ) -> None:
        self._fd = fd
        self._chains = chains
        self._claims = claims
        self._keys = keys
        self._stop = threading.Event()
        self._result: tuple[Digests, str | None] | None = None
        self._thread = threading.Thread(target=self._work, name="shomei-digests", daemon=True)

    @classmethod
    def start(
        cls, stream: IO[bytes], signatures: Sequence[EmbeddedPdfSignature], whole_file: bool
    ) -> Speculation | None:
        """Begin, and put the claimed digests where pyHanko looks; None when
        it would not pay (a small or in-memory file) or a signature claims
        no digest to compare with (the caller then uses :func:`digest_file`)."""
        size = _size(stream)
        if size is None or size < _THREAD_FROM or not hasattr(os, "preadv"):
            return None  # (no preadv on Windows: hashed before validating there)
        chains = _plan(signatures, whole_file)
        claims: Digests = {}
        keys: dict[int, RangeKey] = {}
        for chain in chains.values():
            for _, ranges, index in chain.forks:
                if index is None:
                    continue
                claim = claimed_digest(signatures[index])
                key = _range_key(signatures[index], chain.algorithm)
                if claim is None or key is None or any(hi > size for _, hi in ranges):
                    return None
                claims[index] = (chain.algorithm, claim)
                keys[index] = key
        if not chains:
            return None
        fd = os.dup(stream.fileno())
        speculation = cls(fd, chains, claims, keys)
        try:
            speculation._thread.start()
        except RuntimeError:  # no thread to be had: hash first, as for small files
            os.close(fd)
            return None
        for index, (algo, value) in claims.items():
            signatures[index].external_digests[algo] = value
        return speculation

    def _work(self) -> None:
        # one reused buffer, big reads: fewer page faults, and fewer times
        # this thread must win the GIL back from the validation
        buffer = bytearray(_SPECULATION_CHUNK)
        view = memoryview(buffer)

        def read_at(pos: int) -> memoryview:
            return view[: os.preadv(self._fd, [buffer], pos)]

        try:
            with _quick_gil_handover():
                self._result = _run(self._chains, read_at, False, self._stop)
        except Exception:  # unreadable now: unconfirmed, the caller reads it again itself
            self._result = None
        finally:
            view.release()
            os.close(self._fd)

    def confirm(self) -> tuple[bool, str | None]:
        """Wait for the hashing; whether every real digest equals its claim,
        and the file's SHA-256 (hex, when asked for)."""
        self._thread.join()
        if self._result is None:
            return False, None
        digests, whole = self._result
        return self._as_claimed(digests), whole

    def refuted(self) -> bool:
        """Without waiting: the hashing has ended and a digest differs from
        its claim (or the file could not be read): the run beside it is void
        already, whatever it finds."""
        if self._thread.is_alive():
            return False
        return self._result is None or not self._as_claimed(self._result[0])

    def _as_claimed(self, digests: Digests) -> bool:
        return all(digests.get(i) == claim for i, claim in self._claims.items())

    def known(self) -> KnownDigests | None:
        """After :meth:`confirm`: the real digests it computed, for the run
        made again (None when the hashing did not finish)."""
        if self._result is None:
            return None
        digests, whole = self._result
        by_range = {self._keys[i]: value for i, (_, value) in digests.items() if i in self._keys}
        return KnownDigests(by_range, whole)

    def cancel(self) -> None:
        """Stop hashing (validation ended another way) and wait for the thread."""
        self._stop.set()
        self._thread.join()


__all__ = ["KnownDigests", "Speculation", "claimed_digest", "digest_file"]
