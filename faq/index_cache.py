"""A start-up cache for the matcher's indexes, so ``alex faq`` does not re-normalise ~600 phrasings per run.

One cache file per language: the decoded knowledge base (or translation), the compiled
normaliser tables and the normalised phrasings; one more for the language detector's
tables; written with :mod:`marshal` (built in, loads in well under a millisecond) to
``$XDG_CACHE_HOME/alex`` (default ``~/.cache/alex``; ``ALEX_CACHE_DIR`` overrides,
``ALEX_CACHE_DIR=off`` disables). Its name carries a checksum of the knowledge
base, the translation, the language's settings *and* of the code that normalises, so
editing any of them simply misses the cache.
Any problem reading or writing it falls back to building the index: the cache
can make start-up faster, never wrong.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
import zlib

_CODE_FILES = (
    "normalize.py", "index.py", "matcher.py", "kb.py", "index_cache.py", "languages.py", "translations.py",
    "smalltalk.py", "langid.py",
)
_PREFIX = "faq-index-"


def cache_dir() -> str | None:
    """The cache folder, or None when caching is off (``os.path`` strings: no ``pathlib`` at start-up)."""
    configured = os.environ.get("ALEX_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in {"", "off", "0", "none"} else configured
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "alex")


def cache_key(raw_kb: bytes, kb_file: str | os.PathLike[str], part: str = "en") -> str:
    """``<file and part>-<content and code>``: one live cache file per knowledge-base path and part.

    ``part`` is a language code (one index per language) or ``langid`` (the detector's tables);
    ``raw_kb`` is every input of that part (knowledge base, translation, settings) joined.

    The marshal format belongs to one Python version, so that is part of the key too.
    """
    code = _code_checksum()
    where = zlib.crc32(f"{os.path.realpath(kb_file)}|{part}".encode())
    return f"{where:08x}-{zlib.crc32(raw_kb):08x}{code:08x}{len(raw_kb):x}"


@functools.cache
def _code_checksum() -> int:
    """The Python version and the code that builds what is cached (read once per process)."""
    here = os.path.dirname(os.path.realpath(__file__))
    code = zlib.crc32(repr(sys.version_info[:2]).encode())
    for name in _CODE_FILES:
        try:
            with open(os.path.join(here, name), "rb") as handle:
                code = zlib.crc32(handle.read(), code)
        except OSError:
            code = zlib.crc32(name.encode(), code)
    return code


def load(key: str) -> object | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_file(folder, key), "rb") as handle:
            return marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def exists(key: str) -> bool:
    """Whether a cache file for ``key`` is there (what it was built from was checked when it was written)."""
    folder = cache_dir()
    return folder is not None and os.path.isfile(_file(folder, key))


def save(key: str, state: object) -> None:
    """Write atomically (temp file, then rename) and drop older caches of the same file."""
    folder = cache_dir()
    if folder is None:
        return
    target = _file(folder, key)
    same_file = f"{_PREFIX}{key.split('-', 1)[0]}-"
    try:
        os.makedirs(folder, exist_ok=True)
        temp = f"{target}.{os.getpid()}.tmp"
        with open(temp, "wb") as handle:
            handle.write(marshal.dumps(state))
        os.replace(temp, target)
        for name in os.listdir(folder):
            stale = os.path.join(folder, name)
            if name.startswith(same_file) and name.endswith(".marshal") and stale != target:
                os.remove(stale)
    except (OSError, ValueError):
        return


def _file(folder: str, key: str) -> str:
    return os.path.join(folder, f"{_PREFIX}{key}.marshal")
