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


def _describe_owner(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def check_private(path: Path, *, what: str) -> None:
    """Refuse (``UserError``, one line) a journal file or folder another user could read or
    replace: not owned by the user, or group/world-writable even after our chmod. A folder
    owned by root with the sticky bit (``/tmp``) is fine: nobody can swap another's file there,
    and a journal planted before ours fails the owner check on the file itself."""
    from netjournal.errors import UserError

    if not hasattr(os, "geteuid"):
        return  # Windows: ACLs, not modes
    try:
        st = os.stat(path)
    except OSError:
        return
    me = os.geteuid()
    import stat as _stat

    sticky_root = _stat.S_ISDIR(st.st_mode) and st.st_uid == 0 and st.st_mode & _stat.S_ISVTX
    if st.st_uid != me and not sticky_root:
        raise UserError(f"refusing to use {what} {path}: it belongs to {_describe_owner(st.st_uid)}, not you "
                        "(another user could read or change your journal)")
    if st.st_mode & (_stat.S_IWGRP | _stat.S_IWOTH) and not sticky_root:
        raise UserError(f"refusing to use {what} {path}: other users can write to it and it cannot be made "
                        "private (chmod 700 the folder, 600 the file)")
