"""The benchmarks' child processes stop with the benchmark."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_PARENT = """
import sys, time
from bench._server import child
with child([sys.executable, "-c", "import time; time.sleep(60)"]) as process:
    print(process.pid, flush=True)
    time.sleep(60)
"""


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_benchmark_stopped_with_sigterm_stops_its_child() -> None:
    pid = 0
    try:
        with subprocess.Popen(
            [sys.executable, "-c", _PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True
        ) as parent:
            assert parent.stdout is not None
            pid = int(parent.stdout.readline())
            assert _running(pid)
            parent.send_signal(signal.SIGTERM)
            assert parent.wait(timeout=20) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 5
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(pid)
    finally:
        if pid and _running(pid):  # left behind: not for the rest of the run
            os.kill(pid, signal.SIGKILL)
