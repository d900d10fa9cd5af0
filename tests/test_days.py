"""The one relative-day text: each style's words on known days."""
from datetime import date, timedelta

from netjournal.days import ago, day_text, due_text

T = date(2026, 11, 24)  # a Tuesday


def d(n: int) -> date:
    return T + timedelta(days=n)


def test_long_style_is_the_clis_words():
    assert [day_text(d(n), T) for n in (0, -1, 1, -3, 3, -7, 7)] == [
        "today", "yesterday", "tomorrow", "3 days ago", "in 3 days", "2026-11-17", "2026-12-01"]
    assert day_text(None, T) == "—"


def test_compact_ago_counts_days_months_years():
    assert [ago(d(n), T) for n in (0, -1, 1, 4, -12, -90, -800)] == [
        "today", "yesterday", "tomorrow", "in 4d", "12d ago", "3mo ago", "2y ago"]
    assert ago(None, T) == "never"


def test_compact_due_names_the_weekday_then_the_date():
    assert [due_text(d(n), T) for n in (0, 1, -1, -5, 2, 13)] == [
        "today", "tomorrow", "yesterday", "5d overdue", "Thu", "07 Dec"]
    assert due_text(None, T) == ""
