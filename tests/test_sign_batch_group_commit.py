"""A batch commits its outputs a group at a time (signing/sign/group_commit.py)
and each document keeps the guarantee of a lone one: an output appears under
its final name only whole, a failure or a cancel leaves no temporary file and
no half output, the inputs are never touched, and every document reported
done is saved."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing.errors import OutputError, UserCancelled
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.atomic_write import AtomicOutput
from signing.sign.group_commit import GroupCommit, make_durable
from signing.sign.request import Level, SignedResult, SignMode, SignRequest
from signing.sign.signer import sign_batch
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI


def _requests(pki: PKI, src: Path, outs: list[Path]) -> list[SignRequest]:
    key = Pkcs12KeySource(pki.p12_path("seal-rsa"))
    return [
        SignRequest(input_path=src, output_path=o, key_source=key, mode=SignMode.SEAL) for o in outs
    ]


def _assert_whole(pki: PKI, path: Path, src_bytes: bytes) -> None:
    """``path`` is the input followed by one intact signature covering it all."""
    data = path.read_bytes()
    assert data.startswith(src_bytes)
    vc = ValidationContext(
        trust_roots=[load_cert_from_pemder(str(pki.cert_pem_path("root")))],
        allow_fetching=False,
    )
    (sig,) = PdfFileReader(BytesIO(data)).embedded_signatures
    status = validate_pdf_signature(sig, vc)
    assert status.intact and status.valid, status.pretty_print_details()
    assert status.coverage is not None and status.coverage.name == "ENTIRE_FILE"


def _partials(*folders: Path) -> list[str]:
    return [p.name for f in folders for p in f.iterdir() if p.name.endswith(".partial")]


def test_outputs_appear_only_whole_in_every_folder(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    outs = [(a if i % 2 else b) / f"doc{i}.pdf" for i in range(7)]
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        # whenever a document is reported done, every output under its final
        # name is whole (the others are still temporary files, or not begun)
        for out in outs:
            if out.exists():
                _assert_whole(pki, out, before)
        seen.append(done)

    outcomes = sign_batch(_requests(pki, src, outs), FixedSecret(KEY_PASSWORD), progress)
    assert seen == list(range(1, 8))
    assert all(isinstance(o, SignedResult) for o in outcomes), outcomes
    for out, outcome in zip(outs, outcomes, strict=True):
        assert isinstance(outcome, SignedResult) and outcome.output_path == out
        assert outcome.size == out.stat().st_size
        _assert_whole(pki, out, before)
    assert _partials(a, b) == []
    assert src.read_bytes() == before


def test_a_cancel_keeps_what_was_done_and_leaves_nothing_else(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    outs = [tmp_path / f"doc{i}.pdf" for i in range(6)]
    done: list[int] = []
    outcomes = sign_batch(
        _requests(pki, src, outs),
        FixedSecret(KEY_PASSWORD),
        progress=lambda d, t: done.append(d),
        cancel=lambda: len(done) >= 3,  # pressed once the third was reported done
    )
    assert [type(o).__name__ for o in outcomes] == ["SignedResult"] * 3 + ["UserCancelled"] * 3
    for out in outs[:3]:
        _assert_whole(pki, out, before)  # reported done: saved, though still in the group
    assert not any(out.exists() for out in outs[3:])
    assert _partials(tmp_path) == []
    assert src.read_bytes() == before


def test_a_cancel_inside_a_document_drops_only_that_one(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    outs = [tmp_path / f"doc{i}.pdf" for i in range(4)]
    done: list[int] = []
    polls = 0

    def cancel() -> bool:
        # pressed while the third document is being signed (after its first poll)
        nonlocal polls
        if len(done) == 2:
            polls += 1
        return polls >= 3

    outcomes = sign_batch(
        _requests(pki, src, outs),
        FixedSecret(KEY_PASSWORD),
        progress=lambda d, t: done.append(d),
        cancel=cancel,
    )
    assert isinstance(outcomes[0], SignedResult) and isinstance(outcomes[1], SignedResult)
    assert isinstance(outcomes[2], UserCancelled) and isinstance(outcomes[3], UserCancelled)
    for out in outs[:2]:
        _assert_whole(pki, out, before)
    assert not outs[2].exists() and not outs[3].exists()
    assert _partials(tmp_path) == []


def test_an_output_that_cannot_be_put_in_place_fails_alone(pki: PKI, tmp_path: Path) -> None:
    """A folder put at an output's path after its document was signed (while
    it waits in the group): that document fails, the folder stays, the others
    of the group are saved and no temporary file is left."""
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    outs = [tmp_path / f"doc{i}.pdf" for i in range(4)]

    def progress(done: int, total: int) -> None:
        if done == 2:
            outs[1].mkdir()
            (outs[1] / "keep.txt").write_text("someone else's")

    outcomes = sign_batch(_requests(pki, src, outs), FixedSecret(KEY_PASSWORD), progress)
    assert isinstance(outcomes[1], OutputError), outcomes[1]
    assert "doc1.pdf" in str(outcomes[1]) and "folder" in str(outcomes[1])
    assert (outs[1] / "keep.txt").read_text() == "someone else's"
    for i in (0, 2, 3):
        assert isinstance(outcomes[i], SignedResult)
        _assert_whole(pki, outs[i], before)
    assert _partials(tmp_path) == []
    assert src.read_bytes() == before


def test_leaving_a_batch_by_an_exception_leaves_no_temporary_file(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    outs = [tmp_path / f"doc{i}.pdf" for i in range(3)]

    class Stop(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done == 2:
            assert _partials(tmp_path), "the first two wait in the group"
            raise Stop()

    with pytest.raises(Stop):
        sign_batch(_requests(pki, src, outs), FixedSecret(KEY_PASSWORD), progress)
    assert _partials(tmp_path) == []
    assert not any(out.exists() for out in outs)


def _result(path: Path) -> SignedResult:
    return SignedResult(output_path=path, size=0, field_name="Signature1", level=Level.B_B)


def test_a_group_commits_at_its_limits(tmp_path: Path) -> None:
    group = GroupCommit(max_outputs=2, max_wait_s=3600)
    targets = [tmp_path / f"f{i}.pdf" for i in range(3)]
    for i, target in enumerate(targets):
        with AtomicOutput(target) as out:
            out.stream.write(b"document %d" % i)
            assert group.stage(i, out) == 10
        if i != 1:  # the second one's document failed after its output was handed over
            group.resolve(i, _result(target))
        assert group.due == (i == 1)
        if i == 1:
            # still under their temporary names
            assert not any(t.exists() for t in targets) and len(_partials(tmp_path)) == 2
            settled = group.flush()
            assert [k for k, _ in settled] == [0]
            assert targets[0].read_bytes() == b"document 0" and not targets[1].exists()
    assert not group.due  # (no time limit reached, one output waiting)
    ((_, last),) = group.flush()
    assert isinstance(last, SignedResult) and targets[2].read_bytes() == b"document 2"
    assert _partials(tmp_path) == []
    # the other limits: bytes, time
    for group in (GroupCommit(max_bytes=5), GroupCommit(max_wait_s=0)):
        with AtomicOutput(tmp_path / "g.pdf") as out:
            out.stream.write(b"document")
            group.stage(0, out)
        assert group.due
        group.discard()
        assert _partials(tmp_path) == [] and not (tmp_path / "g.pdf").exists()


def test_make_durable_syncs_files_on_one_file_system(tmp_path: Path) -> None:
    fds = []
    try:
        for i in range(3):
            fd = os.open(tmp_path / f"f{i}", os.O_RDWR | os.O_CREAT, 0o600)
            fds.append(fd)
            os.write(fd, b"x" * 1000)
        assert make_durable(fds) == {}
        assert make_durable(fds[:1]) == {}
    finally:
        for fd in fds:
            os.close(fd)
