"""Greetings, thanks and chit-chat: never FAQ matches.

"hello" shares no words with the knowledge base, but "thanks, that helped with my
refund" does: a message is small talk only when *everything* in it is small talk,
so a question wrapped in pleasantries still reaches the matcher.
"""

from __future__ import annotations

from faq.normalize import fold

GREETING = "greeting"
THANKS = "thanks"
GOODBYE = "goodbye"
ACK = "ack"
ABOUT = "about"

_WORDS: dict[str, str] = {}
for _kind, _words in (
    (GREETING, "hi hello hey hiya heya hallo hola yo sup howdy greetings morning afternoon evening good day "
               "gm hii hiii helo hello there bonjour salut ciao namaste"),
    (THANKS, "thanks thank thankyou thx ty tnx cheers appreciate appreciated great awesome perfect cool nice "
             "helpful amazing wonderful brilliant excellent"),
    (GOODBYE, "bye goodbye cya later see soon night goodnight ttyl farewell"),
    (ACK, "ok okay k kk alright right sure yes yeah yep yup no nope nah got it fine understood noted lol "
          "haha hahaha hmm hm ah oh wow"),
    (ABOUT, "who what your name can do help how is going are doing whats up bot robot human real"),
):
    for _word in _words.split():
        _WORDS.setdefault(_word, _kind)

_FILLER = frozenset(
    ("a", "an", "the", "you", "u", "to", "for", "so", "very", "much", "all", "again", "is", "it", "there",
     "me", "my", "and", "i", "am", "too", "have", "good", "day", "lot", "alot", "bunch", "again", "then")
)
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


def smalltalk_kind(text: str) -> str | None:
    """The kind of small talk ``text`` is (greeting, thanks, goodbye, ack, about), or None."""
    kinds = {kind for emoji, kind in _EMOJI.items() if emoji in text}
    words = fold(text).split()
    if not words:
        return _first(kinds)
    if len(words) > 8:
        return None
    for word in words:
        kind = _WORDS.get(word)
        if kind is not None:
            kinds.add(kind)
        elif word not in _FILLER:
            return None
    return _first(kinds)


def _first(kinds: set[str]) -> str | None:
    for kind in _PRIORITY:
        if kind in kinds:
            return kind
    return None
