"""$EDITOR is started without a shell: spaces, quotes and `;` in paths are never interpreted."""
from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

from netjournal.tui.external_editor import edit_text

FAKE_EDITOR = """import json, sys
args = sys.argv[1:]
with open({log!r}, "a") as fh:
    fh.write(json.dumps(args) + "\\n")
path = args[-1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text + "\\nedited")
"""


def test_editor_gets_the_file_as_one_argument(tmp_path, monkeypatch):
    log = tmp_path / "argv.log"
    script = tmp_path / "fake editor.py"
    script.write_text(FAKE_EDITOR.format(log=str(log)))
    hostile = tmp_path / "data; touch PWNED 'x' $(id)"
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(hostile))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" "{script}" --flag')
    monkeypatch.chdir(tmp_path)
    out = edit_text("meeting notes")
    assert out == "meeting notes\nedited"
    args = json.loads(log.read_text().splitlines()[0])
    assert args[0] == "--flag" and len(args) == 2
    edited = Path(args[1])
    assert edited.parent == hostile / "drafts" and not edited.exists()  # removed afterwards
    assert not (tmp_path / "PWNED").exists()
    assert stat.S_IMODE(os.stat(hostile / "drafts").st_mode) == 0o700


def test_editor_temp_file_is_private(tmp_path, monkeypatch):
    seen = tmp_path / "mode.txt"
    script = tmp_path / "mode.py"
    script.write_text(f"import os, stat, sys\nopen({str(seen)!r}, 'w').write(oct(stat.S_IMODE(os.stat(sys.argv[1]).st_mode)))\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    assert edit_text("secret") == "secret"
    assert seen.read_text() == "0o600"
