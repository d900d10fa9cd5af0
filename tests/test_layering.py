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


# --------------------------------------------------------------------------- the store is the only door

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

PKG = Path(netjournal.__file__).parent
_TABLE_LIBS = ("sqlalchemy", "sqlmodel")

# formats/ read bytes into plain records and write plain read objects out. From the store they
# may use the plain record types (store.read) and the pure cleaning rules (store.validate: no
# SQL). The writers (vcard, ical, markdown) take plain objects. The pairs below are the ones that
# still call a store function themselves (the importer runs its plan inside the store's
# transaction; the backup runs through store.backups; `exporting.export` loads what a writer
# needs through store.export). The list may only shrink: a new pair fails the test, and so
# does a pair that is gone (take it off the list).
FORMATS_MAY_IMPORT = {"netjournal.store.read", "netjournal.store.validate"}
FORMATS_KNOWN_CALLERS = {
    ("backup.py", "netjournal.store.backups"), ("backup.py", "netjournal.store.maintenance"),
    ("backup.py", "netjournal.store.schema"), ("exporting.py", "netjournal.store.export"),
    ("importing.py", "netjournal.store.imports"),
}


def _store_imports(tree: ast.AST) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) for every import of a netjournal.store module, and of the table
    libraries; ``from netjournal.store import api`` gives module netjournal.store.api."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in ("netjournal.store", "netjournal"):
                out += [(node.lineno, f"{node.module}.{a.name}", []) for a in node.names]
            else:
                out.append((node.lineno, node.module, [a.name for a in node.names]))
    return out


def layering_violations(source: str, where: str, *, in_formats: bool = False) -> list[str]:
    """What a module outside netjournal/store may not do: import SQLAlchemy/SQLModel or the
    table models, or use a store module's private name (``api._x``, ``from …store.x import _y``);
    in formats/, import store modules other than the plain ones."""
    tree = ast.parse(source)
    bad: list[str] = []
    store_names: set[str] = set()  # local names bound to a store module (api, links, …)
    for line, mod, names in _store_imports(tree):
        if mod.split(".")[0] in _TABLE_LIBS:
            bad.append(f"{where}:{line}: imports {mod}")
        if mod == "netjournal.store.models" or mod.startswith("netjournal.store.models."):
            bad.append(f"{where}:{line}: imports the table models ({mod})")
        if mod.startswith("netjournal.store."):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                bad.append(f"{where}:{line}: imports private store name(s) {private} from {mod}")
            if in_formats and mod not in FORMATS_MAY_IMPORT and (Path(where).name, mod) not in FORMATS_KNOWN_CALLERS:
                bad.append(f"{where}:{line}: formats/ imports {mod} (only plain records: store.read, store.validate)")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "netjournal.store":
            store_names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            store_names.update(a.asname for a in node.names if a.asname and a.name.startswith("netjournal.store."))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in store_names
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            bad.append(f"{where}:{node.lineno}: uses private store name {node.value.id}.{node.attr}")
    return bad


def test_the_layering_check_finds_planted_violations():
    planted = (
        "import sqlalchemy as sa\n"
        "from sqlmodel import select\n"
        "from netjournal.store.models import Contact\n"
        "from netjournal.store import models\n"
        "from netjournal.store.contacts import _secret\n"
        "def f(db):\n"
        "    from netjournal.store import api\n"
        "    return api._clean_handle('email', 'a@b.c')\n"
    )
    bad = layering_violations(planted, "netjournal/tui/planted.py")
    assert len(bad) == 6, bad
    assert any("sqlalchemy" in b for b in bad) and any("sqlmodel" in b for b in bad)
    assert sum("table models" in b for b in bad) == 2
    assert any("_secret" in b for b in bad) and any("api._clean_handle" in b for b in bad)
    clean = ("from netjournal.store import api\nfrom netjournal.store.read import Ref\n"
             "def f(db):\n    return api.add_contact(db, name='Ada'), api.__name__\n")
    assert layering_violations(clean, "netjournal/cli/ok.py") == []
    # formats/: a store module that is not a plain one, outside the known list
    assert layering_violations("from netjournal.store import links\n", "netjournal/formats/new.py", in_formats=True)
    assert not layering_violations("from netjournal.store.read import Ref\nfrom netjournal.store import validate\n",
                                   "netjournal/formats/new.py", in_formats=True)


def test_nothing_outside_the_store_touches_tables_or_private_store_names():
    files = [p for p in PKG.rglob("*.py") if "store" not in p.relative_to(PKG).parts[:1]]
    assert any(p.parts[-3:] == ("tui", "screens", "today.py") for p in files)  # the TUI is checked too
    assert any(p.parent.name == "formats" for p in files) and any(p.parent.name == "cli" for p in files)
    bad = []
    for p in files:
        rel = p.relative_to(PKG.parent).as_posix()
        bad += layering_violations(p.read_text(encoding="utf-8"), rel, in_formats=p.parent.name == "formats")
    assert bad == [], "\n".join(bad)


def test_the_formats_known_callers_list_only_shrinks():
    used = set()
    for p in (PKG / "formats").glob("*.py"):
        for _line, mod, _names in _store_imports(ast.parse(p.read_text(encoding="utf-8"))):
            if mod.startswith("netjournal.store.") and mod not in FORMATS_MAY_IMPORT:
                used.add((p.name, mod))
    assert FORMATS_KNOWN_CALLERS <= used, f"take off the list, they are gone: {FORMATS_KNOWN_CALLERS - used}"
