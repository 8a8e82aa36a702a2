"""A real Celery worker in a thread of the test process, on the configured broker.

On the embedded defaults that is kombu's filesystem transport (pointed at a temporary
folder); in CI it is Redis. Tests using it need a transactional database, since the worker
reads what the test committed.
"""

import contextlib
import faulthandler
import socket
import sys
import threading
import time
from contextlib import ExitStack, contextmanager

from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from kombu import pools
from kombu.asynchronous import set_event_loop

from rehab.celery import app as celery_app

# As in the Procfile: the general worker takes every queue (urgent work too, when it has a free
# slot); the urgent worker takes only the "urgent" queue, so emails never stand in front of it.
GENERAL_QUEUES = ["celery", "urgent"]
URGENT_QUEUES = ["urgent"]


@contextmanager
def running_worker(tmp_path, *, urgent_worker: bool = False):
    """A general worker (both queues); with urgent_worker, a second one on the urgent queue only."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, dict(conf.broker_transport_options or {}))
    if conf.broker_url.startswith("filesystem://"):
        queue = tmp_path / "queue"
        queue.mkdir()
        (tmp_path / "processed").mkdir()
        (tmp_path / "control").mkdir()
        conf.broker_transport_options = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(tmp_path / "processed"),
            "control_folder": str(tmp_path / "control"),
        }
    conf.task_always_eager = False
    reset_broker_connections()
    before = set(threading.enumerate())
    try:
        with ExitStack() as workers:
            started_workers = [workers.enter_context(_worker("general", GENERAL_QUEUES))]
            if urgent_worker:
                started_workers.append(workers.enter_context(_worker("urgent", URGENT_QUEUES)))
            hubs = {id(worker.hub) for worker in started_workers if worker.hub is not None}
            assert len(hubs) == len([worker for worker in started_workers if worker.hub is not None]), (
                "two workers share one event loop (see _worker)"
            )
            started = [thread for thread in threading.enumerate() if thread not in before]  # the workers'
            try:
                yield
            finally:
                _stop_together(started)
    finally:
        conf.task_always_eager, conf.broker_transport_options = saved[0], saved[1]
        reset_broker_connections()


@contextmanager
def _worker(name: str, queues: list[str]):
    """One worker with its own event loop. kombu keeps the current loop in a module global and a new
    worker takes the one it finds there: the second worker of a test then ran its Redis sockets on the
    first worker's loop from another thread. Two threads driving one loop lost broker replies (each
    worker left blocked reading a reply the other had taken, with no timeout: the follow-ups of
    test_a_burst_of_red_flags never delivered, and neither worker could stop, CI 2026-12-01; the stack
    dump below showed both threads in kombu's brpop read). In production each worker is a process."""
    set_event_loop(None)
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        # A worker finishes the task in hand before it stops; on a loaded machine that task (a PDF by
        # email, say) can take longer than celery's 10 s default, and the test would fail for it.
        shutdown_timeout=60,
        loglevel="WARNING",
        queues=queues,
        hostname=f"{name}@tests",
    ) as worker:
        yield worker


def _stop_together(threads: list[threading.Thread], timeout: float = 120.0) -> None:
    """Tell every worker of this test to stop at once and wait for all of them, before celery's own
    context managers stop them one after the other (which then find them stopped).

    The workers of one process share celery.worker.state: stopping one sets the flag every worker
    reads, and celery's helper clears it again once that one has stopped, while the other may still be
    finishing its task. Under CI's load the urgent worker sometimes did not stop within the helper's
    timeout; should that happen here, the stacks of the threads still running are written to stderr,
    so the log says where they wait."""
    worker_state.should_terminate = 0
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread for thread in threads if thread.is_alive()]
    if stuck:
        print(f"worker threads still running after {timeout:.0f} s: {[t.name for t in stuck]}", file=sys.stderr)
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)


def purge_queues() -> None:
    """Drop whatever a test left queued, so the next test's worker does not run it."""
    with celery_app.connection_for_write() as connection:
        for name in GENERAL_QUEUES:
            # A queue never declared on this broker has nothing to drop.
            with contextlib.suppress(Exception):
                connection.default_channel.queue_purge(name)


@contextmanager
def broker_outage(url: str = "redis://127.0.0.1:9/0"):
    """Point publishing at `url` (a closed port unless told), with eager mode off, as if Redis had gone away."""
    conf = celery_app.conf
    saved = (conf.broker_write_url, conf.task_always_eager)
    # The write URL is what publishing uses; it overrides the broker URL set from the environment.
    conf.broker_write_url, conf.task_always_eager = url, False
    reset_broker_connections()
    try:
        yield
    finally:
        conf.broker_write_url, conf.task_always_eager = saved
        reset_broker_connections()


@contextmanager
def silent_server():
    """The port of a server that accepts connections, takes what is sent and never answers: a Redis
    behind a network flow dropped without a reset (the connection stays open, no reply comes)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(connection)  # kept open and never read or answered

    thread = threading.Thread(target=accept, name="silent-server", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


def finished_within(seconds: float, call):
    """call() in a thread; its result, or a failure if it is still running after `seconds` (it hung)."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test below
            outcome["error"] = error
        finally:
            from django.db import connection

            connection.close()  # the thread's own database connection

    thread = threading.Thread(target=run, name="bounded-call", daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s: it hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def reset_broker_connections():
    """Drop pooled connections so the next publish uses the broker settings now configured."""
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_for(condition, timeout: float = 20.0, interval: float = 0.1):
    """Poll until condition() is truthy; return its value or fail with the last one."""
    deadline = time.monotonic() + timeout
    value = condition()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = condition()
    assert value, "the worker did not produce the expected outcome in time"
    return value
