"""Display of @mentions: plain text for exports, pieces for the app."""
from __future__ import annotations

from hypothesis import given, strategies as st

from netjournal.mentions import plain_mentions, split_mentions


def test_plain_mentions():
    assert plain_mentions("Met @[Ada Lovelace] and @Bob_Stone.") == "Met @Ada Lovelace and @Bob_Stone."
    assert plain_mentions("mail ada@example.org, @[unclosed") == "mail ada@example.org, @[unclosed"
    assert plain_mentions("") == ""


def test_split_mentions():
    assert split_mentions("Met @[Ada Lovelace] and @bob, ada@example.org") == [
        ("Met ", False), ("@Ada Lovelace", True), (" and ", False), ("@bob", True), (", ada@example.org", False)]


@given(st.text())
def test_split_keeps_every_character_but_the_brackets(text):
    joined = "".join(piece for piece, _ in split_mentions(text))
    assert joined == plain_mentions(text)
