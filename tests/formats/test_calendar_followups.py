"""A meeting imported as a follow-up stays tied to its calendar event: the next import cancels it
when the organizer calls the meeting off, moves it when the meeting moves, and never touches a
follow-up the user planned by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.formats.conftest import maildir

T = Path(__file__).resolve().parents[1] / "fixtures" / "touches"
ME = ("--me", "ada@example.org")


@pytest.fixture
def nj(cli, monkeypatch):
    monkeypatch.setenv("NETJOURNAL_TODAY", "2098-06-01")
    cli("add", "Bob", "Stone", "--email", "bob@example.com")
    return cli


def imported(nj, *args) -> dict:
    code, out, err = nj("import", *args, *ME, "--json")
    assert code == 0, err
    return json.loads(out)


def followups(nj, status: str = "open") -> list[dict]:
    code, out, err = nj("followup", "list", "--status", status, "--json")
    assert code == 0, err
    return json.loads(out)


def ics(path: Path, *events: str, method: str = "") -> Path:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + (f"METHOD:{method}\r\n" if method else "")
    path.write_text(head + body.replace("\n", "\r\n").replace("\r\r", "\r") + "END:VCALENDAR\r\n")
    return path


def event(uid: str, start: str, summary: str = "Planning lunch", *extra: str) -> str:
    return "\n".join([f"UID:{uid}", f"DTSTART:{start}", "DTSTAMP:20980501T080000Z", summary and f"SUMMARY:{summary}",
                      "ORGANIZER;CN=Bob Stone:mailto:bob@example.com",
                      "ATTENDEE;PARTSTAT=ACCEPTED;CN=Ada:mailto:ada@example.org", *extra])


def test_an_invitation_then_its_cancellation_cancels_the_follow_up(nj):
    assert imported(nj, str(T / "invite-reply.eml"))["followups_added"] == 1
    [fu] = followups(nj)
    assert fu["title"] == "Quarterly review"
    # a dry run says what it would do and changes nothing
    rep = imported(nj, str(T / "invite-cancel.eml"), "--dry-run")
    assert rep["followups_cancelled"] == 1 and [f["id"] for f in followups(nj)] == [fu["id"]]
    assert any("would cancel" in d for d in rep["details"])
    rep = imported(nj, str(T / "invite-cancel.eml"))
    assert rep["followups_cancelled"] == 1 and rep["followups_added"] == 0
    assert any("'Quarterly review' on 2099-05-01 was cancelled by the organizer: its follow-up was cancelled" in n
               for n in rep["notes"])
    assert followups(nj) == []
    assert [f["id"] for f in followups(nj, "cancelled")] == [fu["id"]]
    # again: nothing left to cancel, said as a note; the invitation does not bring it back
    rep = imported(nj, str(T / "invite-cancel.eml"))
    assert rep["followups_cancelled"] == 0 and any("no open follow-up of it here" in n for n in rep["notes"])
    assert imported(nj, str(T / "invite-reply.eml"))["followups_added"] == 0
    assert followups(nj) == []


def test_a_hand_made_follow_up_with_the_same_title_and_day_is_left_alone(nj):
    code, _out, err = nj("followup", "add", "bob", "Quarterly review", "--due", "2099-05-01")
    assert code == 0, err
    rep = imported(nj, str(T / "invite-cancel.eml"))
    assert rep["followups_cancelled"] == 0
    assert [f["title"] for f in followups(nj)] == ["Quarterly review"]


def test_a_moved_meeting_moves_its_follow_up_instead_of_adding_a_second(nj, env):
    first = ics(env / "a.ics", event("lunch-1@example.com", "20980610T120000Z"))
    assert imported(nj, str(first))["followups_added"] == 1
    moved = ics(env / "b.ics", event("lunch-1@example.com", "20980612T130000Z", "Planning lunch", "SEQUENCE:1"))
    rep = imported(nj, str(moved))
    assert rep["followups_added"] == 0 and rep["followups_moved"] == 1
    assert any("moved 2098-06-10 → 2098-06-12" in d for d in rep["details"])
    [fu] = followups(nj)
    assert fu["due_on"] == "2098-06-12" and fu["due_time"].startswith("13:00")
    code, out, err = nj("search", "Planning lunch", "--json")   # the search index moved with it
    assert code == 0, err
    assert [h["day"] for h in json.loads(out) if h["kind"] == "followup"] == ["2098-06-12"]
    # the same file again: nothing to do
    rep = imported(nj, str(moved))
    assert rep["followups_moved"] == 0 and rep["skipped_why"]["follow-ups already there"] == 1
    # done follow-ups are history: a later move of the meeting does not touch them
    code, _out, err = nj("followup", "done", str(fu["id"]))
    assert code == 0, err
    rep = imported(nj, str(ics(env / "c.ics", event("lunch-1@example.com", "20980614T120000Z"))))
    assert rep["followups_moved"] == 0 and followups(nj) == []


def test_one_cancelled_occurrence_cancels_only_its_follow_up(nj, env):
    series = event("weekly@example.com", "20980603T090000Z", "Weekly sync", "RRULE:FREQ=WEEKLY;COUNT=4")
    assert imported(nj, str(ics(env / "s.ics", series)))["followups_added"] == 1   # the next occurrence
    [fu] = followups(nj)
    assert fu["due_on"] == "2098-06-03"
    # another occurrence called off: the planned one stays
    other = event("weekly@example.com", "20980610T090000Z", "Weekly sync", "RECURRENCE-ID:20980610T090000Z")
    rep = imported(nj, str(ics(env / "x.ics", other, method="CANCEL")))
    assert rep["followups_cancelled"] == 0 and len(followups(nj)) == 1
    # its own occurrence called off: cancelled
    mine = event("weekly@example.com", "20980603T090000Z", "Weekly sync", "RECURRENCE-ID:20980603T090000Z")
    rep = imported(nj, str(ics(env / "y.ics", mine, method="CANCEL")))
    assert rep["followups_cancelled"] == 1 and followups(nj) == []


def test_a_cancelled_series_cancels_the_follow_up_of_its_next_occurrence(nj, env):
    series = event("weekly2@example.com", "20980603T090000Z", "Weekly sync", "RRULE:FREQ=WEEKLY;COUNT=4")
    imported(nj, str(ics(env / "s.ics", series)))
    assert len(followups(nj)) == 1
    # the calendar itself now says the series is cancelled (no METHOD): the follow-up goes too
    gone = event("weekly2@example.com", "20980603T090000Z", "Weekly sync", "RRULE:FREQ=WEEKLY;COUNT=4",
                 "STATUS:CANCELLED")
    rep = imported(nj, str(ics(env / "t.ics", gone)))
    assert rep["followups_cancelled"] == 1 and any("(every occurrence)" in n for n in rep["notes"])
    assert followups(nj) == []


def test_in_one_mailbox_the_last_word_on_a_meeting_wins(nj, env):
    """An invitation and its cancellation in the same Maildir: no follow-up; cancelled and then
    invited again: one follow-up. Mail order (the Date header), not file order, decides."""
    # file names sort the cancellation (sent 5 Mar) before the acceptance (sent 4 Mar)
    root = maildir(env / "Mail" / "INBOX", ("1.host:2,S", T / "invite-cancel.eml"),
                   ("2.host:2,S", T / "invite-reply.eml"))
    rep = imported(nj, str(env / "Mail"), "--dry-run")
    assert rep["followups_added"] == 0 and rep["followups_cancelled"] == 0
    # re-invited after the cancellation (a later Date): the meeting is on again
    again = (T / "invite-reply.eml").read_bytes().replace(b"Tue, 4 Mar 2025 09:12:00", b"Thu, 6 Mar 2025 10:00:00")
    (root / "cur" / "3.host:2,S").write_bytes(again.replace(b"<invite-reply.eml@", b"<invite-again.eml@"))
    rep = imported(nj, str(env / "Mail"))
    assert rep["followups_added"] == 1 and rep["followups_cancelled"] == 0
    assert [f["title"] for f in followups(nj)] == ["Quarterly review"]
