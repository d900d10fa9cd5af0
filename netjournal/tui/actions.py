"""The one action registry: it drives the key bindings, the footer, the help screen, the
command palette and remapping from ``[keys]`` in config.toml (``action id = "key, key"``).

Every binding has an ``id`` (the action id users remap) and a tooltip.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str             # stable id users remap in [keys]
    keys: str           # default key(s), comma separated
    action: str         # the Textual action it runs
    description: str    # short label for the footer
    scope: str          # "app" or a screen name
    help: str = ""      # one line for the help screen and the tooltip
    show: bool = True   # shown in the footer
    priority: bool = False
    palette: bool = False  # offered in the command palette


ACTIONS: tuple[Action, ...] = (
    # ---- everywhere
    Action("log_touch", "l", "app.log_touch", "Log touch", "app", "Log a touch with one or more contacts", palette=True),
    Action("log_touch_anywhere", "ctrl+l", "app.log_touch", "Log touch", "app",
           "Log a touch, even while typing in a field", show=False, priority=True),
    Action("go_today", "t", "app.go('today')", "Today", "app", "The home screen: queue, journal, today's touches", palette=True),
    Action("go_contacts", "c", "app.go('contacts')", "Contacts", "app", "Everyone, with a fuzzy filter", palette=True),
    Action("go_followups", "F", "app.go('followups')", "Follow-ups", "app", "Open follow-ups by due date", palette=True),
    Action("go_journal", "J", "app.go('journal')", "Journal", "app", "The day-by-day journal", palette=True),
    Action("go_search", "slash", "app.go('search')", "Search", "app", "Search contacts, touches, notes, follow-ups, journal", palette=True),
    Action("go_insights", "i", "app.go('insights')", "Insights", "app", "Funnel, tiers, touches per week, fading, one-sided", palette=True),
    Action("add_contact", "a", "app.add_contact", "Add contact", "app", "Add a contact", show=False, palette=True),
    Action("import_file", "I", "app.import_file", "Import", "app",
           "Import contacts (vCard, CSV), mail, calendars and chats (preview first)", show=False, palette=True),
    Action("refresh", "r", "app.refresh_data", "Refresh", "app", "Re-read the journal (changes made by the CLI show up)",
           show=False, palette=True),
    Action("undo", "u,ctrl+z", "app.undo", "Undo", "app",
           "Undo the last dismiss, snooze, deleted touch, archive, deleted contact, stage change or link change "
           "(ctrl+z only when no text field has focus)", show=False, palette=True),
    Action("hidden_reminders", "H", "app.hidden_reminders", "Snoozed & dismissed", "app",
           "The snoozed and dismissed reminders, with restore", show=False, palette=True),
    Action("back_anywhere", "escape", "app.back", "Back", "app",
           "Leave the field you are typing in; a second esc leaves the screen", show=False),
    Action("help", "question_mark,f1", "app.help", "Keys", "app", "All keys", palette=True),
    Action("quit", "q", "app.quit", "Quit", "app", "Quit netjournal", show=False, palette=True),
    # ---- Today
    Action("open_contact", "enter", "open_contact", "Open", "today", "Open the selected contact", show=False),
    Action("snooze", "s", "snooze", "Snooze", "today", "Snooze this reminder until a day you choose"),
    Action("dismiss", "d", "dismiss", "Dismiss", "today", "Dismiss this reminder (until something new happens)"),
    Action("plan_followup", "f", "plan_followup", "Follow-up", "today", "Plan a follow-up with this contact", show=False),
    Action("why", "w", "why", "Why?", "today", "Why is this here: the score's terms", show=False),
    Action("edit_journal", "e", "edit_journal", "Journal", "today",
           "Write today's journal entry, cursor at the end (@ completes names; ctrl+s saves)", show=False),
    Action("today_save", "ctrl+s", "save_journal", "Save", "today", "Save today's journal entry", show=False,
           priority=True),
    Action("today_all_due", "A", "all_due", "Everything due", "today",
           "Today's queue ⇄ everything due (like due --all): what the daily caps held back comes after a heading",
           show=False),
    Action("today_edit_touch", "E", "edit_touch", "Edit touch", "today",
           "Edit the selected touch of 'Logged today' (enter on it does too)", show=False),
    Action("today_delete_touch", "x,delete", "delete_touch", "Delete touch", "today",
           "Delete the selected touch of 'Logged today' (asks first)", show=False),
    # ---- Contacts
    Action("contacts_open", "enter", "open_contact", "Open", "contacts", "Open the selected contact"),
    Action("contacts_filter", "slash,f", "focus_filter", "Filter", "contacts",
           "Back to the filter box (it has the focus when Contacts opens: just type)"),
    Action("contacts_sort", "o", "sort", "Sort", "contacts", "Sort by the next column"),
    Action("contacts_reverse", "v", "reverse", "Reverse", "contacts", "Reverse the sort order", show=False),
    Action("contacts_edit", "e", "edit_contact", "Edit", "contacts", "Edit the selected contact"),
    # ---- Contact detail
    Action("stage_next", "greater_than_sign", "stage(1)", "Stage →", "contact", "Move the stage along Attention→Advocate",
           show=False),
    Action("stage_prev", "less_than_sign", "stage(-1)", "← Stage", "contact", "Move the stage back", show=False),
    Action("contact_edit", "e", "edit_contact", "Edit", "contact", "Edit this contact"),
    Action("contact_followup", "f", "plan_followup", "Follow-up", "contact", "Plan a follow-up with this contact"),
    Action("contact_open_item", "enter", "open_item", "Open", "contact",
           "Edit the selected touch; open the selected follow-up or journal day"),
    Action("contact_delete_touch", "x,delete", "delete_touch", "Delete touch", "contact",
           "Delete the selected touch (asks first)", show=False),
    Action("contact_archive", "A", "archive", "Archive", "contact",
           "Archive this contact (out of the lists and the queue, kept in search), or unarchive it", show=False),
    Action("contact_delete", "D", "delete_contact", "Delete contact", "contact",
           "Delete this contact with what is only theirs (asks first, says what goes)", show=False),
    Action("back", "escape", "back", "Back", "contact", "Back to the previous screen", show=False),
    Action("contact_link", "K", "add_link", "Link", "contact", "Link this contact to someone they know (People)",
           show=False),
    Action("contact_introduce", "n", "introduce", "Introducer", "contact",
           "Who can introduce you to this person? Then p plans the ask", show=False),
    Action("contact_people", "P", "focus_people", "People", "contact",
           "Go to the People section (links, suggested links); esc goes back to the timeline", show=False),
    # ---- Contact detail: the People list (issue 16)
    Action("people_edit", "enter", "edit_link", "Change", "people",
           "Change the selected link (its type, company or words); on a suggestion: link them, picking how"),
    Action("people_remove", "x,delete", "remove_link", "Remove link", "people",
           "Remove the selected link (asks first; u undoes it)"),
    Action("people_accept", "y", "accept_suggestion", "Link them", "people",
           "Accept the selected suggestion ('seem to know each other'): they know each other (u undoes it)"),
    Action("people_back", "escape", "leave", "Timeline", "people", "Back to the timeline", show=False),
    # ---- Follow-ups
    Action("followups_open", "enter", "open_followup", "Open", "followups", "Open: agenda, meeting notes, outcome"),
    Action("followups_cancel", "x", "cancel_followup", "Cancel", "followups", "Cancel the selected follow-up"),
    # ---- Follow-up editor
    Action("followup_save", "ctrl+s", "save", "Save", "followup", "Save the follow-up", priority=True),
    Action("followup_done", "ctrl+g", "complete", "Done", "followup",
           "The meeting happened: save notes, log the touch, create next steps", priority=True),
    Action("followup_editor", "ctrl+o", "external_editor", "$EDITOR", "followup",
           "Edit the focused text in $EDITOR", priority=True),
    Action("followup_back", "escape", "back", "Back", "followup", "Back (your text is kept as a draft)"),
    # ---- Journal
    Action("journal_prev", "left_square_bracket", "day(-1)", "◀ Day", "journal", "Previous day"),
    Action("journal_next", "right_square_bracket", "day(1)", "Day ▶", "journal", "Next day"),
    Action("journal_today", "home", "day(0)", "Today", "journal", "Back to today", show=False),
    Action("journal_edit", "e", "edit", "Edit", "journal", "Edit this day's entry"),
    Action("journal_save", "ctrl+s", "save", "Save", "journal", "Save the entry", priority=True, show=False),
    Action("journal_mentions", "m", "mentions", "Mentions", "journal", "Go to the contacts mentioned"),
    # ---- Search
    Action("search_focus", "slash,f", "focus_query", "Query", "search", "Back to the search box"),
    Action("search_open", "enter", "open_hit", "Open", "search", "Open what was found"),
)

BY_ID = {a.id: a for a in ACTIONS}

# Keys every list (VirtualTable) understands; they are not in the registry (not remappable).
LIST_KEYS = (("j, down", "next row"), ("k, up", "previous row"), ("pgdn/pgup, home/end", "page, first, last"))

# ---------------------------------------------------------------- the keyboard model
# While a text field, editor or selector has focus, a key reaches the screen's and the app's
# bindings only if it is one of these (plus priority bindings such as ctrl+s, ctrl+l, ctrl+p,
# which Textual runs before the field sees the key). Everything else is the field's: typing is
# never a command. Escape is the field's way out (see NetJournalApp._check_bindings).
_TYPING_PASS = ("tab", "shift+tab")


def reaches_screen_while_typing(key: str) -> bool:
    """Whether ``key``, pressed in a text field, may fire a screen or app binding."""
    if key in _TYPING_PASS:
        return True
    if key == "ctrl+z":  # the field's own undo, never the journal's
        return False
    return key.startswith("ctrl+") or bool(re.fullmatch(r"f\d{1,2}", key))


def is_typing(widget) -> bool:
    """Whether ``widget`` takes typed text (or a selector's keys)."""
    if widget is None:
        return False
    from textual.widgets import Input, Select, TextArea

    if isinstance(widget, (Input, TextArea, Select)):
        return True
    if getattr(widget, "TAKES_KEYS", False):
        return True
    parent = widget.parent
    return isinstance(parent, Select)  # a selector's open list
SCOPES = ("app", "today", "contacts", "contact", "people", "followups", "followup", "journal", "search", "insights")
SCOPE_TITLES = {
    "app": "Everywhere", "today": "Today", "contacts": "Contacts", "contact": "Contact", "people": "Contact · People list",
    "followups": "Follow-ups", "followup": "Follow-up", "journal": "Journal", "search": "Search",
    "insights": "Insights",
}


def bindings(scope: str) -> list[Binding]:
    return [Binding(a.keys, a.action, a.description, show=a.show, priority=a.priority, id=a.id,
                    tooltip=a.help) for a in ACTIONS if a.scope == scope]


def _key_set(keys: str) -> set[str]:
    return {k.strip() for k in keys.split(",") if k.strip()}


def keymap_problems(keymap: dict[str, str]) -> list[str]:
    """What is wrong with the user's [keys] table (the keymap is still applied for the rest):
    unknown action ids, and a remapped key that another action already uses where both are
    active (the same screen, or the app's keys on any screen): there only one of them can run."""
    problems = [f"[keys] {k}: no such action (see the help screen, ? )" for k in keymap if k not in BY_ID]
    keys = {a.id: _key_set(keymap.get(a.id, a.keys)) for a in ACTIONS}
    for aid in keymap:
        a = BY_ID.get(aid)
        if a is None:
            continue
        for other in ACTIONS:
            if other.id == aid or not (a.scope == other.scope or "app" in (a.scope, other.scope)):
                continue
            for key in sorted((keys[aid] - _key_set(a.keys)) & keys[other.id]):  # (defaults may overlap)
                where = "everywhere" if other.scope == "app" else f"on {SCOPE_TITLES[other.scope]}"
                problems.append(f"[keys] {aid} = {display_keys(key)!r}: {display_keys(key)} is already "
                                f"{other.id} {where}; pick another key")
    return problems


def keys_for(action_id: str, keymap: dict[str, str] | None = None) -> str:
    a = BY_ID[action_id]
    return (keymap or {}).get(action_id, a.keys)


_KEY_NAMES = {
    "slash": "/", "question_mark": "?", "greater_than_sign": ">", "less_than_sign": "<",
    "left_square_bracket": "[", "right_square_bracket": "]", "escape": "esc",
}


def display_keys(keys: str) -> str:
    return " ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(",") if k.strip())


def key_of(action_id: str, keymap: dict[str, str] | None = None) -> str:
    """The first key of an action as the user has it (remaps included), for hints in text."""
    return display_keys(keys_for(action_id, keymap).split(",")[0])


def hint(pairs: tuple[tuple[str, str], ...], keymap: dict[str, str] | None = None) -> str:
    """A one-line key hint ("l log · s snooze …") in the keys the user has, remaps included."""
    return " · ".join(f"{key_of(aid, keymap)} {word}" for aid, word in pairs)

