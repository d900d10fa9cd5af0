"""Mail archives and chat exports become touches: counts, directions, skips, re-import, bad input.

Every fixture under tests/fixtures/touches copies a quirk seen in a real export (see the
module docstrings of netjournal/formats/mail.py and chat.py)."""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from netjournal.cli import main
from tests.formats.conftest import maildir

T = Path(__file__).resolve().parents[1] / "fixtures" / "touches"


@pytest.fixture
def nj(cli):
    cli("add", "Bob", "Stone", "--email", "bob@example.com")
    cli("add", "Carol", "--phone", "+49 151 2345678")
    return cli


def imported(nj, *args) -> dict:
    code, out, err = nj("import", *args, "--json")
    assert code == 0, err
    return json.loads(out)


# ----------------------------------------------------------------------------- mail

def test_mbox_touches_per_thread_and_day_with_every_skip_counted(nj):
    rep = imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org")
    assert rep["format"] == "mbox"
    # m1 (out) + m2 (in, same thread, same day) = one touch; m3 the next day = another.
    assert rep["touches_added"] == 2
    why = rep["skipped_why"]
    assert why["mailing-list messages"] == 2            # List-Id, and Precedence: bulk
    assert why["automated messages"] == 2               # Auto-Submitted, no-reply@
    assert why["messages with more than 10 recipients"] == 1
    bad = [p for p in rep["problems"] if p["fatal"]]
    assert len(bad) == 1 and "truncated" in bad[0]["reason"] and bad[0]["line"] == 109
    code, out, _ = nj("search", "Café", "--json")
    assert code == 0 and "Café plans" in out            # the encoded word was decoded


def test_mbox_directions_dates_and_idempotent_reimport(nj, env):
    imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org")
    code, out, _ = nj("show", "bob", "--json")
    data = json.loads(out)
    text = json.dumps(data)
    assert "2025-03-03" in text and "2025-03-04" in text
    again = imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org")
    assert again["touches_added"] == 0 and again["touches_skipped"] == 2


def test_address_is_guessed_and_said_when_me_is_unset(nj):
    rep = imported(nj, str(T / "archive.mbox"), "--dry-run")
    assert any("guessed as ada@example.org" in n for n in rep["notes"])
    assert rep["touches_added"] == 2


def test_me_from_config(nj, env):
    cfg = Path(os.environ["NETJOURNAL_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text('[me]\nemails = ["ada@example.org"]\n')
    rep = imported(nj, str(T / "archive.mbox"), "--dry-run")
    assert not rep["notes"] and rep["touches_added"] == 2


def test_add_people_adds_only_those_written_to_twice(nj):
    rep = imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org", "--add-people")
    assert rep["added"] == 1                             # Dave (2 mails); not Erin (1), not Carol (1)
    code, out, _ = nj("show", "dave park", "--json")
    assert code == 0 and "dave@example.com" in out
    assert nj("show", "erin")[0] != 0


def test_max_recipients_flag(nj):
    rep = imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org", "--max-recipients", "20", "--dry-run")
    assert "messages with more than 20 recipients" not in rep["skipped_why"]
    assert rep["touches_added"] == 3                     # the party mail now reaches Bob too


def test_strict_writes_nothing_when_a_message_is_bad(nj):
    code, out, err = nj("import", str(T / "archive.mbox"), "--me", "ada@example.org", "--strict")
    assert code == 2 and "nothing imported" in err and "truncated" in err
    assert imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org")["touches_added"] == 2


def test_since(nj):
    rep = imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org", "--since", "2025-03-04", "--dry-run")
    assert rep["touches_added"] == 1 and rep["skipped_why"]["before 2025-03-04 (--since)"] >= 1


def test_eml_without_a_year_is_named_and_an_encoded_one_imports(nj):
    code, out, err = nj("import", str(T / "no-year.eml"), "--me", "ada@example.org")
    assert code == 0 and "no-year.eml" in err and "has no year" in err
    rep = imported(nj, str(T / "dated.eml"), "--me", "ada@example.org")
    assert rep["format"] == "eml" and rep["touches_added"] == 1 and rep["touches_added"]
    assert "Lothlórien" in nj("search", "Lothlórien")[1]


def test_mail_root_walks_every_folder_but_tmp_and_names_unreadable_files(nj, env):
    root = env / "mail"
    shutil.copytree(T / "mailroot", root)
    (root / "INBOX" / "cur" / "1741000009.9_9.host!2,S").symlink_to(root / "missing")
    rep = imported(nj, str(root), "--me", "ada@example.org")
    assert rep["format"] == "maildir"
    # cur (!2,S and :2,RS), new (no Date: the Maildir time), Archive/2024 (outside cur/new); tmp/ ignored
    assert rep["touches_added"] == 4
    assert rep["skipped_why"]["mailing-list messages"] == 1
    bad = [p for p in rep["problems"] if p["fatal"]]
    assert len(bad) == 1 and "1741000009" in bad[0]["source"] and "cannot read" in bad[0]["reason"]
    assert nj("search", "half-delivered")[1].startswith("nothing found")


# ----------------------------------------------------------------------------- chats

@pytest.mark.parametrize("name, first_day, second_day, fmt", [
    ("whatsapp-android-dmy.txt", "2025-02-01", "2025-02-13", "whatsapp"),
    ("whatsapp-ios-12h.txt", "2025-02-01", "2025-02-13", "whatsapp"),
    ("whatsapp-es-12h.txt", "2025-02-01", "2025-02-13", "whatsapp"),
    ("signal.txt", "2025-02-01", "2025-02-02", "whatsapp"),
    ("telegram-personal.json", "2025-02-01", "2025-02-13", "telegram"),
])
def test_a_day_of_chat_is_one_touch_with_the_direction_of_who_wrote_first(nj, name, first_day, second_day, fmt):
    code, out, err = nj("import", str(T / name), "--me", "Ada", "--dry-run")
    assert code == 0, err
    lines = [ln for ln in out.splitlines() if ln.strip().startswith("touch")]
    assert len(lines) == 2, out
    assert first_day in lines[0] and " in " in lines[0] and "Bob Stone" in lines[0]
    assert second_day in lines[1] and " out " in lines[1]
    assert out.startswith(fmt)


def test_chat_reimport_adds_nothing_and_map_names_a_contact(nj):
    nj("add", "Robert", "Stone")
    rep = imported(nj, str(T / "whatsapp-android-dmy.txt"), "--map", "Bob Stone=robert stone")
    assert rep["touches_added"] == 2
    assert rep["per_contact"] == {"Robert Stone": [2, 0]}
    again = imported(nj, str(T / "whatsapp-android-dmy.txt"), "--map", "Bob Stone=robert stone")
    assert again["touches_added"] == 0 and again["touches_skipped"] == 2


def test_group_chat_touch_has_the_members_who_are_contacts(nj):
    rep = imported(nj, str(T / "whatsapp-group-de.txt"), "--me", "Ada")
    # 16.04: Carol (by phone) and Bob Stone (by name); 17.04: only "Carol & Co." who is nobody
    assert rep["touches_added"] == 1
    assert rep["skipped_why"]["system lines (group created, encryption notices, …)"] == 2
    code, out, _ = nj("show", "carol", "--json")
    assert "2025-04-16" in out
    code, out, _ = nj("show", "bob", "--json")
    assert "2025-04-16" in out


def test_telegram_account_export_groups_and_saved_messages(nj):
    rep = imported(nj, str(T / "telegram-account.json"))
    assert rep["touches_added"] == 1                     # the Hiking group; Saved Messages skipped
    assert any("saved messages" in k for k in rep["skipped_why"])


def test_whatsapp_zip_as_exported(nj, env):
    z = env / "WhatsApp Chat - Bob Stone.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.write(T / "whatsapp-android-dmy.txt", "_chat.txt")
        f.writestr("IMG-20250201-WA0001.jpg", b"\xff\xd8 not really a photo")
    rep = imported(nj, str(z), "--me", "Ada")
    assert rep["format"] == "whatsapp-zip" and rep["touches_added"] == 2


def test_zip_bomb_is_refused_and_named(nj, env):
    z = env / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr("_chat.txt", "01/02/25, 11:25 - Bob Stone: hi\n" + "\n" * (30 * 1024 * 1024))
    code, out, err = nj("import", str(z), "--format", "whatsapp-zip")
    assert code == 0 and "bomb.zip" in err and "zip bomb" in err
    assert "touches added 0" in out


def test_non_utf8_chat_is_read_and_said(nj, env):
    p = env / "chat.txt"
    p.write_bytes("01/02/25, 11:25 - Bob Stone: Café olé\n02/02/25, 11:25 - Ada: merci\n".encode("cp1252"))
    code, out, err = nj("import", str(p), "--me", "Ada")
    assert code == 0 and "not UTF-8" in err and "touches added 2" in out


# ----------------------------------------------------------------------------- the registry

def test_every_reader_is_a_cli_choice_and_detected_from_its_content():
    from netjournal.formats import registry

    names = registry.names()
    for n in ("vcard", "google-csv", "mbox", "eml", "maildir", "whatsapp", "whatsapp-zip", "telegram", "slack"):
        assert n in names
    for fixture, name in [("archive.mbox", "mbox"), ("dated.eml", "eml"), ("mailroot", "maildir"),
                          ("whatsapp-ios-12h.txt", "whatsapp"), ("telegram-account.json", "telegram"),
                          ("whatsapp-group-de.txt", "whatsapp"), ("slack-export", "slack"),
                          ("invite-past.eml", "eml")]:
        assert registry.detect(T / fixture).name == name, fixture


def test_unknown_format_is_one_line_exit_2(nj, capsys):
    code, out, err = nj("import", str(T / "archive.mbox"), "--format", "nonsense")
    assert code == 2 and "invalid choice" in err


# ----------------------------------------------------------------------------- calendars

def test_calendar_past_events_touches_future_followups_and_skips(nj, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_TODAY", "2098-06-01")   # the 2099 meeting is within the year ahead
    code, out, err = nj("import", str(T / "calendar.ics"), "--me", "ada@example.org", "--dry-run")
    assert code == 0 and out.startswith("ics")
    touch_lines = [ln.strip() for ln in out.splitlines() if ln.strip().startswith("touch")]
    # single in-person coffee; weekly series of 4 minus an EXDATE, one occurrence moved a day; all-day party
    days = sorted(ln.split()[1] for ln in touch_lines)
    assert days == ["2025-01-06", "2025-01-21", "2025-01-27", "2025-03-03", "2025-03-08"]
    assert any("2025-03-03 out" in ln and "in_person" in ln for ln in touch_lines)
    assert all("video" in ln for ln in touch_lines if "Weekly sync" in ln)
    assert "follow 2099-03-10 meet" in out
    assert "1 cancelled events" in out and "1 events you declined" in out and "1 events with nobody else" in out
    assert "calendar.ics" in err and "Broken series" in err and "invalid recurrence rule" in err


def test_calendar_reimport_adds_nothing_and_strict_refuses(nj, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_TODAY", "2098-06-01")   # the 2099 meeting is within the year ahead
    code, _out, err = nj("import", str(T / "calendar.ics"), "--me", "ada@example.org", "--strict")
    assert code == 2 and "nothing imported" in err
    first = imported(nj, str(T / "calendar.ics"), "--me", "ada@example.org")
    assert first["touches_added"] == 5 and first["followups_added"] == 1
    again = imported(nj, str(T / "calendar.ics"), "--me", "ada@example.org")
    assert again["touches_added"] == 0 and again["touches_skipped"] == 5 and again["followups_added"] == 0


def test_calendar_windows_time_zone_is_honoured(nj):
    imported(nj, str(T / "calendar.ics"), "--me", "ada@example.org")
    code, out, _ = nj("show", "bob", "--json")
    # 11:00 "W. Europe Standard Time" (no VTIMEZONE in the file) is 10:00 in UTC, the test's zone
    assert "10:00" in out and "14:00" in out and "11:00" not in out


# ----------------------------------------------------------------------------- the queue after a big import

@pytest.mark.parametrize("today, owed", [("2025-03-07", True), ("2025-09-01", False)])
def test_imported_history_owes_a_reply_only_as_it_would_have(nj, monkeypatch, today, owed):
    """Bob's last mail (4 March) is inbound: a reply is owed a few days later, not half a year on."""
    monkeypatch.setenv("NETJOURNAL_TODAY", today)
    imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org")
    nj("edit", "bob", "--tier", "close")  # replies owed are on the queue for close tiers by default
    code, out, _ = nj("due", "--json")
    assert code == 0
    assert ("reply" in out and "Bob Stone" in out) is owed


def test_control_bytes_in_a_subject_never_reach_the_terminal(nj, env):
    p = env / "evil.eml"
    p.write_bytes(b"From: Bob Stone <bob@example.com>\nTo: ada@example.org\nSubject: hi \x1b[2J\x07there\n"
                  b"Date: Wed, 2 Apr 2025 12:00:00 +0200\nMessage-ID: <evil@x>\n\nbody\n")
    code, out, err = nj("import", str(p), "--me", "ada@example.org", "--dry-run")
    assert code == 0 and "hi" in out and "\x1b" not in out + err and "\x07" not in out + err


# ----------------------------------------------------------------------------- names asked once, remembered

def test_unknown_chat_names_are_listed_and_map_is_remembered(nj, env):
    rep = imported(nj, str(T / "whatsapp-nicknames.txt"), "--dry-run")
    assert [(u["name"], u["messages"], u["days"]) for u in rep["unknown"]] == \
        [("Bobby 🚲", 3, 2), ("Ada", 2, 2), ("Dana K.", 1, 1)]
    code, out, _ = nj("import", str(T / "whatsapp-nicknames.txt"), "--dry-run")
    assert "Bobby 🚲: 3 message(s) on 2 day(s)" in out and "--map" in out
    rep = imported(nj, str(T / "whatsapp-nicknames.txt"), "--map", "Bobby 🚲=bob stone", "--map", "Ada=me",
                   "--map", "Dana K.=new")
    assert rep["touches_added"] == 2 and rep["added"] == 1 and rep["unknown"] == []
    # a longer export of the same chat: nothing asked, no flag needed, only the new day added
    longer = env / "longer.txt"
    longer.write_text((T / "whatsapp-nicknames.txt").read_text(encoding="utf-8")
                      + "20/05/2025, 07:00 - Ada: Ride today?\n20/05/2025, 07:05 - Dana K.: Yes!\n"
                      + "20/05/2025, 07:06 - Bobby 🚲: Yes\n", encoding="utf-8")
    again = imported(nj, str(longer))
    assert again["unknown"] == [] and again["touches_added"] == 1 and again["touches_skipped"] == 2
    code, out, _ = nj("show", "dana k.", "--json")
    assert code == 0 and "2025-05-20" in out
    code, out, _ = nj("show", "bob", "--json")
    assert "2025-05-20" in out and "2025-05-13" in out


def test_a_skipped_name_stays_skipped_and_strict_remembers_nothing(nj):
    rep = imported(nj, str(T / "whatsapp-nicknames.txt"), "--map", "Dana K.=skip", "--map", "Ada=me",
                   "--map", "Bobby 🚲=#1", "--strict")
    assert rep["touches_added"] == 2 and rep["skipped_why"]["names you chose to skip"] == 1
    rep = imported(nj, str(T / "whatsapp-nicknames.txt"), "--dry-run")
    assert rep["unknown"] == [] and rep["touches_skipped"] == 2
    code, out, err = nj("import", str(T / "archive.mbox"), "--me", "ada@example.org", "--strict",
                        "--map", "erin@example.com=skip")
    assert code == 2
    rep = imported(nj, str(T / "archive.mbox"), "--me", "ada@example.org", "--dry-run")
    assert any(u["key"] == "erin@example.com" for u in rep["unknown"])   # --strict wrote (remembered) nothing


# ----------------------------------------------------------------------------- Slack

SLACK = T / "slack-export"


def _zip_dir(src: Path, dest: Path, top: str = "", skip=()) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(src.rglob("*")):
            if p.is_file() and p.name not in skip:
                z.write(p, f"{top}{p.relative_to(src).as_posix()}")
    return dest


def test_slack_export_dms_group_dms_and_channel_days_you_wrote_on(nj):
    code, out, err = nj("import", str(SLACK), "--me", "ada@example.org", "--dry-run")
    assert code == 0 and out.startswith("slack"), err
    touches = sorted(ln.strip() for ln in out.splitlines() if ln.strip().startswith("touch"))
    assert touches == [
        "touch  2024-03-04 in     message   Bob Stone: Slack #general: 3 messages",   # join, bots, purpose skipped
        "touch  2024-03-04 in     message   Bob Stone: Slack DM: 3 messages",         # edited + file share count once
        "touch  2024-03-06 out    message   Bob Stone: Slack DM: 2 messages",
        "touch  2024-03-08 out    message   Bob Stone, Carol: Slack group DM: 2 messages",
    ]
    rep = imported(nj, str(SLACK), "--me", "ada@example.org", "--dry-run")
    assert rep["skipped_why"]["Slack bot messages, joins and other non-messages"] == 6
    assert rep["skipped_why"]["Slack channel days you did not write on"] == 1     # 5 March: only Bob
    assert [(u["name"], u["key"], u["messages"], u["days"]) for u in rep["unknown"]] == \
        [("Dana Ørsted", "dana@example.net", 3, 2)]


def test_slack_zip_nested_you_guessed_map_remembered_and_reimport_adds_nothing(nj, env):
    z = _zip_dir(SLACK, env / "Acme Slack export Mar 1 2024 - Mar 9 2024.zip", top="Acme Slack export/")
    rep = imported(nj, str(z), "--map", "Dana Ørsted=new")
    assert rep["format"] == "slack" and rep["touches_added"] == 5 and rep["added"] == 1
    assert any("taken to be Ada Lovelace" in n for n in rep["notes"])
    code, out, _ = nj("show", "dana", "--json")
    assert code == 0 and "dana@example.net" in out and "2024-03-07" in out
    again = imported(nj, str(z))
    assert again["touches_added"] == 0 and again["touches_skipped"] == 5 and again["unknown"] == []


def test_slack_bad_input_is_named_and_the_rest_imported(nj, env):
    broken = env / "broken"
    shutil.copytree(SLACK, broken)
    (broken / "users.json").unlink()                                   # missing users.json
    day = broken / "D01BOB" / "2024-03-06.json"
    day.write_bytes(day.read_bytes()[:60])                              # truncated JSON
    (broken / "general" / "2024-03-09.json").write_bytes(
        '[{"type": "message", "user": "U02BOB", "ts": "1709978400.1", "text": "Grüße"},'
        ' {"type": "message", "user": "U01ADA", "ts": "1709978500.1", "text": "Danke"}]'.encode("cp1252"))
    code, out, err = nj("import", str(broken), "--me", "Ada Lovelace", "--map", "Bob Stone=#1", "--json")
    assert code == 0, err
    rep = json.loads(out)
    reasons = {p["source"].split("/", 1)[1]: (p["reason"], p["fatal"]) for p in rep["problems"]}
    assert "missing" in reasons["users.json"][0]
    assert "not valid JSON" in reasons["D01BOB/2024-03-06.json"][0]
    assert "not UTF-8" in reasons["general/2024-03-09.json"][0] and not reasons["general/2024-03-09.json"][1]
    assert rep["touches_added"] == 4          # DM 4 March, #general 4 and 9 March, group DM; not the broken day
    code, out, err = nj("import", str(broken), "--me", "Ada Lovelace", "--strict")
    assert code == 2 and "nothing imported" in err


def test_slack_zip_bomb_and_truncated_zip(nj, env):
    bomb = env / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as f:
        f.write(SLACK / "users.json", "users.json")
        f.writestr("general/2024-03-04.json", "[" + " " * (30 * 1024 * 1024) + "]")
    code, out, err = nj("import", str(bomb))
    assert code == 0 and "bomb.zip" in err and "zip bomb" in err and "touches added 0" in out
    good = _zip_dir(SLACK, env / "export.zip")
    cut = env / "cut.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    code, out, err = nj("import", str(cut), "--format", "slack")
    assert code == 0 and "cut.zip" in err and "not a readable zip" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- invitation mails

def test_an_invitation_mail_gives_its_meeting_not_a_mail_touch(nj, env):
    rep = imported(nj, str(T / "invite-past.eml"), "--me", "ada@example.org")
    # the inline text/calendar part and the invite.ics attachment are one meeting; the mail is no touch
    assert rep["touches_added"] == 1 and rep["skipped_why"]["invitation mails (their meeting imported instead)"] == 1
    code, out, _ = nj("show", "bob", "--json")
    assert "2025-03-10" in out and "video" in out and "Lothlórien" in out and "2025-03-01" not in out
    assert imported(nj, str(T / "invite-past.eml"), "--me", "ada@example.org")["touches_added"] == 0
    # the same invitation in a Maildir, next to an ordinary mail: still one meeting, the other mail a touch
    maildir(env / "Mail" / "INBOX", ("1740819600.1_1.host:2,S", T / "invite-past.eml"),
            ("1740819601.2_2.host:2,S", T / "dated.eml"))
    rep = imported(nj, str(env / "Mail"), "--me", "ada@example.org")
    assert rep["touches_skipped"] == 1 and rep["touches_added"] == 1


def test_invitation_replies_future_followup_and_declined_nothing(nj, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_TODAY", "2098-06-01")   # the 2099 meeting is within the year ahead
    rep = imported(nj, str(T / "invite-reply.eml"), "--me", "ada@example.org")
    assert rep["touches_added"] == 0 and rep["followups_added"] == 1       # METHOD:REPLY, accepted, 2099
    assert imported(nj, str(T / "invite-reply.eml"), "--me", "ada@example.org")["followups_added"] == 0
    rep = imported(nj, str(T / "invite-declined.eml"), "--me", "ada@example.org")
    assert rep["touches_added"] == 0 and rep["followups_added"] == 0      # Bob declined: no meeting with him


def test_deleting_the_contact_forgets_the_name_and_undo_brings_it_back(nj, env):
    from netjournal.store import undo
    from netjournal.store.db import open_database

    imported(nj, str(T / "whatsapp-nicknames.txt"), "--map", "Bobby 🚲=new", "--map", "Ada=me", "--map", "Dana K.=skip")
    db = open_database("sqlite:///" + str(env / "j.db"))
    try:
        from netjournal.store import api

        cid = next(i for i, n, _ in api.contact_names(db) if n == "Bobby 🚲")
        saved = undo.delete_contact(db, cid)
        rep = imported(nj, str(T / "whatsapp-nicknames.txt"), "--dry-run")
        assert [u["name"] for u in rep["unknown"]] == ["Bobby 🚲"]          # asked again
        undo.restore(db, saved)
        rep = imported(nj, str(T / "whatsapp-nicknames.txt"), "--dry-run")
        assert rep["unknown"] == [] and rep["touches_skipped"] == 2
    finally:
        db.dispose()


def test_remembered_names_travel_in_a_json_backup(nj, env):
    imported(nj, str(T / "whatsapp-nicknames.txt"), "--map", "Bobby 🚲=bob stone", "--map", "Ada=me",
             "--map", "Dana K.=skip")
    code, _out, err = nj("export", "json", "-o", str(env / "backup.json"))
    assert code == 0, err
    fresh = str(env / "fresh.db")
    assert main(["--db", fresh, "restore", str(env / "backup.json")]) == 0
    from netjournal.formats.importing import import_path
    from netjournal.store.db import open_database
    from datetime import date

    db = open_database("sqlite:///" + fresh)
    try:
        rep = import_path(db, T / "whatsapp-nicknames.txt", dry_run=True, today=date(2025, 6, 1))
        assert rep.unknown == [] and rep.touches_skipped == 2
    finally:
        db.dispose()


def test_a_very_frequent_series_is_cut_and_named_and_counts_once_a_day(nj):
    # FREQ=SECONDLY from 2000 is never built as a list: the reader stops after a bounded number of
    # occurrences and says so; an hourly series gives one touch a day.
    code, out, err = nj("import", str(T / "calendar-flood.ics"), "--me", "ada@example.org", "--json")
    assert code == 0, err
    rep = json.loads(out)
    cut = [p["reason"] for p in rep["problems"] if "Every second" in p["reason"]]
    assert len(cut) == 1 and "repeats every second: kept the first" in cut[0]
    assert not any("Hourly standup" in p["reason"] for p in rep["problems"])
    # 2010-01-01 09:00 to 2010-01-04 23:00 hourly: four days; the seconds series at most a few days.
    assert 4 <= rep["touches_added"] <= 4 + 3
    code, _out, err = nj("import", str(T / "calendar-flood.ics"), "--me", "ada@example.org", "--strict")
    assert code != 0 and "repeats every second" in err


def test_one_bad_event_date_is_named_and_the_rest_of_the_file_imported(nj):
    rep = imported(nj, str(T / "calendar-bad-dates.ics"), "--me", "ada@example.org")
    assert rep["touches_added"] == 1                      # "Good lunch"
    bad = sorted(p["reason"] for p in rep["problems"])
    assert len(bad) == 2 and "'Broken date'" in bad[0] and "'Short date'" in bad[1]
    assert all("its date cannot be read" in r for r in bad)


def test_a_cancellation_is_no_meeting_and_names_the_follow_up_it_cancels(nj, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_TODAY", "2098-06-01")
    assert imported(nj, str(T / "invite-reply.eml"), "--me", "ada@example.org")["followups_added"] == 1
    rep = imported(nj, str(T / "invite-cancel.eml"), "--me", "ada@example.org")   # METHOD:CANCEL, STATUS:CONFIRMED
    assert rep["touches_added"] == 0 and rep["followups_added"] == 0
    assert rep["skipped_why"]["cancelled events"] == 1
    assert any("'Quarterly review' on 2099-05-01 was cancelled by the organizer" in n for n in rep["notes"])
    # a past meeting cancelled: no touch either (the method is only on the Content-Type)
    rep = imported(nj, str(T / "invite-cancel-past.eml"), "--me", "ada@example.org")
    assert rep["touches_added"] == 0 and rep["skipped_why"]["cancelled events"] == 1


def test_invitation_limits_recipients_size_and_bad_dates_per_message(nj, env):
    rep = imported(nj, str(T / "invite-crowd.eml"), "--me", "ada@example.org")   # 12 other people
    assert rep["touches_added"] == 0 and rep["skipped_why"]["messages with more than 10 recipients"] == 1
    rep = imported(nj, str(T / "invite-crowd.eml"), "--me", "ada@example.org", "--max-recipients", "20")
    assert rep["touches_added"] == 1
    big = env / "big.eml"
    raw = (T / "invite-past.eml").read_bytes()
    big.write_bytes(raw.replace(b"<p>You have been invited</p>", b"<p>" + b"x" * (300 * 1024) + b"</p>"))
    code, out, err = nj("import", str(big), "--me", "ada@example.org", "--json")
    assert code == 0
    bad = json.loads(out)["problems"]
    assert len(bad) == 1 and "too large to read: 30" in bad[0]["reason"] and bad[0]["fatal"]
    # one invitation with an unreadable date in a Maildir names that message; the rest is imported
    maildir(env / "Mail" / "INBOX", ("1740819600.1_1.host:2,S", T / "invite-past.eml"),
            ("1740819601.2_2.host:2,S", T / "invite-bad-date.eml"))
    rep = imported(nj, str(env / "Mail"), "--me", "ada@example.org")
    assert rep["touches_added"] == 1
    assert len(rep["problems"]) == 1 and "1740819601.2_2" in rep["problems"][0]["source"]
    assert "'Broken budget chat': its date cannot be read" in rep["problems"][0]["reason"]
    code, _out, err = nj("import", str(env / "Mail"), "--me", "ada@example.org", "--strict")
    assert code == 2 and "nothing imported" in err


def test_an_event_beyond_the_year_ahead_is_skipped_and_counted(nj, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_TODAY", "2098-06-01")
    rep = imported(nj, str(T / "calendar-far-future.ics"), "--me", "ada@example.org")
    assert rep["followups_added"] == 1                    # 2099-03-10, not 9999-12-31
    assert rep["skipped_why"]["events more than 366 days ahead"] == 1


def test_a_very_long_chat_name_is_remembered_and_told_again(nj, env):
    """A name longer than the import_name column (300): remembered cut once, in the one place the
    key is made; told again (a second --map), it replaces the first answer instead of failing."""
    long = "Z" * 400
    chat = env / "long.txt"
    chat.write_text(f"12/03/2025, 14:05 - {long}: hello\n12/03/2025, 14:06 - Carol: hi\n", encoding="utf-8")
    assert imported(nj, str(chat), "--map", f"{long}=skip", "--map", "Carol=carol")["touches_added"] == 1
    rep = imported(nj, str(chat), "--map", f"{long}=me", "--map", "Carol=carol")
    assert rep["unknown"] == [] and rep["touches_added"] == 0
    rep = imported(nj, str(chat))   # remembered: nothing asked
    assert rep["unknown"] == []
