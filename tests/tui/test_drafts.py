"""netjournal.tui.drafts: atomic, private, offered back, removed once saved; and import hygiene."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta

from netjournal import paths
from netjournal.tui import drafts


def test_save_load_private_and_atomic(nj_env):
    p = drafts.save("journal-2026-11-24", "first")
    assert p.parent == paths.drafts_dir()
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(p.parent).st_mode) == 0o700
    drafts.save("journal-2026-11-24", "second")
    assert drafts.load("journal-2026-11-24").text == "second"
    assert [x.name for x in p.parent.iterdir()] == [p.name]  # no temporary files left behind


def test_failed_write_keeps_previous_draft(nj_env, monkeypatch):
    drafts.save("k", "previous text")

    def boom(*a, **k):
        raise OSError("disk full")

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", boom)
        try:
            drafts.save("k", "new text")
        except OSError:
            pass
    assert drafts.load("k").text == "previous text"
    assert len(list(paths.drafts_dir().iterdir())) == 1


def test_pending_only_when_different_and_newer(nj_env):
    assert drafts.pending("x", "saved") is None
    drafts.save("x", "saved")
    assert drafts.pending("x", "saved") is None  # same as saved: removed
    assert drafts.load("x") is None
    drafts.save("x", "typed more")
    assert drafts.pending("x", "saved").text == "typed more"
    assert drafts.pending("x", "saved", saved_at=datetime.now() + timedelta(minutes=5)) is None
    drafts.discard("x")
    assert drafts.pending("x", "saved") is None


def test_keys_are_file_safe():
    assert drafts.key_for("followup", 12, "meeting notes") == "followup-12-meeting_notes"
    assert "/" not in drafts.key_for("../../etc/passwd")


def test_kill_while_saving_leaves_previous_text(nj_env, tmp_path):
    """A process killed in the middle of writing leaves the old draft whole."""
    drafts.save("big", "old")
    code = (
        "import os, signal\n"
        "from netjournal.tui import drafts\n"
        "real = os.replace\n"
        "def die(*a, **k): os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.replace = die\n"
        "drafts.save('big', 'new' * 100000)\n"
    )
    env = dict(os.environ)
    subprocess.run([sys.executable, "-c", code], env=env, cwd=os.getcwd())
    assert drafts.load("big").text == "old"


def test_core_modules_do_not_import_textual():
    code = ("import sys, netjournal.tui.drafts, netjournal.store.insights, netjournal.tui, netjournal.fuzzy;"
            "assert 'textual' not in sys.modules, 'textual imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
