"""`bash .ci/start` for real: it serves where it says, the README walk-through works against it,
and Ctrl-C stops web, both workers and beat cleanly (no SIGKILL, no error lines)."""

import json
import re
import subprocess
import time

import pytest

from tests.ops import walkthrough
from tests.ops.stack import Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("stack-var"))
    running.start()
    yield running
    running.stop()


def test_start_serves_where_it_says(stack):
    assert f"Open http://127.0.0.1:{stack.port}/" in stack.output()
    assert stack.answers("/login/")
    assert stack.answers("/health/")


def test_the_urgent_worker_takes_only_the_urgent_queue_and_the_general_worker_both(stack):
    assert stack.saw("urgent.1", ".> urgent ")
    assert not stack.saw("urgent.1", ".> celery ")
    assert stack.saw("worker.1", ".> celery ")
    assert stack.saw("worker.1", ".> urgent ")


def test_every_request_is_logged_once_without_tracebacks(stack):
    assert not stack.answers("/api/v1/patients/")  # 401: no credentials
    time.sleep(0.5)
    lines = [line for line in stack.lines if "GET /api/v1/patients/" in line]
    assert len(lines) == 1, lines
    assert "401" in lines[0]
    assert "Unauthorized" not in stack.output()
    assert "Traceback" not in stack.output()


def test_the_readme_walk_through_works_as_pasted(stack, tmp_path):
    steps = walkthrough.steps()
    assert len(steps) >= 15
    for number, step in enumerate(steps):
        block = step.script.replace("127.0.0.1:8000", f"127.0.0.1:{stack.port}")
        deadline = time.monotonic() + (15 if step.retry else 0)
        while True:
            result = subprocess.run(
                ["bash", "-c", _in_one_shell(block)], cwd=tmp_path, capture_output=True, text=True, timeout=60
            )
            answer = _answer(tmp_path)
            printed = walkthrough.status_lines(result.stdout)
            matches = step.excerpt is None or walkthrough.contains(answer, json.loads(step.excerpt))
            if (result.returncode == 0 and printed == step.statuses and matches) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert result.returncode == 0, f"step {number} failed:\n{block}\n{result.stderr}"
        assert printed == step.statuses, f"step {number}:\n{block}\nprinted {result.stdout}\nanswer {answer}"
        assert matches, (
            f"step {number}:\n{block}\nexpected {step.excerpt}\ngot {json.dumps(answer)[:2000]}\n"
            + stack.output()[-4000:]
        )
    for pdf in ("plan.pdf", "report.pdf"):
        assert (tmp_path / pdf).read_bytes().startswith(b"%PDF")


def _in_one_shell(block: str) -> str:
    """As if pasted into the shell that ran the earlier blocks: their variables and functions
    are restored from shell.state, and this block's are added to it."""
    names = " ".join(sorted(set(re.findall(r"^([A-Z_]+)=", block, re.M))))
    save = f"declare -p {names} >> shell.state; " if names else ""
    return f"touch shell.state; source shell.state\n{block}\n{save}declare -f >> shell.state"


def _answer(folder):
    try:
        return json.loads((folder / "answer.json").read_text())
    except (FileNotFoundError, ValueError):
        return None


def test_ctrl_c_stops_every_process_cleanly(stack):
    seconds = stack.stop()
    output = stack.output()
    assert stack.process.returncode is not None
    assert seconds < 15, output
    # runserver without its reloader simply dies of SIGTERM (rc=-15); the workers and beat exit 0.
    for process in ("web.1 stopped", "worker.1 stopped (rc=0)", "urgent.1 stopped (rc=0)", "beat.1 stopped (rc=0)"):
        assert process in output, output
    for bad in ("signal 15", "SIGKILL", "rc=-9", "Traceback", "ERROR"):
        assert bad not in output, output
