"""The user's settings: ``config.toml`` in the config directory.

```toml
[ui]
theme = "textual-dark"        # any Textual theme name

[keys]                        # action id = key(s), comma separated (ids: the help screen, ?)
log_touch = "l"
quit = "q,ctrl+q"

[engine]                      # reminder engine: see the README's "Configuration" section
budget = 5

[me]                          # who you are in imported mail and chats
emails = ["ada@example.org"]  # your own addresses: mail you sent is "out"
names = ["Ada"]               # your name as chat exports spell it

[sync]                        # `netjournal sync` with no target syncs this address-book folder
vdir = "~/.contacts/personal"
```
A broken file is reported in one line (file, line, problem) and never half-applied.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netjournal import paths
from netjournal.errors import UserError


@dataclass(frozen=True)
class Me:
    emails: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    engine: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    me: Me = field(default_factory=Me)
    sync: dict[str, str] = field(default_factory=dict)

    def engine_config(self):
        from netjournal.engine import EngineConfig

        try:
            return EngineConfig.from_mapping(self.engine)
        except (ValueError, TypeError) as exc:
            detail = str(exc).removeprefix("engine config: ")
            raise UserError(f"{self.path or 'config'}: [engine] {detail}") from None


def load(path: Path | None = None) -> Config:
    path = path or paths.config_file()
    if not path.exists():
        return Config(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    unknown = set(data) - {"ui", "keys", "engine", "me", "sync"}
    if unknown:
        raise UserError(f"{path}: unknown section [{sorted(unknown)[0]}] (known: [ui], [keys], [engine], [me], [sync])")
    me = _me(path, data.get("me", {}))
    sync = _sync_section(path, data.get("sync", {}))
    ui = data.get("ui", {})
    keys = data.get("keys", {})
    engine = data.get("engine", {})
    if not all(isinstance(x, dict) for x in (ui, keys, engine)):
        raise UserError(f"{path}: [ui], [keys] and [engine] must be tables")
    theme = ui.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise UserError(f"{path}: [ui] theme must be a string")
    for k, val in keys.items():
        if not isinstance(val, str) or not val.strip():
            raise UserError(f"{path}: [keys] {k} must be a key name like \"l\" or \"ctrl+l\"")
    return Config(theme=theme, keys={k: v.replace(" ", "") for k, v in keys.items()}, engine=dict(engine), path=path,
                  me=me, sync=sync)



def _me(path: Path, me) -> Me:
    if not isinstance(me, dict):
        raise UserError(f"{path}: [me] must be a table")
    bad = set(me) - {"emails", "names"}
    if bad:
        raise UserError(f"{path}: [me] unknown key {sorted(bad)[0]!r} (known: emails, names)")
    out = {}
    for key in ("emails", "names"):
        val = me.get(key, [])
        if isinstance(val, str):
            val = [val]
        if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
            raise UserError(f"{path}: [me] {key} must be a list of strings")
        out[key] = tuple(x.strip() for x in val if x.strip())
    return Me(**out)


def _sync_section(path: Path, sync: Any) -> dict[str, str]:
    """[sync]: ``vdir`` = the address-book folder a plain ``netjournal sync`` syncs."""
    if not isinstance(sync, dict):
        raise UserError(f"{path}: [sync] must be a table")
    unknown = set(sync) - {"vdir"}
    if unknown:
        raise UserError(f"{path}: [sync] unknown setting {sorted(unknown)[0]!r} (known: vdir)")
    vdir = sync.get("vdir")
    if vdir is not None and (not isinstance(vdir, str) or not vdir.strip() or "\x00" in vdir):
        raise UserError(f"{path}: [sync] vdir must be a folder name like \"~/.contacts/personal\"")
    return {"vdir": vdir} if vdir else {}
