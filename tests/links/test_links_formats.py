"""Links in backup/restore, the JSON export and vCard export (RELATED, X-ABRELATEDNAMES)."""
from __future__ import annotations

import json
from datetime import date

from netjournal.formats.backup import backup, restore
from netjournal.formats.exporting import export
from netjournal.store import api, links

TODAY = date(2026, 11, 30)


def _linked(db):
    ada = api.add_contact(db, name="Ada Lovelace").id
    byron = api.add_contact(db, name="Byron").id
    mary = api.add_contact(db, name="Mary, Somerville").id
    t = api.log_touch(db, contact_ids=[ada, mary], channel="in_person", day=date(2025, 3, 1))
    links.add_link(db, byron, ada, "parent")
    links.add_link(db, ada, mary, "introduced-by", since=date(2025, 3, 1), touch_id=t.id)
    links.add_link(db, ada, mary, "colleague", company="Analytical, Engines")
    links.add_link(db, byron, mary, "custom", label="pen pal")
    return ada, byron, mary


def _described(db, ids):
    return {i: sorted(r.describe() for r in links.list_links(db, i)) for i in ids}


def test_backup_and_restore_keep_links(db, tmp_path):
    from netjournal.store.db import open_database

    ids = _linked(db)
    before = _described(db, ids)
    for n, path in enumerate((tmp_path / "b.json", backup(db, tmp_path / "backups"))):
        if n == 0:
            assert export(db, "json", path, today=TODAY) is None
            data = json.loads(path.read_text())
            assert len(data["tables"]["contact_link"]) == 4
        fresh = open_database("sqlite:///" + str(tmp_path / f"fresh-{n}.db"))
        try:
            counts = restore(fresh, path)
            assert counts["contact_link"] == 4
            assert _described(fresh, ids) == before
            # the restored journal goes on numbering links after the restored ones
            assert links.add_link(fresh, ids[1], ids[2], "friend").id > max(r["id"] for r in links.all_links(db))
        finally:
            fresh.dispose()


def test_vcard_exports_related_people(db):
    ada, byron, mary = _linked(db)
    v4 = export(db, "vcard4", None, today=TODAY)
    ada_card = next(c for c in v4.split("END:VCARD") if "FN:Ada Lovelace" in c)
    assert "RELATED;TYPE=parent;VALUE=text:Byron" in ada_card
    assert "RELATED;TYPE=colleague;VALUE=text:Mary\\, Somerville" in ada_card
    byron_card = next(c for c in v4.split("END:VCARD") if "FN:Byron" in c)
    assert "RELATED;TYPE=child;VALUE=text:Ada Lovelace" in byron_card
    assert "RELATED;TYPE=contact;VALUE=text:Mary\\, Somerville" in byron_card
    v3 = export(db, "vcard3", None, today=TODAY)
    ada3 = next(c for c in v3.split("END:VCARD") if "FN:Ada Lovelace" in c)
    lines = ada3.split("\r\n")
    i = lines.index("item1.X-ABRELATEDNAMES:Byron") if "item1.X-ABRELATEDNAMES:Byron" in lines else None
    related = [ln for ln in lines if "X-ABRELATEDNAMES" in ln]
    assert len(related) == 3 and any(ln.endswith(":Byron") for ln in related)
    group = next(ln.split(".")[0] for ln in related if ln.endswith(":Byron"))
    assert f"{group}.X-ABLabel:_$!<Parent>!$_" in lines
    assert i is None or lines[i + 1] == "item1.X-ABLabel:_$!<Parent>!$_"
    one = export(db, "vcard4", None, contact_id=mary, today=TODAY)
    assert "RELATED;TYPE=contact;VALUE=text:Ada Lovelace" in one and one.count("BEGIN:VCARD") == 1
