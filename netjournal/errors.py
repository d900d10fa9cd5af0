"""Errors a user can read. Anything raised as UserError becomes one line on stderr, exit 2."""
from __future__ import annotations


class UserError(Exception):
    """A problem with what the user asked for: shown as one line, nothing was changed."""

    exit_code = 2

    def __init__(self, message: str, *, candidates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []

    def __str__(self) -> str:
        return self.message


class NotFound(UserError):
    """A contact, follow-up or entry that does not exist."""


class StoreError(UserError):
    """The journal cannot be opened or written (permissions, disk full, locked, corrupt)."""
