"""Proven times told end to end: a file signed with the test PKI and its TSA
(a B-LTA: a signature timestamp and a covering document timestamp), validated
with its root trusted, shows the timestamps' times as proven, in the story,
the JSON and the readable report, and never the validation time (the corpus
tests cannot show this: offline and untrusted, nothing there is proven)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from signing import api
from signing.model.labels import utc_time
from signing.reports.json_report import file_result_to_json
from signing.reports.readable import render_html
from signing.sign.request import Level
from signing.validation.story import TimeSource, file_story
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.sign_helpers import sign_with_pki


def test_a_timestamped_signatures_proven_time_is_its_timestamps(pki: PKI, tmp_path: Path) -> None:
    out = sign_with_pki(pki, make_pdf(tmp_path / "in.pdf"), tmp_path / "lta.pdf", Level.B_LTA)
    root = pki.cert_pem_path("root")
    # validated a while after signing, so that "now" cannot pass for the proof
    later = datetime.now().astimezone() + timedelta(hours=2)
    options = api.ValidationOptions(
        user_trust_files=(root,), trust=api.TrustConfig.user_only(root), validation_time=later
    )
    result = api.validate_pdf(out, options)
    story = file_story(result)
    docs = file_result_to_json(result)["signatures"]
    page = render_html([result], "en")
    sources = []
    for sig, entry, doc in zip(result.signatures, story.entries, docs, strict=True):
        stamps = [sig.signature_timestamp, *sig.covering_timestamps]
        times = {t.time for t in stamps if t is not None}
        assert entry.time.time is not None, (sig.field_name, entry.time)
        assert entry.time.time in times and entry.time.time != result.validation_time
        assert entry.time.time < later - timedelta(hours=1)
        moment = datetime.fromisoformat(doc["story"]["proven_time"].replace("Z", "+00:00"))
        assert moment == entry.time.time
        assert utc_time(entry.time.time, "en") in page
        sources.append(entry.time.source)
    assert TimeSource.SIGNATURE_TIMESTAMP in sources, sources
    assert utc_time(later, "en") not in [
        utc_time(e.time.time, "en") for e in story.entries if e.time.time
    ]
