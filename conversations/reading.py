"""Reading what a seller typed: visible text, whole numbers, and whether it reads as a question.

Telegram delivers any Unicode: a message of zero-width spaces looks empty on screen, and
``"²".isdigit()`` is True while ``int("²")`` fails. These helpers are the only place the
dialogues turn typed text into numbers or decide it says nothing.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that render as blank although Unicode files them as letters.
_BLANK_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_MARKS = frozenset({"Mn", "Me"})  # combining marks: visible only on a base character
MAX_NUMBER_DIGITS = 6

_QUESTION_OPENERS = re.compile(
    r"^(how|what|whats|what's|why|when|where|which|who|whom|whose|can|could|should|would|will|"
    r"shall|is|are|am|was|were|do|does|did|may|might|must|have|has|had|isn't|aren't|don't|doesn't|"
    r"didn't|can't|cannot|won't|wouldn't|shouldn't|any idea|is it|tell me|explain|wondering|"
    r"i wonder|i want to know|i'd like to know|question|help me understand|if)\b",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"[,;:.!\n]+|\b(?:but|and|so)\b", re.IGNORECASE)


def visible_text(text: str) -> str:
    """``text`` without its invisible characters (zero-width, control, blank fillers), trimmed."""
    kept = [
        ch
        for ch in text
        if ch not in _BLANK_LETTERS and (unicodedata.category(ch) not in _INVISIBLE_CATEGORIES or ch == " ")
    ]
    return " ".join("".join(kept).split())


def is_blank(text: str) -> bool:
    """Nothing a reader would see: only spaces, invisible characters and stray combining marks."""
    return all(unicodedata.category(ch) in _MARKS for ch in visible_text(text).replace(" ", ""))


def whole_number(text: str) -> int | None:
    """A whole number in plain digits (``"3"``); None for ``"²"``, ``"٣"``, ``"𝟙"``, ``"½"`` and words.

    Only ASCII digits count: other scripts' digits are refused with a clear answer rather than
    guessed at (``int("²")`` fails, ``int("𝟙")`` is 1: neither is what a seller taps).
    """
    value = visible_text(text)
    if not value or len(value) > MAX_NUMBER_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    return int(value)


def looks_numeric(text: str) -> bool:
    """Short text made of number-like characters that :func:`whole_number` does not accept."""
    value = visible_text(text).replace(" ", "")
    return 0 < len(value) <= MAX_NUMBER_DIGITS and all(ch.isnumeric() for ch in value)


def reads_as_question(text: str) -> bool:
    """A question mark, or a clause that opens like a question ("…, can i open a dispute")."""
    value = visible_text(text)
    if not value:
        return False
    if "?" in value or "¿" in value:
        return True
    return any(_QUESTION_OPENERS.match(clause.strip()) for clause in _CLAUSES.split(value) if clause)


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept ("i'd", "what's")."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", visible_text(text).lower().replace("’", "'"))
