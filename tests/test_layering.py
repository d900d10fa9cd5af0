"""The arrows run one way: nothing below netjournal/tui imports Textual, and the CLI imports
the TUI only when the TUI is opened."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import netjournal


def _modules() -> list[str]:
    names = []
    for m in pkgutil.walk_packages(netjournal.__path__, "netjournal."):
        if m.name.startswith("netjournal.tui") or ".migrations" in m.name:
            continue
        names.append(m.name)
    return sorted(names)


def test_no_module_outside_tui_imports_textual():
    mods = _modules()
    assert "netjournal.cli" in mods and "netjournal.store.api" in mods and "netjournal.engine.core" in mods
    code = ("import importlib, sys\n"
            f"for m in {mods!r}:\n"
            "    importlib.import_module(m)\n"
            "    assert not any(k == 'textual' or k.startswith('textual.') for k in sys.modules), m\n"
            "print('ok')")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr


def test_cli_commands_do_not_load_the_tui(tmp_path):
    from netjournal.cli import main

    assert main(["--db", str(tmp_path / "j.db"), "add", "Ada"]) == 0
    code = ("import sys; from netjournal.cli import main; "
            f"assert main(['--db', {str(tmp_path / 'j.db')!r}, 'log', 'ada', '-c', 'call', '--no-stdin']) == 0; "
            "print(sorted(k for k in sys.modules if k.startswith(('textual', 'netjournal.tui', 'alembic', 'rapidfuzz'))))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    loaded = p.stdout.strip().splitlines()[-1]
    assert "textual" not in loaded and "netjournal.tui" not in loaded
    assert "rapidfuzz" not in loaded  # an exact name needs no fuzzy matching
    assert "alembic" not in loaded  # the schema is current: no migration machinery


def test_engine_is_pure_standard_library():
    code = ("import sys; import netjournal.engine as e; e.build_queue; e.RelationshipState; "
            "import netjournal.engine.replay; "
            "bad = [k for k in sys.modules if k.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'textual', 'pydantic')]; "
            "print(bad)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.strip() == "[]", p.stdout + p.stderr
