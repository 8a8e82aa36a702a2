"""The web and worker processes tune the garbage collector once ready (rehab/process_tuning.py)."""

import gc
import runpy
from pathlib import Path

from celery.signals import worker_process_init

import rehab.celery as celery_module
from rehab.process_tuning import THRESHOLDS, tune_garbage_collector

ROOT = Path(__file__).resolve().parents[2]


def test_tuning_freezes_what_is_alive_and_examines_the_oldest_generation_less_often():
    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_threshold() == THRESHOLDS
        assert THRESHOLDS[2] > 10  # CPython's default: the point is to walk the long-lived objects less
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_gunicorn_tunes_the_loaded_app_before_each_fork(monkeypatch):
    called = []
    monkeypatch.setattr("rehab.process_tuning.tune_garbage_collector", lambda: called.append(True))
    conf = runpy.run_path(str(ROOT / "rehab" / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    conf["pre_fork"](server=None, worker=None)
    assert called == [True]


def test_each_celery_pool_process_is_tuned_once_forked(monkeypatch):
    # Not sent here: Celery's own Django fix-up also listens and would close this test's connections.
    receivers = [found() for _key, found in worker_process_init.receivers]
    assert celery_module._tune_garbage_collector in receivers
    called = []
    monkeypatch.setattr("rehab.process_tuning.tune_garbage_collector", lambda: called.append(True))
    celery_module._tune_garbage_collector()
    assert called == [True]
