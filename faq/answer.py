"""What the matcher says about one question: :class:`Answer` and its kinds."""

from __future__ import annotations

from typing import NamedTuple

from faq.kb import Entry

ANSWER = "answer"
UNSURE = "unsure"
SMALLTALK = "smalltalk"
UNKNOWN = "unknown"


class Answer(NamedTuple):
    """What the matcher concluded about one question.

    ``kind`` is "answer", "unsure" (show ``alternatives`` as "did you mean"),
    "smalltalk" (``smalltalk`` says which: greeting, thanks, ...) or "unknown".
    ``entry`` is the best match, None when abstaining; ``score`` is 0-100.
    ``lang`` is the language of the answer (and of ``entry``'s texts); ``asked`` the
    language the question was taken to be in. They differ only when a question in a
    language whose translation lacks the topic got the English answer (say so to the seller).
    """

    question: str
    kind: str
    entry: Entry | None
    score: float
    alternatives: list[Entry]
    normalized: str = ""
    smalltalk: str | None = None
    lang: str = "en"
    asked: str = "en"

    @property
    def abstained(self) -> bool:
        return self.kind in (SMALLTALK, UNKNOWN)

    @property
    def untranslated(self) -> bool:
        """The answer is in English because the question's language has no translation of it."""
        return self.lang != self.asked
