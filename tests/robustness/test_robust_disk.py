"""Full disk and read-only journals: a clear one-line message (exit 2), and the journal as it
was (same rows, integrity ok), writable again once there is room.

As root the data directory goes on a small tmpfs (2 MB) that is then filled, or on a
read-only bind mount; without root those variants skip, and the always-on variants use
RLIMIT_FSIZE (the kernel refuses to grow files) and chmod."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
from pathlib import Path

import pytest

from tests.robustness.helpers import EXE, Result, assert_one_line_error, integrity, proc_env, snapshot

BIG_NOTE = "n" * 300_000


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mnt)):
        pytest.skip("needs root and tmpfs to make a small disk")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(path: Path, leave: int = 0) -> Path:
    """Fill the filesystem at ``path`` until ENOSPC, then free ``leave`` bytes."""
    filler = path / "filler"
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\1" * 4096)
        except OSError:
            pass
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def _run(argv, data: Path, stdin: str = "", **kw) -> Result:
    env = proc_env(NETJOURNAL_DATA_DIR=str(data))
    p = subprocess.run([EXE, *argv], input=stdin, capture_output=True, text=True, env=env, timeout=600, **kw)
    return Result(p.returncode, p.stdout, p.stderr)


def _seed(data: Path) -> Path:
    assert _run(["add", "Ada", "Disk"], data).code == 0
    assert _run(["log", "ada", "-c", "call", "--no-stdin", "before the disk filled"], data).code == 0
    return data / "journal.db"


WRITES = [
    ["log", "ada", "-c", "call", "--notes", "-", "big notes"],
    ["add", "Bob", "Full", "--about", "-"],
    ["journal", "-"],
    ["followup", "add", "ada", "coffee", "--agenda", "-"],
]


@pytest.mark.parametrize("leave", [0, 64 * 1024], ids=["full-before", "fills-during"])
def test_full_disk_gives_a_clear_message_and_keeps_the_journal(tmpfs, leave):
    data = tmpfs / "data"
    db = _seed(data)
    before = snapshot(db)
    filler = _fill(tmpfs, leave)
    for argv in WRITES:
        r = _run(argv, data, stdin=BIG_NOTE)
        assert_one_line_error(r)
        assert "disk is full" in r.err, r.err
    filler.unlink()
    assert integrity(db) == ["ok"]
    assert snapshot(db) == before
    r = _run(["log", "ada", "-c", "call", "--notes", "-", "after there is room"], data, stdin=BIG_NOTE)
    assert r.code == 0, r.err


def _limit_file_size(limit: int):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def test_file_size_limit_gives_a_clear_message_and_keeps_the_journal(data_dir, journal):
    """No mount needed: the kernel refuses to grow any file past 200 KB (EFBIG)."""
    _seed(data_dir)
    before = snapshot(journal)
    r = _run(WRITES[0], data_dir, stdin=BIG_NOTE, preexec_fn=_limit_file_size(200 * 1024))
    assert_one_line_error(r)
    assert "nothing was written" in r.err, r.err
    assert integrity(journal) == ["ok"]
    assert snapshot(journal) == before
    assert _run(WRITES[0], data_dir, stdin=BIG_NOTE).code == 0


@pytest.fixture
def ro_mount(tmp_path):
    """``(writable, readonly)``: the same directory, and a read-only bind mount of it."""
    src, dst = tmp_path / "rw", tmp_path / "ro"
    src.mkdir(mode=0o700)
    dst.mkdir(mode=0o700)
    if os.geteuid() != 0 or not _mount("--bind", str(src), str(dst)):
        pytest.skip("needs root to bind-mount")
    try:
        if not _mount("-o", "remount,ro,bind", str(dst)):
            pytest.skip("cannot remount read-only")
        yield src, dst
    finally:
        subprocess.run(["umount", "-l", str(dst)], capture_output=True)


def test_read_only_filesystem(ro_mount):
    rw, ro = ro_mount
    db = _seed(rw / "data")
    before = snapshot(db)
    for argv in WRITES:
        r = _run(argv, ro / "data", stdin="some notes")
        assert_one_line_error(r)
        assert "read-only" in r.err, r.err
    # reading still works (or fails with one clear line), and nothing changed
    r = _run(["list"], ro / "data")
    assert r.code == 0 and "Ada Disk" in r.out or (r.code == 2 and r.err.count("\n") == 1), r
    assert snapshot(db) == before and integrity(db) == ["ok"]


def test_read_only_file(data_dir, journal, tmp_path):
    """chmod 0400 (as root, permissions do not stop writes: then a read-only copy is opened by URL)."""
    db = _seed(data_dir)
    before = snapshot(db)
    os.chmod(db, 0o400)
    os.chmod(data_dir, 0o500)
    try:
        if os.geteuid() == 0:
            pytest.skip("root ignores file permissions (the bind-mount test covers root)")
        for argv in WRITES:
            r = _run(argv, data_dir, stdin="some notes")
            assert_one_line_error(r)
        assert snapshot(db) == before
    finally:
        os.chmod(data_dir, 0o700)
        os.chmod(db, 0o600)
