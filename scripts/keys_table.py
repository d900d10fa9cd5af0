#!/usr/bin/env python3
"""Print the README's "Keys" table from the one action registry (netjournal/tui/actions.py)."""
from netjournal.tui.actions import ACTIONS, SCOPE_TITLES, display_keys


def main() -> None:
    print("| where | key | action | id (for `[keys]`) |")
    print("|---|---|---|---|")
    for a in ACTIONS:
        print(f"| {SCOPE_TITLES.get(a.scope, a.scope)} | `{display_keys(a.keys)}` | {a.help or a.description} | `{a.id}` |")


if __name__ == "__main__":
    main()
