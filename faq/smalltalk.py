"""Greetings, thanks and chit-chat: never FAQ matches.

"hello" shares no words with the knowledge base, but "thanks, that helped with my
refund" does: a message is small talk only when *everything* in it is small talk,
so a question wrapped in pleasantries still reaches the matcher. Each language's words are
data (the ``smalltalk`` field of ``data/faq/lang/<code>.json``); the emoji are the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from faq.normalize import fold

GREETING = "greeting"
THANKS = "thanks"
GOODBYE = "goodbye"
ACK = "ack"
ABOUT = "about"

SmalltalkTable = tuple[dict[str, str], frozenset[str]]
"""Word -> kind, and the filler words that may surround them, for one language."""
KINDS = (GREETING, THANKS, GOODBYE, ACK, ABOUT)


def compile_table(groups: Mapping[str, Sequence[str]], fold_: Callable[[str], str] = fold) -> SmalltalkTable:
    """A language's ``smalltalk`` settings (kind -> words, plus ``filler``) as a lookup table.

    ``fold_`` must be the function :func:`smalltalk_kind` is given: a language's normalizer passes its
    :meth:`~faq.normalize.Normalizer.spell`, so chat spellings ("q tal") meet the listed words."""
    words: dict[str, str] = {}
    for kind in KINDS:
        for phrase in groups.get(kind, ()):
            for word in fold_(phrase).split():
                words.setdefault(word, kind)
    filler = frozenset(w for phrase in groups.get("filler", ()) for w in fold_(phrase).split())
    return words, filler


_EMOJI: dict[str, str] = {
    "\N{WAVING HAND SIGN}": GREETING,
    "\N{THUMBS UP SIGN}": ACK,
    "\N{PERSON WITH FOLDED HANDS}": THANKS,
    "\N{OK HAND SIGN}": ACK,
    "\N{SMILING FACE WITH SMILING EYES}": ACK,
    "\N{SLIGHTLY SMILING FACE}": ACK,
    "\N{FACE WITH TEARS OF JOY}": ACK,
    "\N{HEAVY BLACK HEART}": THANKS,
}
_PRIORITY = (THANKS, GOODBYE, ABOUT, GREETING, ACK)


def smalltalk_kind(text: str, table: SmalltalkTable, fold_: Callable[[str], str] = fold) -> str | None:
    """The kind of small talk ``text`` is (greeting, thanks, goodbye, ack, about), or None."""
    table_words, filler = table
    kinds = {kind for emoji, kind in _EMOJI.items() if emoji in text}
    words = fold_(text).split()
    if not words:
        return _first(kinds)
    if len(words) > 8:
        return None
    for word in words:
        kind = table_words.get(word)
        if kind is not None:
            kinds.add(kind)
        elif word not in filler:
            return None
    return _first(kinds)


def _first(kinds: set[str]) -> str | None:
    for kind in _PRIORITY:
        if kind in kinds:
            return kind
    return None
