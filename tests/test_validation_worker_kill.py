"""A validation worker killed mid-batch (SIGKILL, as the kernel's OOM killer
or a user's ``kill -9`` does it).

The batch validation of the app and of ``shomei validate`` runs in a
process pool (``validation.engine.validate_many``). One dead worker breaks
the whole pool, so every file in flight failed with it and the batch ended
in a ``BrokenProcessPool`` traceback: no result for any file. Now the files
in flight are validated again one by one, each in a process of its own;
the file whose process dies again (here: every process that opens it is
killed) gets an INDETERMINATE result naming the signal, every other file
its own verdict, the report is written whole, and no process is left as a
zombie.

The killer is a thread that watches ``/proc`` for a descendant process
holding the victim file open and SIGKILLs it; the test fails if it never
caught one (no silent pass).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from signing.model.results import Verdict
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import sign

SHOMEI = Path(sys.executable).parent / "shomei"

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(root: int, min_depth: int = 1) -> list[int]:
    """The processes below ``root``, at least ``min_depth`` levels down."""
    tree, out, level, depth = _children(), [], [root], 0
    while level:
        depth += 1
        level = [c for p in level for c in tree.get(p, [])]
        if depth >= min_depth:
            out += level
    return out


def zombies(root: int) -> list[int]:
    found = []
    for pid in descendants(root):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state == "Z":
            found.append(pid)
    return found


class Killer(threading.Thread):
    """SIGKILLs every process ``min_depth`` or more levels below this one
    that holds ``victim`` open, until stopped."""

    def __init__(self, victim: Path, min_depth: int) -> None:
        super().__init__(daemon=True)
        self.victim = str(victim.resolve())
        self.min_depth = min_depth
        self.killed: list[int] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._stop_event.is_set():
            for pid in descendants(me, self.min_depth):
                try:
                    fds = os.listdir(f"/proc/{pid}/fd")
                except OSError:
                    continue
                for fd in fds:
                    try:
                        held = os.readlink(f"/proc/{pid}/fd/{fd}")
                    except OSError:
                        continue
                    if held == self.victim:
                        try:
                            os.kill(pid, signal.SIGKILL)
                            self.killed.append(pid)
                        except OSError:
                            pass
                        break
            time.sleep(0.002)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)


@pytest.fixture
def killer_for() -> Iterator[Callable[..., Killer]]:
    started: list[Killer] = []

    def start(victim: Path, min_depth: int = 1) -> Killer:
        k = Killer(victim, min_depth)
        k.start()
        started.append(k)
        return k

    yield start
    for k in started:
        k.stop()


@pytest.fixture(scope="module")
def batch(pki: PKI, big_lta: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Signed files, then the victim (a 2 MiB B-LTA file: its validation
    takes long enough to be caught): enough files for a pool
    (signing.validation.engine.POOL_FROM; fewer are validated in-process)."""
    from signing.validation.engine import POOL_FROM

    folder = tmp_path_factory.mktemp("batch")
    files = []
    for i in range(max(6, POOL_FROM)):
        src = make_pdf(folder / f"plain{i}.pdf", text=f"Batch file {i}")
        files.append(sign(pki, src, folder / f"signed{i}.pdf", "B-B"))
    victim = folder / "victim.pdf"
    victim.write_bytes(big_lta.read_bytes())
    return [*files, victim]


def test_a_killed_worker_costs_only_its_file(
    pki: PKI, batch: list[Path], killer_for: Callable[..., Killer]
) -> None:
    """Through the app's batch function (desktop.core_adapter.validate_batch,
    which the batch screen runs on a worker thread)."""
    from desktop.core_adapter import ValidationConfig, validate_batch, validate_file

    config = ValidationConfig(
        eu_trust=False,
        jp_trust=False,
        user_anchors=(str(pki.cert_pem_path("root")),),
        online=False,
    )
    expected = {str(f): validate_file(str(f), config).verdict for f in batch[:-1]}
    victim = batch[-1]
    killer = killer_for(victim)
    seen: list[int] = []
    shown: list[str] = []
    results = validate_batch(
        [str(f) for f in batch],
        config,
        threading.Event(),
        lambda done, total, path: seen.append(done),
        lambda result: shown.append(result.path),
        workers=2,
    )
    killer.stop()
    assert killer.killed, "the victim's worker was never caught: nothing was tested"
    # one result per file, each shown once as it came; progress counted every one
    assert sorted(r.path for r in results) == sorted(str(f) for f in batch) == sorted(shown)
    assert seen == list(range(1, len(batch) + 1))
    by_path = {r.path: r for r in results}
    for path, verdict in expected.items():
        assert by_path[path].verdict is verdict, by_path[path]
        error = by_path[path].error
        assert error is None or error.code != "validation-process-stopped", error
    dead = by_path[str(victim)]
    assert dead.verdict is Verdict.INDETERMINATE
    assert dead.error is not None and dead.error.code == "validation-process-stopped"
    assert "(SIGKILL)" in dead.error.en and "SIGKILL" in dead.error.ja, dead.error
    assert "\n" not in dead.error.en
    assert not zombies(os.getpid())


def test_the_cli_reports_the_file_and_keeps_the_others(
    pki: PKI, batch: list[Path], killer_for: Callable[..., Killer], tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOMEI_")}
    args = [str(SHOMEI), "validate", *map(str, batch), "--trust", str(pki.cert_pem_path("root"))]
    args += ["--no-eu", "--no-jp", "--offline", "--workers", "2", "--json", "--report", str(report)]
    # (the CLI itself is one level down: only its workers, further down, are killed)
    killer = killer_for(batch[-1], min_depth=2)
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    out, err = proc.communicate(timeout=300)
    killer.stop()
    assert killer.killed, "the victim's worker was never caught: nothing was tested"
    assert "Traceback" not in err and "BrokenProcessPool" not in err, err
    doc = json.loads(out)
    files = {f["path"]: f for f in doc["files"]}
    assert sorted(files) == sorted(str(f) for f in batch)
    dead = json.dumps(files[str(batch[-1])], ensure_ascii=False)
    assert "validation-process-stopped" in dead and "SIGKILL" in dead, dead
    for f in batch[:-1]:
        assert "validation-process-stopped" not in json.dumps(files[str(f)], ensure_ascii=False)
    assert proc.returncode != 0  # INDETERMINATE at worst, never "all valid"
    # the report is whole (every file), and nothing half-written beside it
    html = report.read_text(encoding="utf-8")
    assert all(f.name in html for f in batch)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert not zombies(os.getpid())
