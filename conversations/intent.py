"""What free text outside a flow asks for: an action on disputes, or a question for the FAQ.

A message is a *request* when it names a real id ("open a dispute for SD…", "close SH…",
"SH…", an order id with the problem in words) or when it is nothing but a short imperative
("open a dispute", "show my disputes", "please cancel my dispute"). Everything else,
including every question that merely mentions disputes ("customer typed the wrong address,
can i open a dispute"), goes to the FAQ, which offers the matching action as a button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from conversations.ids import find_dispute_id, find_order_id
from conversations.language import LANGUAGES
from conversations.reading import reads_as_question, visible_text, words
from conversations.texts import common as texts
from i18n import translator


class Intent(StrEnum):
    OPEN = "open"
    CLOSE = "close"
    STATUS = "status"
    LIST = "list"


@dataclass(frozen=True)
class Request:
    intent: Intent
    order_id: str | None = None
    dispute_id: str | None = None


_OPEN_VERBS = frozenset({"open", "start", "file", "raise", "create", "make", "submit", "lodge", "new"})
_CLOSE_VERBS = frozenset({"close", "cancel", "withdraw", "drop", "delete", "remove", "end", "stop"})
_LIST_VERBS = frozenset({"show", "list", "see", "view", "check", "display", "get", "follow"})
_DISPUTE_NOUNS = frozenset({"dispute", "disputes", "claim", "claims", "case", "cases"})
_STATUS_WORDS = frozenset({"status", "progress", "update", "updates", "state"})
_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "new", "one", "this", "that", "all", "open", "of"})
_POLITE = (
    "can you",
    "could you",
    "would you",
    "will you",
    "please",
    "pls",
    "plz",
    "i want to",
    "i wanna",
    "i would like to",
    "i'd like to",
    "i need to",
    "i have to",
    "i must",
    "let's",
    "lets",
    "help me",
    "alex",
    "hi",
    "hello",
    "hey",
    "ok",
    "now",
    "for me",
    "go ahead and",
    "just",
)
_POLITE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _POLITE) + r")\b")
_ID_FOLLOWS = frozenset({"for", "on", "of", "order", "with", "id", "number", "dispute", "disputes"})


def _residue(text: str) -> list[str]:
    """The words left once politeness and filler are taken out."""
    lowered = " ".join(words(text))
    return _POLITE_RE.sub(" ", lowered).split()


def _bare_request(rest: list[str]) -> Intent | None:
    """``rest`` is exactly an imperative about disputes, with nothing else in it."""
    nouns = [w for w in rest if w in _DISPUTE_NOUNS]
    core = [w for w in rest if w not in _DETERMINERS or w in _OPEN_VERBS]
    if not nouns or len(core) > 4:
        return None
    others = {w for w in core if w not in _DISPUTE_NOUNS}
    plural = nouns[-1].endswith("s")
    if not others:
        return Intent.LIST if plural else None
    if others <= _LIST_VERBS | _STATUS_WORDS | {"open"} and (plural or others & _STATUS_WORDS):
        return Intent.LIST
    verbs = others - {"new"} if len(others) > 1 else others
    if len(verbs) == 1 and verbs <= _OPEN_VERBS:
        return Intent.OPEN
    if len(verbs) == 1 and verbs <= _CLOSE_VERBS:
        return Intent.CLOSE
    return None


@cache
def close_verbs() -> frozenset[str]:
    """"Close" in every language Alex speaks ("cerrar SH…", "fermer SH…", "закрой SH…"): the
    one-word typed "close" of each catalog, so a seller's own verb closes whatever the chat's
    language. Only used next to a dispute id; the close flow still asks twice before CJ hears of it."""
    found: set[str] = set()
    for lang in LANGUAGES:
        for phrase in translator(lang).gettext(texts.TYPED_CLOSE).split("|"):
            word = phrase.strip().lower()
            if word and re.fullmatch(r"[^\W\d_]+", word):  # one word: "cerrar", not "cerrar esta disputa"
                found.add(word)
    return frozenset(found)


def parse_request(text: str) -> Request | None:
    """A request to open, close, check or list disputes, with ids pulled out; None for anything else."""
    dispute_id = find_dispute_id(text)
    order_id = find_order_id(text)
    said = set(words(text))
    if dispute_id:
        if said & _CLOSE_VERBS or set(re.findall(r"[^\W\d_]+", visible_text(text).lower())) & close_verbs():
            return Request(Intent.CLOSE, dispute_id=dispute_id)
        return Request(Intent.STATUS, dispute_id=dispute_id)
    if order_id:
        without_id = re.sub(re.escape(order_id), " ", text, flags=re.IGNORECASE)
        rest = [w for w in _residue(without_id) if w not in _ID_FOLLOWS and w not in _DETERMINERS]
        asks_open = bool(said & (_OPEN_VERBS | _DISPUTE_NOUNS | {"refund", "reissue", "resend"}))
        if asks_open or len(rest) <= 1 or not reads_as_question(text):
            return Request(Intent.OPEN, order_id=order_id)
        return None
    intent = _bare_request(_residue(text))
    return Request(intent) if intent else None
