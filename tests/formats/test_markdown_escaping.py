"""The Markdown export writes what the user typed as literal text, never as Markdown structure.

Each export is parsed back with a real CommonMark parser (markdown-it-py, which Rich and
Textual already install): the document built around a note full of Markdown markers has the
same block structure as the one built around plain words, and the note's text is there as typed.
"""
from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from netjournal.formats.exporting import export
from netjournal.store import api
from netjournal.textsafe import has_controls

DAY = date(2025, 7, 1)
MD = MarkdownIt("commonmark")

NASTY = [
    "---",
    "# H1",
    "<script>alert(1)</script>",
    "> quoted",
    "- item",
    "1. first",
    "3) third",
    "```\ncode\n```",
    "~~~python\nx\n~~~",
    "[x](javascript:alert(1))",
    "![img](http://e.example/x.png)",
    "<http://evil.example>",
    "**bold** _em_ `code` ~~strike~~",
    "title\n===",
    "title\n---",
    "    indented code",
    "\tindented by a tab",
    "+ plus",
    "* star",
    "***",
    "| a | b |\n|---|---|",
    "[ref]: http://evil.example",
    "&amp; &lt;b&gt; &#x41;",
    "line ending in a backslash\\\nnext",
    "hard break   \nnext",
    "<!-- comment -->",
    "## closing #",
    "para\n\n- after a blank line",
]


def _texts(tokens) -> list[str]:
    """The text of each inline run, as a reader sees it (soft and hard breaks as newlines)."""
    out = []
    for t in tokens:
        if t.type == "inline":
            out.append("".join(c.content if c.type in ("text", "code_inline") else "\n"
                               for c in t.children if c.type in ("text", "softbreak", "hardbreak", "code_inline")))
    return out


def _shape(tokens) -> list[tuple]:
    """Block structure plus the kinds of inline markup (the writer's bold, nothing else)."""
    shape = []
    for t in tokens:
        if t.type == "inline":
            kinds = [c.type for c in t.children if c.type not in ("text", "softbreak")]
            shape.append(("inline", tuple(kinds)))
        else:
            shape.append((t.type, t.tag, t.nesting, t.markup))
    return shape


def _plain(text: str) -> str:
    """Plain words with the same lines (and blank lines) as ``text``."""
    return "\n".join("plain words" if ln.strip(" \t") else "" for ln in text.split("\n"))


def _expected_lines(text: str) -> list[str]:
    return [ln.rstrip(" \t") for ln in text.split("\n") if ln.strip(" \t")]


def _contained(doc_texts: list[str], text: str) -> bool:
    lines = "\n".join(_expected_lines(text))
    return lines in "\n".join(doc_texts)


def _range_export(db, text: str, summary: str = "Catch-up") -> str:
    a = api.add_contact(db, name="Ada Lovelace")
    api.log_touch(db, contact_ids=[a.id], channel="call", day=DAY, at=time(9, 30), direction="in",
                  summary=summary, notes=text)
    api.save_journal(db, DAY, text)
    api.add_followup(db, contact_ids=[a.id], title="Coffee", kind="meet", due_on=DAY, agenda=text)
    return export(db, "markdown", None, since=DAY, until=DAY, today=DAY)


def _contact_export(db, name: str, about: str, today) -> str:
    c = api.add_contact(db, name=name, about=about, company=name)
    api.log_touch(db, contact_ids=[c.id], channel="call", day=DAY, direction="in", summary=name, notes=about)
    return export(db, "markdown", None, contact_id=c.id, today=today)


@pytest.fixture
def fresh_db(tmp_path):
    from netjournal.store.db import open_database

    dbs = []

    def make():
        d = open_database("sqlite:///" + str(tmp_path / f"j{len(dbs)}.db"))
        dbs.append(d)
        return d

    yield make
    for d in dbs:
        d.dispose()


@pytest.mark.parametrize("text", NASTY)
def test_a_note_with_markdown_markers_keeps_the_documents_structure(fresh_db, text):
    md = _range_export(fresh_db(), text)
    baseline = _range_export(fresh_db(), _plain(text))
    tokens = MD.parse(md)
    assert _shape(tokens) == _shape(MD.parse(baseline)), md
    texts = _texts(tokens)
    assert _contained(texts, text), (md, texts)
    # journal body, touch notes and follow-up agenda: the text is there three times, as typed
    assert "\n".join(texts).count("\n".join(_expected_lines(text))) >= 3


@pytest.mark.parametrize("text", [t for t in NASTY if "\n" not in t])
def test_a_name_or_summary_with_markdown_markers_stays_text(fresh_db, text, today):
    md = _contact_export(fresh_db(), text, text, today)
    baseline = _contact_export(fresh_db(), "plain words", "plain words", today)
    tokens = MD.parse(md)
    assert _shape(tokens) == _shape(MD.parse(baseline)), md
    texts = _texts(tokens)
    one_line = " ".join(text.split())
    assert texts[0] == one_line                         # the heading is the name, as typed
    # the company, the touch's bold summary, the about text, the touch's notes
    assert sum(one_line in t for t in texts[1:]) >= 4, texts
    assert _contained(texts, text)


def test_mentions_show_as_at_name_and_cannot_become_links(fresh_db):
    db = fresh_db()
    md = _range_export(db, "Called @[Ana, López] today; @Bob too. @[x](javascript:alert(1))")
    tokens = MD.parse(md)
    assert not [c for t in tokens if t.type == "inline" for c in t.children if c.type == "link_open"]
    assert "Called @Ana, López today; @Bob too. @x(javascript:alert(1))" in _texts(tokens)


def test_script_tag_is_not_html(fresh_db):
    md = _range_export(fresh_db(), "<script>alert(1)</script>")
    tokens = MD.parse(md)
    assert not [t for t in tokens if t.type == "html_block"]
    assert not [c for t in tokens if t.type == "inline" for c in t.children if c.type == "html_inline"]
    assert "<script>" not in MD.render(md)


_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs", "Cf")),
        st.sampled_from(" \t\n#>-+=*_`~[]()<>&!|\\.:;0123456789"),
    ),
    min_size=1, max_size=80,
).filter(lambda s: s.strip() and "@[" not in s)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_any_text_keeps_the_structure_and_reads_as_typed(fresh_db, text):
    md = _range_export(fresh_db(), text)
    tokens = MD.parse(md)
    assert _shape(tokens) == _shape(MD.parse(_range_export(fresh_db(), _plain(text))))
    assert _contained(_texts(tokens), text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=60).filter(lambda s: s.strip(" \t\n\r")))
def test_no_control_byte_out_whatever_the_text(fresh_db, text):
    try:
        md = _range_export(fresh_db(), text)
    except Exception as exc:  # the store refuses some text (e.g. only control bytes): fine
        from netjournal.errors import UserError

        assert isinstance(exc, UserError)
        return
    assert not has_controls(md)
