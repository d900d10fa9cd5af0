"""The whole chain: netjournal <-> vdir <-> vdirsyncer <-> a CardDAV server (Radicale) <->
vdirsyncer <-> a second folder standing in for the phone.

Radicale is started by the test on 127.0.0.1 (a free port, storage in tmp_path, any login) and
stopped at the end. Skipped with the reason when radicale or vdirsyncer is not installed."""
from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netjournal.cli import main
from netjournal.store import api
from netjournal.store.db import open_database

from tests.sync.conftest import BOOK

for _mod in ("radicale", "vdirsyncer"):
    if importlib.util.find_spec(_mod) is None:
        pytest.skip(f"{_mod} is not installed (pip install -e '.[test]')", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    store = tmp_path / "radicale"
    book = store / "collection-root" / "alice" / "book"
    book.mkdir(parents=True)
    (book / ".Radicale.props").write_text('{"tag": "VADDRESSBOOK"}')
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(store), "--auth-type", "none", "--rights-type", "authenticated",
         "--logging-level", "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:   # wait until it accepts connections (or died)
            if proc.poll() is not None:
                pytest.fail("radicale did not start: " + proc.stderr.read().decode()[-500:])
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("radicale did not open its port within 60 s")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/alice/book/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _vdirsyncer(conf: Path, *args: str) -> None:
    p = subprocess.run([sys.executable, "-m", "vdirsyncer", "-c", str(conf), *args], capture_output=True,
                       text=True, input="y\n" * 5, timeout=180)
    assert p.returncode == 0, p.stdout + p.stderr


def _conf(tmp_path: Path, url: str, book: Path, phone: Path) -> Path:
    conf = tmp_path / "vdirsyncer.conf"
    pairs = []
    for name, folder in (("book", book), ("phone", phone)):
        pairs.append(f'''
[pair {name}]
a = "{name}_local"
b = "{name}_remote"
collections = null
conflict_resolution = "a wins"

[storage {name}_local]
type = "filesystem"
path = "{folder}/"
fileext = ".vcf"

[storage {name}_remote]
type = "carddav"
url = "{url}"
username = "alice"
password = "secret"
''')
    conf.write_text(f'[general]\nstatus_path = "{tmp_path / "status"}/"\n' + "".join(pairs))
    return conf


def test_round_trip_through_a_carddav_server(server, tmp_path):
    book, phone = tmp_path / "book", tmp_path / "phone"
    shutil.copytree(BOOK, book)
    phone.mkdir()
    conf = _conf(tmp_path, server, book, phone)
    url = "sqlite:///" + str(tmp_path / "j.db")
    db = open_database(url)
    try:
        api.add_contact(db, name="Ada Lovelace", handles=[("email", "ada@example.org")], tags=["math"])
        assert main(["--db", url, "sync", "vdir", str(book)]) == 0
        _vdirsyncer(conf, "discover")
        _vdirsyncer(conf, "sync", "book")
        _vdirsyncer(conf, "sync", "phone")
        ada_file = next(p for p in phone.iterdir() if "FN:Ada Lovelace" in p.read_text())
        assert "EMAIL:ada@example.org" in ada_file.read_text()
        # edited on the "phone": back through the server into the journal
        mira = phone / "5b0f2c1e-7d1a-4c8e-9a55-0c2b8e4f1a01.vcf"
        if not mira.exists():
            mira = next(p for p in phone.iterdir() if "FN:Mira Okafor" in p.read_text())
        mira.write_text(mira.read_text().replace("TITLE:Lead engineer", "TITLE:CTO"))
        _vdirsyncer(conf, "sync", "phone")
        _vdirsyncer(conf, "sync", "book")
        assert main(["--db", url, "sync", "vdir", str(book)]) == 0
        m = api.get_contact(db, next(c.id for c in api.list_contacts(db) if c.name == "Mira Okafor"))
        assert m.role == "CTO"
        # edited in the journal: out through the server onto the "phone", foreign lines intact
        api.save_contact(db, m.id, fields={"company": "Tidewater"})
        assert main(["--db", url, "sync", "vdir", str(book)]) == 0
        _vdirsyncer(conf, "sync", "book")
        _vdirsyncer(conf, "sync", "phone")
        lines = mira.read_text().splitlines()
        for keep in ("ORG:Tidewater;Research", "TITLE:CTO", "PHOTO;VALUE=uri:http://localhost/mira.jpg",
                     "X-CUSTOM-THING;X-PARAM=1:keep me"):
            assert keep in lines
    finally:
        db.dispose()
