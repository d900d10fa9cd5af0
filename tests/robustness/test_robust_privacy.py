"""Privacy: the data directory is 0700; the journal (and its -wal/-shm), backups, drafts and
exports are 0600 whatever the umask; no user text lands in any other file, and successful
commands do not echo notes on stderr."""
from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from pathlib import Path

from tests.robustness.helpers import EXE, proc_env

SECRET = "Qx7-secret-Zebulon"          # in names and titles
NOTE = "Qx7-private-note-Marigold"     # in notes, journal text, agendas


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _run(argv, env, stdin=""):
    p = subprocess.run([EXE, *argv], input=stdin, capture_output=True, text=True, env=env, timeout=600,
                       preexec_fn=lambda: os.umask(0o022))   # a typical, permissive umask
    return p


def test_modes_and_no_leaks(tmp_path, data_dir, journal):
    home = tmp_path / "home"
    home.mkdir()
    env = proc_env(HOME=str(home), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    exports = tmp_path / "exports"
    exports.mkdir()
    session = [
        ["add", SECRET, "--about", NOTE, "--email", "zeb@example.com"],
        ["log", SECRET, "-c", "call", "--notes", NOTE, "--json", f"summary {NOTE}"],
        ["log", SECRET, "-c", "email", "--notes", "-", "piped"],
        ["followup", "add", SECRET, "coffee", "--agenda", NOTE, "--due", "2026-12-02"],
        ["journal", f"met @{SECRET.split('-')[0]} {NOTE}"],
        ["search", NOTE], ["show", SECRET], ["due", "--all", "--why"], ["list"], ["followup", "list"],
        ["export", "json", "-o", str(exports / "all.json")],
        ["export", "markdown", "-o", str(exports / "all.md")],
        ["export", "vcard", "-o", str(exports / "all.vcf")],
        ["export", "ical", "-o", str(exports / "all.ics")],
        ["backup"],
        ["doctor"],
    ]
    for argv in session:
        p = _run(argv, env, stdin=NOTE)
        assert p.returncode == 0, (argv, p.stderr)
        assert NOTE not in p.stderr, (argv, p.stderr)

    # modes
    assert mode(data_dir) == 0o700
    assert mode(journal) == 0o600
    backups = list((data_dir / "backups").iterdir())
    assert backups and mode(data_dir / "backups") == 0o700
    assert all(mode(b) == 0o600 for b in backups), [(b, oct(mode(b))) for b in backups]
    for f in exports.iterdir():
        assert mode(f) == 0o600, (f, oct(mode(f)))

    # no user text anywhere but where the user put it
    allowed = {journal, Path(f"{journal}-wal"), Path(f"{journal}-shm"), *backups, *exports.iterdir()}
    leaks = []
    for root in (data_dir, Path(os.environ["NETJOURNAL_CONFIG_DIR"]), home, tmp_path / "tmp",
                 Path(os.environ["XDG_DATA_HOME"]), Path(os.environ["XDG_CONFIG_HOME"])):
        if not root.exists():
            continue
        for f in root.rglob("*"):
            if f.is_file() and f not in allowed:
                blob = f.read_bytes()
                if SECRET.encode() in blob or NOTE.encode() in blob:
                    leaks.append(f)
    assert not leaks, leaks


def test_existing_loose_files_are_tightened(data_dir, journal, nj):
    assert nj("add", "Loose", "Perms").code == 0
    os.chmod(journal, 0o644)
    os.chmod(data_dir, 0o755)
    assert nj("list").code == 0
    assert mode(journal) == 0o600
    assert mode(data_dir) == 0o700


def test_wal_and_shm_are_private_while_open(data_dir, journal, nj):
    assert nj("add", "Open", "Journal").code == 0
    old = os.umask(0o022)
    con = sqlite3.connect(journal)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("UPDATE contact SET about = 'x'")
        con.commit()
        for suffix in ("-wal", "-shm"):
            f = Path(f"{journal}{suffix}")
            assert f.exists() and mode(f) == 0o600, (f, oct(mode(f)))
    finally:
        con.close()
        os.umask(old)


def test_drafts_are_private(data_dir):
    from netjournal.tui import drafts

    old = os.umask(0o022)
    try:
        p = drafts.save("touch-new", f"draft with {NOTE}")
    finally:
        os.umask(old)
    assert mode(p) == 0o600 and mode(p.parent) == 0o700
    assert mode(data_dir) == 0o700 or not (data_dir / "journal.db").exists()


# ------------------------------------------------------------------ someone else's folder (issue 13)

OTHER_UID = 54321  # no such user here: "another user" (the tests run as root, who can chown)


def _skip_unless_root():
    import pytest

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to give a folder to another uid")


def _refused(r, path_word: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.count("\n") == 1 and "refusing to use" in r.stderr and path_word in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_data_dir_symlinked_into_another_users_world_writable_folder(tmp_path):
    """The attack: the data directory is a symlink into another user's world-writable folder
    that holds a planted journal. Nothing is written there and nothing is read from it."""
    _skip_unless_root()
    trap = tmp_path / "other-user" / "shared"
    trap.mkdir(parents=True)
    env = proc_env(NETJOURNAL_DATA_DIR=str(trap), NETJOURNAL_CONFIG_DIR=str(tmp_path / "cfg"))
    assert _run(["add", "Planted", "Person"], env).returncode == 0     # the other user's journal
    for p in (trap / "journal.db", trap):
        os.chown(p, OTHER_UID, OTHER_UID)
    os.chmod(trap, 0o777)
    before = (trap / "journal.db").read_bytes()
    link = tmp_path / "mine"
    link.symlink_to(trap, target_is_directory=True)
    env = proc_env(NETJOURNAL_DATA_DIR=str(link), NETJOURNAL_CONFIG_DIR=str(tmp_path / "cfg"))
    _refused(_run(["log", "Planted", "-c", "call", "--no-stdin", "-n", NOTE, "secret"], env), "folder")
    _refused(_run(["list"], env), "folder")
    assert (trap / "journal.db").read_bytes() == before
    assert mode(trap) == 0o777 and (trap / "journal.db").stat().st_uid == OTHER_UID  # not even chmod-ed


def test_a_planted_journal_in_my_folder_is_refused(tmp_path):
    _skip_unless_root()
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    env = proc_env(NETJOURNAL_DATA_DIR=str(mine), NETJOURNAL_CONFIG_DIR=str(tmp_path / "cfg"))
    assert _run(["add", "Planted", "Person"], env).returncode == 0
    os.chown(mine / "journal.db", OTHER_UID, OTHER_UID)
    _refused(_run(["log", "Planted", "--no-stdin", "hello"], env), "belongs to uid")
    r = _run(["--db", str(mine / "journal.db"), "list"], env)
    _refused(r, "belongs to uid")


def test_a_world_writable_folder_that_cannot_be_made_private(tmp_path, monkeypatch, capsys):
    """--db in a folder of mine that others can write to and whose chmod fails (a filesystem
    without modes, say): refused, instead of the old silently swallowed chmod failure."""
    from netjournal.cli import main

    loose = tmp_path / "loose"
    loose.mkdir()
    os.chmod(loose, 0o777)
    real_chmod = os.chmod

    def failing_chmod(path, mode_, *a, **kw):
        if Path(path).parent == loose or Path(path) == loose:
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_chmod(path, mode_, *a, **kw)

    monkeypatch.setattr(os, "chmod", failing_chmod)
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(loose))
    code = main(["add", "Ada", "Private"])
    err = capsys.readouterr().err
    assert code == 2 and "refusing to use" in err and "other users can write" in err and err.count("\n") == 1
    assert not (loose / "journal.db").exists()
    code = main(["--db", str(loose / "x.db"), "add", "Ada", "Private"])
    err = capsys.readouterr().err
    assert code == 2 and "other users can write" in err
    assert not (loose / "x.db").exists()


def test_tmp_like_sticky_folders_still_work(tmp_path):
    """A root-owned sticky world-writable folder (like /tmp) is not refused: nobody can swap
    the user's file there, and a planted one fails the owner check."""
    _skip_unless_root()
    sticky = tmp_path / "tmpish"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    env = proc_env(NETJOURNAL_CONFIG_DIR=str(tmp_path / "cfg"))
    r = _run(["--db", str(sticky / "j.db"), "add", "Ada", "Tmp"], env)
    assert r.returncode == 0, r.stderr
    assert mode(sticky / "j.db") == 0o600
