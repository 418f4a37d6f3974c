"""Integration: the production configuration passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, timeout: int = 120, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_passes_without_warnings_in_production_config():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 30 + "production-secret-0123456789-abcdefghij",
        ALLOWED_HOSTS="kompetensi.example.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_defaults_are_indonesian_jakarta_and_eager_tasks(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_collectstatic_works_with_production_storage(tmp_path):
    """The hashed-name storage fails on a file that references a missing one (e.g. a .map)."""
    result = _manage(
        "collectstatic",
        "--noinput",
        "-v0",
        # Compressing every file (brotli, gzip) takes ~45 s of CPU; more on a busy machine.
        timeout=600,
        DEBUG="false",
        SECRET_KEY="x" * 50,
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
