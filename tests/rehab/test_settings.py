"""Settings: production without SECRET_KEY fails clearly; with the documented variables, check --deploy is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_overrides: dict, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "SECRET_KEY", "DEBUG"))}
    env.update({"VAR_DIR": str(tmp_path)}, **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_stops_with_a_clear_message(tmp_path):
    result = _manage("check", env_overrides={"DEBUG": "false", "ALLOWED_HOSTS": "rehab.example.org"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_typo_in_a_boolean_setting_stops_the_start_up(tmp_path):
    result = _manage("check", env_overrides={"DEBUG": "flase"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_documented_production_variables_pass_check_deploy_without_warnings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "false",
            "SECRET_KEY": "x9" * 40 + "-production-like-secret-key-for-the-check",
            "ALLOWED_HOSTS": "rehab.example.org",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_url_selects_the_database(tmp_path):
    code = "from django.conf import settings; db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'])"
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/rehab_example"}
    result = _manage("shell", "--no-imports", "-c", code, env_overrides=env, tmp_path=tmp_path)
    # Django's PostgreSQL backend with a health check of our own (rehab/postgresql).
    assert result.stdout.split() == ["rehab.postgresql", "rehab_example"], result.stderr


def test_with_no_environment_the_broker_is_local_and_tasks_are_not_eager(tmp_path):
    code = "from rehab.celery import app; print(app.conf.broker_url, app.conf.task_always_eager)"
    env = dict.fromkeys(("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"), "")
    result = _manage("shell", "--no-imports", "-c", code, env_overrides=env, tmp_path=tmp_path)
    assert result.stdout.split() == ["filesystem://", "False"], result.stderr


def test_production_keeps_database_connections_and_checks_them(tmp_path):
    code = (
        "from django.conf import settings; db = settings.DATABASES['default']; "
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], settings.LOG_FORMAT)"
    )
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "rehab.example.org"}
    result = _manage("shell", "--no-imports", "-c", code, env_overrides=env, tmp_path=tmp_path)
    assert result.stdout.split() == ["600", "True", "json"], result.stderr


def test_on_postgresql_the_hot_statements_are_prepared_unless_turned_off(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['prepare_threshold'])"
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/never_connected"}
    default = _manage("shell", "--no-imports", "-c", code, env_overrides=url, tmp_path=tmp_path)
    assert default.stdout.split() == ["5"], default.stderr
    off = {**url, "DATABASE_PREPARE_THRESHOLD": "off"}
    assert _manage("shell", "--no-imports", "-c", code, env_overrides=off, tmp_path=tmp_path).stdout.split() == ["None"]
    typo = _manage("check", env_overrides={**url, "DATABASE_PREPARE_THRESHOLD": "fiv"}, tmp_path=tmp_path)
    assert typo.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD must be a whole number or off" in typo.stderr


def test_a_redis_broker_and_cache_give_up_on_a_silent_redis_after_a_few_seconds(tmp_path):
    code = (
        "from django.conf import settings; from rehab.celery import app; "
        "options = app.conf.broker_transport_options; cache = settings.CACHES['default']['OPTIONS']; "
        "print(options['socket_timeout'], options['socket_connect_timeout'], cache['socket_timeout'], "
        "cache['socket_connect_timeout'], settings.CACHE_RETRY_AFTER)"
    )
    env = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "CACHE_URL": "redis://127.0.0.1:6379/1"}
    result = _manage("shell", "--no-imports", "-c", code, env_overrides=env, tmp_path=tmp_path)
    # kombu and redis-py wait forever by default; tests/rehab/test_silent_redis.py shows what these buy.
    assert result.stdout.split() == ["3", "3", "1", "1", "5"], result.stderr
