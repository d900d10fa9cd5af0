"""Every path the app uses, in one place.

The data directory holds the journal (``journal.db``), its backups and drafts; the config
directory holds ``config.toml``. Both can be moved with environment variables, which the
tests use so they never touch the real user's files:

* ``NETJOURNAL_DATA_DIR`` — data directory (default: platformdirs user data dir)
* ``NETJOURNAL_CONFIG_DIR`` — config directory (default: platformdirs user config dir)
* ``NETJOURNAL_DB`` — a database URL or file path (default: ``<data dir>/journal.db``)
"""
from __future__ import annotations

import os
from pathlib import Path

APP = "netjournal"


def data_dir() -> Path:
    env = os.environ.get("NETJOURNAL_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    env = os.environ.get("NETJOURNAL_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_db_path() -> Path:
    return data_dir() / "journal.db"


def backups_dir(db_file: Path | None = None) -> Path:
    """Backups live beside the journal they copy (in the data directory by default)."""
    base = db_file.parent if db_file is not None else data_dir()
    return base / "backups"


def drafts_dir() -> Path:
    return data_dir() / "drafts"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the user alone (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path


def private_file(path: Path) -> None:
    """Make an existing file readable by the user alone (0600)."""
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
