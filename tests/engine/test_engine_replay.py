"""The replay command: format, errors, and that no day ever sees its own or later events."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.cli.replay import replay_main

DAY = 86400
ROOT = Path(__file__).resolve().parents[2]


def run(capsys, argv):
    code = replay_main(argv)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip()], err


def write(tmp_path, lines, name="events.txt"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n")
    return str(p)


def test_replay_format_and_a_known_silence(tmp_path, capsys):
    # ego A writes B every 2 days for 20 days, then falls silent; C keeps the log going
    lines = ["initiator other ts"]  # a header line is skipped
    lines += [f"A B {d * 2 * DAY + 3600}" for d in range(11)]
    lines += [f"A,C,{d * DAY + 7200}" for d in range(0, 60, 5)]
    path = write(tmp_path, lines)
    code, recs, err = run(capsys, [path, "--ego", "A"])
    assert code == 0 and err == ""
    days = [r["day"] for r in recs]
    assert days[0] == "1970-01-01" and days[-1] == "1970-02-25" and len(days) == 56
    assert all(set(r) == {"ego", "day", "queue"} and r["ego"] == "A" for r in recs)
    first_b = next(r["day"] for r in recs for q in r["queue"] if q["contact"] == "B")
    # last touch on day 20, rhythm 2 days: nothing before 8 days of silence (min_silence_days)
    assert first_b == "1970-01-29"
    item = next(q for r in recs for q in r["queue"] if q["contact"] == "B")
    assert item["kind"] in ("rhythm", "silence") and isinstance(item["score"], float)


def test_replay_csv_timestamp_first_and_direction(tmp_path, capsys):
    path = write(tmp_path, ["timestamp,from,to,duration"] + [f"{d * DAY},X,E,10" for d in range(5)],
                 "calls.csv")
    code, recs, _ = run(capsys, [path, "--ego", "E", "--budget", "2"])
    assert code == 0
    # X always starts and E never answers: replies owed show from day 2 after the first one
    kinds = {q["kind"] for r in recs for q in r["queue"]}
    assert "reply" in kinds


def test_replay_errors(tmp_path, capsys):
    code, _, err = run(capsys, [str(tmp_path / "missing.txt"), "--ego", "A"])
    assert code == 2 and err.count("\n") == 1 and "cannot read" in err
    path = write(tmp_path, ["A B 100"])
    code, _, err = run(capsys, [path, "--ego", "Z"])
    assert code == 2 and "ego Z" in err and err.count("\n") == 1
    empty = write(tmp_path, ["nothing here"], "empty.txt")
    code, _, err = run(capsys, [empty, "--ego", "A"])
    assert code == 2 and "no interactions" in err
    code, _, err = run(capsys, [path])  # --ego is required
    assert code == 2


def test_replay_as_module(tmp_path):
    path = write(tmp_path, [f"A B {d * 3 * DAY}" for d in range(4)])
    r = subprocess.run([sys.executable, "-m", "netjournal.cli.replay", path, "--ego", "A", "--ego", "B"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    egos = {json.loads(line)["ego"] for line in r.stdout.splitlines()}
    assert egos == {"A", "B"}


event = st.tuples(st.sampled_from("ABCDE"), st.sampled_from("ABCDE"), st.integers(0, 120 * DAY))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(event, min_size=2, max_size=120), st.integers(1, 119), st.lists(event, min_size=1, max_size=20))
def test_replay_never_sees_the_future(tmp_path_factory, events, cut, extra):
    """Events on day `cut` or later cannot change any queue up to and including day `cut`."""
    events = [e for e in events if e[0] != e[1]]
    extra = [(a, b, cut * DAY + t % (20 * DAY)) for a, b, t in extra if a != b]
    before = [e for e in events if e[2] < cut * DAY]
    if not before or not extra:
        return
    tmp = tmp_path_factory.mktemp("replay")
    egos = sorted({a for a, _, _ in before} | {b for _, b, _ in before})

    def days_of(evs, name):
        p = tmp / name
        p.write_text("\n".join(f"{a} {b} {t}" for a, b, t in evs) + "\n")
        out = subprocess_free(str(p), egos)
        return {(r["ego"], r["day"]): r["queue"] for r in out}

    a = days_of(before, "a.txt")
    b = days_of(before + extra, "b.txt")
    import datetime as dt
    cut_day = (dt.date(1970, 1, 1) + dt.timedelta(days=cut)).isoformat()
    for key, queue in a.items():
        if key[1] <= cut_day:
            assert b.get(key) == queue, key
    # and the extended log's days up to the cut are exactly the short log's (where the ego existed)
    for key, queue in b.items():
        if key[1] < cut_day and key in a:
            assert a[key] == queue


def subprocess_free(path, egos):
    import contextlib
    import io
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = replay_main([path] + [x for e in egos for x in ("--ego", e)])
    assert code == 0
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_replay_of_a_user_who_looks_every_third_day(tmp_path, capsys):
    """--look-every 3: a queue only on the days the user looks; a lapse still shows on one of them."""
    lines = [f"A B {d * 2 * DAY + 3600}" for d in range(11)]   # A and B every 2 days, then silence
    lines += [f"A C {d * DAY + 7200}" for d in range(0, 60, 5)]
    path = write(tmp_path, lines)
    code, daily, _ = run(capsys, [path, "--ego", "A"])
    code3, every3, err = run(capsys, [path, "--ego", "A", "--look-every", "3"])
    assert code == code3 == 0 and err == ""
    assert [r["day"] for r in every3] == [r["day"] for r in daily][::3]
    shown = [r["day"] for r in every3 if any(q["contact"] == "B" and q["kind"] in ("rhythm", "silence")
                                             for q in r["queue"])]
    assert shown, "the lapse is shown on a day the user looks"
    code, _, err = run(capsys, [path, "--ego", "A", "--look-every", "0"])
    assert code == 2 and err.count("\n") == 1


def test_replay_runs_every_ego_to_the_end_of_the_log(tmp_path, capsys):
    # A writes B every 2 days until day 10, then A is silent for good; D and E keep the log
    # going to day 40. A's user keeps looking after A's own last interaction: the lapse with B
    # (due 8 silent days after day 10, the min_silence_days floor) must show on day 18, and the
    # replay must go on to the log's last day, not stop at A's last event on day 10.
    lines = [f"A B {d * DAY + 60}" for d in range(0, 11, 2)]
    lines += [f"D E {d * DAY + 60}" for d in range(0, 41, 4)]
    path = write(tmp_path, lines)
    code, recs, err = run(capsys, [path, "--ego", "A"])
    assert code == 0 and err == ""
    days = [r["day"] for r in recs]
    assert days[0] == "1970-01-01" and days[-1] == "1970-02-10" and len(days) == 41
    shown = [r["day"] for r in recs for q in r["queue"] if q["contact"] == "B" and q["kind"] in ("rhythm", "silence")]
    assert shown and shown[0] == "1970-01-19"  # day 18 after 1970-01-01


def test_replay_ego_until_is_optional_and_never_shortens():
    from netjournal.engine import EngineConfig, replay_ego

    events = [(d * DAY + 60, "B", "out") for d in range(0, 11, 2)]
    cfg = EngineConfig()
    own = [d for d, _ in replay_ego("A", events, cfg, 5)]
    to_end = [d for d, _ in replay_ego("A", events, cfg, 5, until=30 * DAY)]
    earlier = [d for d, _ in replay_ego("A", events, cfg, 5, until=3 * DAY)]
    assert len(own) == 11 and own == earlier  # an end before the ego's own last event changes nothing
    assert to_end[:11] == own and len(to_end) == 31
