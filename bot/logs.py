"""Logging that never shows a secret.

httpx logs every request URL at INFO, and Bot API URLs contain the bot token: its loggers
stay at WARNING. :class:`RedactingFilter` is the second line of defence: any record (message
or traceback) that still carries a known secret has it replaced before a handler writes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "uvicorn.access")
REDACTED = "[redacted]"


def quiet_http_loggers() -> None:
    """Keep the chattiest libraries (which log request URLs) at WARNING."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


class RedactingFilter(logging.Filter):
    """Replaces each secret (and its URL-encoded form) in messages and tracebacks."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED).replace(secret.replace(":", "%3A"), REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """Root logging for ``alex run``: one stderr handler that redacts ``secrets``."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_http_loggers()
