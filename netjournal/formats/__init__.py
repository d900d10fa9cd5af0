"""Import and export: vCard, LinkedIn/Google/Outlook CSV, iCalendar, JSON backup, Markdown.

Import-light on purpose: the heavy modules (icalendar, the parsers) are imported by the
submodules only when a format is used.

* :mod:`netjournal.formats.importing` — ``detect_format``, ``import_path``
* :mod:`netjournal.formats.exporting` — ``export``, ``EXPORT_FORMATS``
* :mod:`netjournal.formats.backup` — ``backup``, ``restore``
"""
from __future__ import annotations

IMPORT_FORMATS = ("vcard", "linkedin-connections", "linkedin-messages", "google-csv", "outlook-csv")
EXPORT_FORMATS = ("vcard", "vcard3", "vcard4", "ical", "json", "markdown")

__all__ = ["IMPORT_FORMATS", "EXPORT_FORMATS"]
