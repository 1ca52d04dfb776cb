"""A batch never signs over one of its own documents, and one damaged
document does not end it; odd requests get the user's errors, not a
library's."""

from __future__ import annotations

import os
import random
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from signing.errors import DocumentError, OutputError, SigningError
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.atomic_write import same_file
from signing.sign.request import FieldPlacement, Level, SignedResult, SignRequest
from signing.sign.signer import _output_conflicts, sign_batch, sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI


def _request(pki: PKI, key: Pkcs12KeySource, src: Path, out: Path, **kw: object) -> SignRequest:
    return SignRequest(
        input_path=src,
        output_path=out,
        key_source=key,
        level=Level.B_B,
        trust_roots=(pki.cert_pem_path("root"),),
        **kw,  # type: ignore[arg-type]
    )


def test_a_batch_never_signs_over_its_own_documents(pki: PKI, tmp_path: Path) -> None:
    key = Pkcs12KeySource(pki.p12_path("signer-rsa"))
    a = make_pdf(tmp_path / "a.pdf", text="AAA")
    b = make_pdf(tmp_path / "b.pdf", text="BBB")
    before = {p: p.read_bytes() for p in (a, b)}
    outcomes = sign_batch(
        [
            _request(pki, key, a, b),  # would overwrite the next document's input
            _request(pki, key, b, tmp_path / "c.pdf"),
            _request(pki, key, a, tmp_path / "c.pdf"),  # the same output as the one before
        ],
        FixedSecret(KEY_PASSWORD),
    )
    assert isinstance(outcomes[0], OutputError) and "b.pdf" in str(outcomes[0])
    assert isinstance(outcomes[1], SignedResult)
    assert isinstance(outcomes[2], OutputError)
    assert {p: p.read_bytes() for p in (a, b)} == before
    assert (tmp_path / "c.pdf").read_bytes().startswith(before[b])  # signed from the real b


def test_a_damaged_document_does_not_end_the_batch(pki: PKI, tmp_path: Path) -> None:
    key = Pkcs12KeySource(pki.p12_path("signer-rsa"))
    good = make_pdf(tmp_path / "good.pdf")
    damaged = tmp_path / "damaged.pdf"
    # same length, the page count a name, not a number: a plain ValueError inside
    damaged.write_bytes(good.read_bytes().replace(b"/Count 1\n", b"/Count/X\n", 1))
    outcomes = sign_batch(
        [
            _request(pki, key, good, tmp_path / "one.pdf"),
            _request(
                pki,
                key,
                damaged,
                tmp_path / "two.pdf",
                placement=FieldPlacement(box=(10, 10, 90, 40)),
            ),
            _request(pki, key, good, tmp_path / "three.pdf"),
        ],
        FixedSecret(KEY_PASSWORD),
    )
    assert isinstance(outcomes[0], SignedResult) and isinstance(outcomes[2], SignedResult)
    assert isinstance(outcomes[1], DocumentError), outcomes[1]
    assert "damaged.pdf is damaged" in str(outcomes[1])
    assert not (tmp_path / "two.pdf").exists()


@pytest.mark.parametrize(
    ("placement", "error"),
    [
        (FieldPlacement(box=(0.0, 0.0, float("inf"), 50.0)), DocumentError),
        (FieldPlacement(box=(0, 0, 2, 1), unit="in"), SigningError),
    ],
    ids=["infinite-box", "unknown-unit"],
)
def test_odd_placements_are_the_users_errors(
    pki: PKI, tmp_path: Path, placement: FieldPlacement, error: type[Exception]
) -> None:
    key = Pkcs12KeySource(pki.p12_path("signer-rsa"))
    src = make_pdf(tmp_path / "in.pdf")
    with pytest.raises(error):
        sign_pdf(
            _request(pki, key, src, tmp_path / "out.pdf", placement=placement),
            FixedSecret(KEY_PASSWORD),
        )
    assert not (tmp_path / "out.pdf").exists()


def _pairwise_conflicts(requests: list[Any]) -> list[str | None]:
    """The pairwise rule, as written before batches were compared in O(N)."""
    out: list[str | None] = [None] * len(requests)
    for i, req in enumerate(requests):
        for j, other in enumerate(requests):
            if j != i and same_file(req.output_path, other.input_path):
                out[i] = "input"
                break
            if j < i and same_file(req.output_path, other.output_path):
                out[i] = "output"
                break
    return out


def test_batch_output_conflicts_match_the_pairwise_rule(tmp_path: Path) -> None:
    a = make_pdf(tmp_path / "a.pdf", text="A")
    b = make_pdf(tmp_path / "b.pdf", text="B")
    (tmp_path / "link-to-a.pdf").symlink_to(a)
    os.link(b, tmp_path / "hard-b.pdf")
    sub = tmp_path / "sub"
    sub.mkdir()
    names = ["a.pdf", "b.pdf", "link-to-a.pdf", "hard-b.pdf", "new.pdf", "sub/../new.pdf"]
    paths = [tmp_path / n for n in names]
    rng = random.Random(19)
    for _ in range(300):
        n = rng.randint(1, 6)
        reqs = [
            SimpleNamespace(input_path=rng.choice(paths[:4]), output_path=rng.choice(paths))
            for _ in range(n)
        ]
        got = _output_conflicts(reqs)  # type: ignore[arg-type]
        kinds = [
            None if o is None else "input" if "also a document" in str(o) else "output" for o in got
        ]
        assert kinds == _pairwise_conflicts(reqs), [(r.input_path, r.output_path) for r in reqs]
