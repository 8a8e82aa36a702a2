"""The real Procfile stack (`bash .ci/start`: web + worker + urgent worker + beat) on a free port, in a temp folder.

It runs on its own SQLite database and broker whatever the test run uses, so it never touches
the test database: the filesystem broker in its folder, or, when the run's broker is Redis (CI's
second pass), Redis database STACK_REDIS_DB on the same server.
"""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STACK_REDIS_DB = 13


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_broker_url() -> str:
    """Empty (the filesystem default) unless the test run itself is on Redis."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return ""
    server = url.removeprefix("redis://").split("/", 1)[0]
    return f"redis://{server}/{STACK_REDIS_DB}"


class Stack:
    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.broker_url = stack_broker_url()
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "DEBUG", "SECRET_KEY", "LOG_FORMAT")
        }
        # runserver's autoreloader would restart the web process whenever a file is saved.
        env.update(VAR_DIR=str(self.var_dir), PORT=str(self.port), HOST="", RUNSERVER_FLAGS="--noreload")
        if self.broker_url:
            env["CELERY_BROKER_URL"] = self.broker_url
        return env

    def start(self, timeout: float = 90) -> None:
        if self.broker_url:
            import redis

            redis.Redis.from_url(self.broker_url).flushdb()
        # A session of its own, like a terminal's foreground job: Ctrl-C is SIGINT to the group.
        self.process = subprocess.Popen(
            ["bash", ".ci/start"],
            cwd=ROOT,
            env=self.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not (
            self.saw("worker.1", "ready.")
            and self.saw("urgent.1", "ready.")
            and self.saw("beat: Starting")
            and self.answers("/login/")
        ):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("the stack did not start:\n" + self.output())
            time.sleep(0.2)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def saw(self, *texts: str) -> bool:
        """Whether one line of output contains every text."""
        return any(all(text in line for text in texts) for line in self.lines)

    def output(self) -> str:
        return "".join(self.lines)

    def answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, timeout: float = 40) -> float:
        """Ctrl-C: SIGINT to the foreground group. Returns the seconds until everything exited."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        started = time.monotonic()
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        return time.monotonic() - started
