"""Hostile variants of the Slack export fixture (built per test from a copy): impossible dates,
one malformed field, and the remembered ``--map`` answers. One bad thing is named and skipped,
the rest imported; never a traceback; --strict writes nothing when something was named."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


SLACK = Path(__file__).resolve().parents[1] / "fixtures" / "touches" / "slack-export"


@pytest.fixture
def nj(cli):
    cli("add", "Bob", "Stone", "--email", "bob@example.com")
    return cli


@pytest.fixture
def export(env) -> Path:
    dest = env / "export"
    shutil.copytree(SLACK, dest)
    return dest


def _json(nj, *args) -> dict:
    code, out, err = nj("import", *args, "--json")
    assert code == 0 and "Traceback" not in err, err
    return json.loads(out)


def _add_day(export: Path, folder: str, day: str, messages: list) -> None:
    (export / folder / f"{day}.json").write_text(json.dumps(messages), encoding="utf-8")


def _reasons(rep: dict) -> list[str]:
    return [f"{p['source']}: {p['reason']}" for p in rep["problems"]]


def _bob_dates(nj) -> list[str]:
    code, out, _ = nj("show", "bob", "--json")
    shown = json.loads(out)
    return sorted([t["day"] for t in shown["timeline"] if t["kind"] == "touch"] + [shown["contact"]["last_touch_on"]])


# ----------------------------------------------------------------------------- 1. impossible dates

@pytest.mark.parametrize("ts", ["4102444800.0001", "0.5", True])
def test_slack_message_dated_far_future_or_before_slack_is_skipped_and_named(nj, export, ts):
    _add_day(export, "D01BOB", "2024-03-09", [
        {"type": "message", "user": "U02BOB", "ts": ts, "text": "from another century"}])
    rep = _json(nj, str(export), "--me", "ada@example.org")
    assert rep["touches_added"] == 4, _reasons(rep)          # the fixture's four; not the broken message
    assert any("D01BOB/2024-03-09.json" in r and ("ts" in r) for r in _reasons(rep)), _reasons(rep)
    days = _bob_dates(nj)
    assert days and days[-1] == "2024-03-08" and not any(d.startswith(("2100", "1970")) for d in days)
    code, out, _ = nj("show", "bob")
    assert "2100" not in out and "1970" not in out
    # --strict: the named message writes nothing
    code, out, err = nj("import", str(export), "--me", "ada@example.org", "--strict")
    assert code == 2 and "nothing imported" in err


def test_a_touch_after_tomorrow_is_refused_by_every_reader_unless_future(nj, env):
    chat = env / "future.json"        # a Telegram single-chat export with one message in 2100
    chat.write_text(json.dumps({"name": "Bob Stone", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2100-01-01T10:00:00", "date_unixtime": "4102452000",
         "from": "Bob Stone", "from_id": "user2", "text": "hi"},
        {"id": 2, "type": "message", "date": "2024-03-01T10:00:00", "date_unixtime": "1709287200",
         "from": "Bob Stone", "from_id": "user2", "text": "hello"}]}), encoding="utf-8")
    rep = _json(nj, str(chat), "--format", "telegram", "--dry-run")
    assert rep["touches_added"] == 1 and any("2100-01-01" in r and "--future" in r for r in _reasons(rep))
    rep = _json(nj, str(chat), "--format", "telegram", "--dry-run", "--future")
    assert rep["touches_added"] == 2


# ----------------------------------------------------------------------------- 2. one malformed field

def test_a_message_with_a_list_subtype_is_skipped_the_rest_imported(nj, export):
    _add_day(export, "D01BOB", "2024-03-09", [
        {"type": "message", "subtype": ["a"], "user": "U02BOB", "ts": "1709978400.1", "text": "x"}, 7,
        {"type": "message", "user": "U02BOB", "ts": "1709978500.1", "text": "fine"}])
    rep = _json(nj, str(export), "--me", "ada@example.org")
    assert rep["touches_added"] == 5, _reasons(rep)
    assert any("D01BOB/2024-03-09.json" in r and "subtype" in r for r in _reasons(rep))
    assert any("D01BOB/2024-03-09.json" in r and "not a message" in r for r in _reasons(rep))


@pytest.mark.parametrize("index", ["users.json", "channels.json"])
def test_an_index_file_that_is_a_number_is_named_the_rest_imported(nj, export, index):
    (export / index).write_text("5", encoding="utf-8")
    rep = _json(nj, str(export), "--me", "Ada Lovelace", "--map", "Bob Stone=#1")
    assert any(r.endswith(f"{index}: not a list (a int): skipped") for r in _reasons(rep)), _reasons(rep)
    assert rep["touches_added"] >= 3         # the DMs and the group DM still come in


@pytest.mark.parametrize("members", [5, "U01ADA"])
def test_dm_members_not_a_list_never_makes_people_of_letters(nj, export, members):
    dms = json.loads((export / "dms.json").read_text())
    dms[0]["members"] = members
    (export / "dms.json").write_text(json.dumps(dms), encoding="utf-8")
    rep = _json(nj, str(export), "--me", "ada@example.org", "--dry-run")
    names = {u["name"] for u in rep["unknown"]}
    assert not names & {"U", "0", "1", "A", "D"}, names
    assert any("D01BOB" in r and "members" in r for r in _reasons(rep)), _reasons(rep)
    assert rep["touches_added"] == 4


def test_a_day_file_nested_too_deep_is_named_the_rest_imported(nj, export):
    (export / "D01BOB" / "2024-03-09.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    rep = _json(nj, str(export), "--me", "ada@example.org")
    assert rep["touches_added"] == 4
    assert any("D01BOB/2024-03-09.json" in r and "nested too deeply" in r for r in _reasons(rep)), _reasons(rep)


def test_users_json_of_non_dicts_and_duplicate_ids_are_named(nj, export):
    users = json.loads((export / "users.json").read_text())
    dup = dict(users[1], real_name="Impostor", profile={"real_name": "Impostor"})
    (export / "users.json").write_text(json.dumps([*users, dup, 5, "x", None]), encoding="utf-8")
    rep = _json(nj, str(export), "--me", "ada@example.org", "--dry-run")
    assert any("3 entries without a user id" in r for r in _reasons(rep)), _reasons(rep)
    assert any("'U02BOB' is listed twice" in r for r in _reasons(rep)), _reasons(rep)
    assert "Impostor" not in json.dumps(rep) and rep["touches_added"] == 4


# ----------------------------------------------------------------------------- 3. --map after the import

def _carol_touches(nj) -> list[str]:
    code, out, err = nj("show", "carol", "--json")
    assert code == 0, err
    return [t["title"] for t in json.loads(out)["timeline"] if t["kind"] == "touch"]


def test_a_map_answer_for_a_conversation_already_imported_is_remembered_and_linked(nj, export, env):
    first = _json(nj, str(export), "--me", "ada@example.org")
    assert first["touches_added"] == 4 and "Carol" in {u["name"] for u in first["unknown"]}
    dry = _json(nj, str(export), "--me", "ada@example.org", "--map", "Carol=new", "--dry-run")
    assert any("Carol: would be added to 1 conversation" in n for n in dry["notes"]), dry["notes"]
    again = _json(nj, str(export), "--me", "ada@example.org", "--map", "Carol=new")
    assert again["added"] == 1 and again["touches_added"] == 0
    assert any("Carol: added to 1 conversation(s) imported earlier" in n for n in again["notes"]), again["notes"]
    assert _carol_touches(nj) == ["Slack group DM: 2 messages"]
    code, out, _ = nj("search", "Carol", "--json")
    assert code == 0 and "Slack group DM" in out        # the touch's search document names her now
    # idempotent; and remembered: the next import neither asks nor links twice
    third = _json(nj, str(export), "--me", "ada@example.org", "--map", "Carol=new")
    assert third["added"] == 0 and not any("imported earlier" in n for n in third["notes"])
    assert "Carol" not in {u["name"] for u in _json(nj, str(export), "--me", "ada@example.org")["unknown"]}
    assert _carol_touches(nj) == ["Slack group DM: 2 messages"]
    # the mapped contact deleted: the name is asked again
    from netjournal.store import api
    from netjournal.store.db import open_database

    from netjournal.store.imports import remembered_names

    db = open_database(f"sqlite:///{env / 'j.db'}")
    try:
        with db.read() as s:
            assert [r[2] for r in remembered_names(s) if r[1] == "carol"] == ["contact"]
        api.delete_contact(db, api.resolve_contact(db, "Carol").id)
        with db.read() as s:
            assert [r for r in remembered_names(s) if r[1] == "carol"] == []       # the cascade
    finally:
        db.dispose()
    _add_day(export, "mpdm-ada--bstone--carol-1", "2024-03-09", [
        {"type": "message", "user": "U03CAR", "ts": "1709978400.1", "text": "again"},
        {"type": "message", "user": "U01ADA", "ts": "1709978500.1", "text": "yes"}])
    assert "Carol" in {u["name"] for u in _json(nj, str(export), "--me", "ada@example.org")["unknown"]}


# ----------------------------------------------------------------------------- 4. --map parsing

def _rename(export: Path, uid: str, name: str) -> None:
    users = json.loads((export / "users.json").read_text())
    for u in users:
        if u["id"] == uid:
            u["real_name"] = u["profile"]["real_name"] = name
    (export / "users.json").write_text(json.dumps(users), encoding="utf-8")


def test_map_splits_on_the_last_equals_and_warns_of_a_name_nobody_has(nj, export):
    _rename(export, "U03CAR", "Carol = Caz")
    code, out, err = nj("import", str(export), "--me", "ada@example.org", "--map", "Carol = Caz=new",
                        "--map", "Nobody Here=skip")
    assert code == 0 and "Traceback" not in err, err
    assert "added 1" in out and "Carol = Caz" not in out.split("names that match no contact")[-1]
    assert "--map 'Nobody Here': nobody of that name" in err
    code, out, _ = nj("show", "Carol = Caz", "--json")
    assert code == 0 and json.loads(out)["timeline"]


def test_map_new_for_a_very_long_name_makes_a_shortened_contact_once(nj, export):
    long = "Carol " + "x" * 250
    _rename(export, "U03CAR", long)
    rep = _json(nj, str(export), "--me", "ada@example.org", "--map", f"{long}=new")
    assert rep["added"] == 1 and rep["touches_added"] == 4 and not [p for p in rep["problems"] if p["fatal"]]
    assert any("a name of 256 characters, made a contact under its first 199" in n for n in rep["notes"])
    # remembered: a later day with her is not asked about, nor refused
    _add_day(export, "mpdm-ada--bstone--carol-1", "2024-03-09", [
        {"type": "message", "user": "U03CAR", "ts": "1709978400.1", "text": "again"}])
    rep = _json(nj, str(export), "--me", "ada@example.org")
    assert rep["touches_added"] == 1 and rep["added"] == 0 and not rep["problems"]
    assert long not in {u["name"] for u in rep["unknown"]}


@pytest.mark.parametrize("stamp", ["0", True, ["x"]])
def test_telegram_epoch_zero_or_malformed_stamp_is_named_not_1970(nj, env, stamp):
    chat = env / "tg.json"
    chat.write_text(json.dumps({"name": "Bob Stone", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "1970-01-01T00:00:00", "date_unixtime": stamp,
         "from": "Bob Stone", "from_id": "user2", "text": "hi"},
        {"id": 2, "type": "message", "date": "2024-03-01T10:00:00", "date_unixtime": "1709287200",
         "from": "Bob Stone", "from_id": "user2", "text": "hello"}]}), encoding="utf-8")
    rep = _json(nj, str(chat), "--format", "telegram")
    assert rep["touches_added"] == 1 and any("message 1: no usable date" in r for r in _reasons(rep)), _reasons(rep)
    assert "1970" not in json.dumps(rep["details"]) and _bob_dates(nj)[-1] == "2024-03-01"
