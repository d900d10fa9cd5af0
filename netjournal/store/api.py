"""The store's public functions in one namespace: ``from netjournal.store import api``.

Each function takes a :class:`~netjournal.store.db.Database`, does one unit of work in one
transaction and returns plain read objects from :mod:`netjournal.store.read`. They live in one
module per aggregate; this facade only re-exports them, so callers keep writing
``api.add_contact(...)``. A new store function goes in the module of its aggregate (and here
only if it belongs to the everyday surface the CLI and TUI call):

=====================  ===========================================================
module                 what
=====================  ===========================================================
store/contacts.py      contacts: add, edit, delete (and what it would take), read, list
store/resolve.py       name resolution: ``ada`` / ``#12`` → one contact; fuzzy ranking
store/touches.py       touches and each contact's relationship state (rebuilt on change)
store/followups.py     follow-ups: add, edit, complete (logs the touch), cancel, list
store/journal.py       journal days and their ``@mentions``
store/timeline.py      one contact's history (touches, follow-ups, journal mentions)
store/snoozes.py       snoozing and dismissing reminders
store/index.py         search documents, written with the rows they describe
=====================  ===========================================================

Other store modules (imports, export, backups, links, reminders, undo, search, sync, …) are
imported by name. Session-level helpers (``contacts.get_row``, ``touches.insert_touch``,
``index.index_contact``, …) are for store modules only: nothing outside ``netjournal/store``
opens a session or touches a table (tests/test_layering.py).
"""
from __future__ import annotations

from netjournal.store.contacts import (  # noqa: F401
    CONTACT_FIELDS, CONTACT_TEXT_FIELDS, DeleteCounts, add_contact, clean_contact_fields, clean_handle,
    contact_names, delete_contact, delete_counts, get_contact, list_contacts, save_contact, update_contact,
)
from netjournal.store.followups import (  # noqa: F401
    FOLLOWUP_TOUCH_CHANNEL, add_followup, cancel_followup, complete_followup, get_followup, list_followups,
    update_followup,
)
from netjournal.store.index import contact_doc_text  # noqa: F401
from netjournal.store.journal import (  # noqa: F401
    MENTION_RE, append_journal, find_mentions, get_journal, journal_days, save_journal,
)
from netjournal.store.resolve import (  # noqa: F401
    Match, exact_contact, fuzzy_contacts, resolve_contact, resolve_contacts,
)
from netjournal.store.snoozes import dismiss, snooze  # noqa: F401
from netjournal.store.timeline import timeline  # noqa: F401
from netjournal.store.touches import (  # noqa: F401
    delete_touch, get_touch, list_touches, log_touch, update_touch,
)
