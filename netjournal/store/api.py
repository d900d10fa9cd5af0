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

# The old private names, for store modules written before the split (they work inside a
# caller's session). New code imports the helper from its aggregate module instead.
from netjournal.store.contacts import (  # noqa: E402,F401
    clean_date as _clean_date, clean_handle as _clean_handle, get_row as _get, name_rows as _names,
    refs_of as _refs, solo_ids as _solo,
)
from netjournal.store.followups import insert_followup as _insert_followup  # noqa: E402,F401
from netjournal.store.index import (  # noqa: E402,F401
    delete_docs as _delete_docs, index_contact as _index_contact, index_followup as _index_followup,
    index_touch as _index_touch, put_doc as _doc,
)
from netjournal.store.touches import (  # noqa: E402,F401
    clean_touch as _clean_touch, insert_touch as _insert_touch, rebuild_state as _rebuild_state,
)
