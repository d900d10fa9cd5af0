"""Fixtures for the robustness suite (the plain helpers are in tests/robustness/helpers.py)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.robustness.helpers import EXE, Result, proc_env


@pytest.fixture
def data_dir() -> Path:
    return Path(os.environ["NETJOURNAL_DATA_DIR"])


@pytest.fixture
def journal(data_dir) -> Path:
    return data_dir / "journal.db"


@pytest.fixture
def nj():
    """Run the installed entry point: ``nj("log", "ada", ..., stdin=..., env=...)``. The timeout only
    stops a hung process; it is far above any run time, however loaded the machine."""
    if not EXE:
        pytest.skip("the netjournal console script is not installed")

    def run(*argv: str, stdin: str | None = None, env: dict | None = None, timeout: float = 600, **kw) -> Result:
        p = subprocess.run([EXE, *argv], input=stdin if stdin is not None else "", capture_output=True, text=True,
                           env=env or proc_env(), timeout=timeout, **kw)
        return Result(p.returncode, p.stdout, p.stderr)

    return run
