"""Where the miss log lives, read without pydantic-settings.

``alex faq`` must start in a few tens of milliseconds, and importing
``alex.settings`` (pydantic, pydantic-settings) alone costs more than that. This
mirrors how :class:`alex.settings.Settings` resolves ``ALEX_DB_PATH``: the
environment first, then a ``ALEX_DB_PATH=...`` line in ``.env`` in the working
directory (names case-insensitive, optional ``export``, quotes and ``#`` comments).

A store counts as *configured* when ``ALEX_DB_PATH`` is set either way, or when
the default database (``var/alex.sqlite3``, the settings default) already exists
because Alex runs here. A bare ``alex faq`` in a fresh checkout creates nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

ENV_NAME = "ALEX_DB_PATH"
DEFAULT_DB_PATH = os.path.join("var", "alex.sqlite3")  # keep in step with alex.settings.DEFAULT_DB_PATH


def _from_dotenv(dotenv: str, name: str) -> str | None:
    try:
        with open(dotenv, encoding="utf-8", errors="replace") as file:
            lines = file.read().splitlines()
    except OSError:
        return None
    found: str | None = None
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip()
        if key.startswith("export "):
            key = key[len("export ") :].strip()
        if key.upper() != name:
            continue
        value = value.strip()
        if value[:1] in {'"', "'"} and value.endswith(value[0]) and len(value) >= 2:
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        found = value  # the last assignment wins, as in python-dotenv
    return found


def configured_db_path(
    environ: Mapping[str, str] | None = None, cwd: str | os.PathLike[str] | None = None
) -> Path | None:
    """The SQLite file to log misses to, or None when no store is configured.

    Works on ``os.path`` strings: ``pathlib`` is imported only for a configured store, since every
    import shows in the start-up time of ``alex faq``."""
    env = os.environ if environ is None else environ
    base = os.getcwd() if cwd is None else os.fspath(cwd)
    value = next((v for k, v in env.items() if k.upper() == ENV_NAME), None)
    if value is None:
        value = _from_dotenv(os.path.join(base, ".env"), ENV_NAME)
    if value is not None and value.strip():
        found = os.path.join(base, os.path.expanduser(value.strip()))  # an absolute value wins
    else:
        found = os.path.join(base, DEFAULT_DB_PATH)
        if not os.path.exists(found):
            return None
    from pathlib import Path

    return Path(found)
