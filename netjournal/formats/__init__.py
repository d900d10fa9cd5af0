"""Import and export: bytes in, plain records out (readers); plain read objects in, bytes out
(writers). They never touch SQL: the store writes and reads (netjournal/store/imports.py,
store/export.py, store/backups.py).

Import-light on purpose: the heavy modules (icalendar, the parsers) are imported by the
submodules only when a format is used.

* :mod:`netjournal.formats.registry` — every import format: its name, aliases, how it is sniffed
  and read (the CLI's choices, the TUI's import dialog and detection all come from it)
* :mod:`netjournal.formats.importing` — ``detect_format``, ``import_path``
* :mod:`netjournal.formats.exporting` — ``export``, ``EXPORT_FORMATS``
* :mod:`netjournal.formats.backup` — ``backup``, ``restore``
"""
