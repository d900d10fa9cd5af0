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
    from netjournal import drafts

    old = os.umask(0o022)
    try:
        p = drafts.save("touch-new", f"draft with {NOTE}")
    finally:
        os.umask(old)
    assert mode(p) == 0o600 and mode(p.parent) == 0o700
    assert mode(data_dir) == 0o700 or not (data_dir / "journal.db").exists()
