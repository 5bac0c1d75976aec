"""Text normalisation shared by the knowledge-base index and incoming questions.

Sellers type fast: "stirpe refnd still not on my card", "pakage marked delivered
but buyer got nothing". Both sides of a comparison go through the same pipeline,
so a synonym only has to be listed once and applies to the knowledge base and the
question alike:

    fold (accents, case, apostrophes, punctuation)  ->  tokens
    -> misspellings  ->  light stemming  ->  word synonyms  ->  phrase synonyms

Stemming is deliberately crude (suffix stripping): it only has to be consistent,
not linguistic. Nothing here imports more than ``re`` and ``unicodedata``, so the
CLI starts fast.
"""

from __future__ import annotations

import re
import unicodedata


def _split(text: str) -> list[str]:
    return text.split()


MAX_CHARS = 2_000
"""A question longer than this is cut: a pasted e-mail still gets an answer, in bounded time."""
MAX_TOKENS = 60

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])")

# Frequent misspellings and chat shorthand; general typos are fixed later against the KB vocabulary.
MISSPELLINGS: dict[str, str] = {
    "recieve": "receive", "recieved": "received", "recived": "received", "receieved": "received",
    "recive": "receive", "didnt": "did not", "doesnt": "does not", "dont": "do not", "cant": "can not",
    "wont": "will not", "isnt": "is not", "havent": "have not", "hasnt": "has not", "wasnt": "was not",
    "refun": "refund", "refnd": "refund", "refound": "refund", "rfund": "refund", "refunt": "refund",
    "moneyback": "money back", "dispite": "dispute", "disput": "dispute", "dipute": "dispute",
    "disupte": "dispute", "dispiute": "dispute", "pakage": "package", "packge": "package",
    "pacakge": "package",
    "parcle": "parcel", "warehose": "warehouse", "wharehouse": "warehouse", "ware": "warehouse",
    "aliexpres": "aliexpress", "aliexpess": "aliexpress", "alixpress": "aliexpress",
    "aliexprss": "aliexpress",
    "ali": "aliexpress", "ae": "aliexpress", "strip": "stripe", "stipe": "stripe", "srtipe": "stripe",
    "delieverd": "delivered", "deliverd": "delivered", "delievered": "delivered", "deliverred": "delivered",
    "oder": "order", "ordr": "order", "odrer": "order", "cancle": "cancel", "cancell": "cancel",
    "tiket": "ticket", "tickt": "ticket", "walet": "wallet", "ballance": "balance", "balence": "balance",
    "reship": "resend", "reshipment": "resend", "reshipping": "resend", "resent": "resend",
    "cjdropshipping": "cj", "cjs": "cj", "dropshiping": "dropshipping", "drop": "drop",
    "pls": "please", "plz": "please", "u": "you", "ur": "your", "r": "are", "wat": "what", "hw": "how",
    "bc": "because", "cuz": "because", "thx": "thanks", "ty": "thanks", "im": "i am",
    "ive": "i have", "whats": "what is", "wheres": "where is", "hows": "how is", "shouldnt": "should not",
    "couldnt": "could not", "wouldnt": "would not", "arent": "are not", "werent": "were not",
    "customs": "duty", "custom": "custom",
    "pic": "photo", "pics": "photo", "img": "photo", "vid": "video", "vids": "video", "usd": "usd",
}

# Single words with one meaning here. Keys go through stemming at import, so list plain forms.
WORD_SYNONYMS: dict[str, str] = {
    # things
    "parcel": "package", "pkg": "package", "shipment": "package", "packet": "package", "box": "package",
    "item": "product", "goods": "product", "merchandise": "product", "merch": "product",
    "buyer": "customer", "client": "customer", "shopper": "customer", "consumer": "customer",
    "claim": "dispute", "case": "dispute",
    "reimburse": "refund", "reimbursement": "refund", "repay": "refund",
    "reissue": "resend", "replacement": "resend", "replace": "resend", "reshipped": "resend",
    "aliexpres": "aliexpress", "aliexpresss": "aliexpress",
    "usa": "usa", "america": "usa", "american": "usa", "states": "usa",
    "chinese": "china",
    "representative": "agent", "rep": "agent", "staff": "agent", "human": "agent", "person": "agent",
    "livechat": "chat", "chatbot": "robot", "bot": "robot", "ai": "robot",
    "balance": "wallet", "credit": "wallet",
    "picture": "photo", "image": "photo", "photograph": "photo", "screenshot": "screenshot",
    "screencap": "screenshot", "printscreen": "screenshot",
    "clip": "video", "recording": "video", "footage": "video", "unboxing": "video",
    "proof": "evidence", "prove": "evidence", "documentation": "evidence",
    "late": "delay", "delayed": "delay", "overdue": "delay", "slow": "delay", "lateness": "delay",
    "broken": "damaged", "damage": "damaged", "smashed": "damaged", "cracked": "damaged",
    "defective": "damaged",
    "faulty": "damaged", "shattered": "damaged", "dented": "damaged", "torn": "damaged", "ripped": "damaged",
    "incorrect": "wrong", "different": "wrong",
    "withdraw": "cancel", "retract": "cancel", "revoke": "cancel", "undo": "cancel", "abort": "cancel",
    "fee": "cost", "charge": "cost", "price": "cost", "pay": "cost", "paid": "cost", "expense": "cost",
    "postage": "shipping", "freight": "shipping", "label": "shipping",
    "wholesale": "bulk",
    "application": "app", "mobile": "app", "android": "app", "iphone": "app", "ios": "app",
    "legacy": "classic",
    "website": "web", "site": "web", "browser": "web", "pc": "web", "desktop": "web", "computer": "web",
    "reopen": "reopen",
    "policies": "policy", "rule": "policy", "rules": "policy", "terms": "policy", "conditions": "policy",
    "itemized": "breakdown", "consist": "breakdown",
    "programmatically": "api", "integration": "api", "developer": "api",
    "manually": "manual",
    "shop": "store", "storefront": "store",
    "timeline": "duration", "timing": "duration", "timeframe": "duration",
    "tracking": "tracking", "track": "tracking",
    "delivery": "deliver", "shipped": "ship", "shipping": "shipping",
    "banned": "block", "ban": "block", "suspended": "block", "suspend": "block", "blocked": "block",
    "lock": "block", "locked": "block", "terminated": "block",
    "visa": "card", "mastercard": "card", "amex": "card",
    "worth": "recommend", "bother": "recommend", "advisable": "recommend", "wise": "recommend",
    "recommended": "recommend", "frozen": "paused", "freeze": "paused", "pause": "paused",
    "smart": "recommend", "sensible": "recommend", "advise": "recommend", "advice": "recommend",
    "suggest": "recommend",
    "monday": "day", "tuesday": "day", "wednesday": "day", "thursday": "day", "friday": "day",
    "saturday": "day", "sunday": "day", "week": "day", "weeks": "day", "yesterday": "day", "today": "day",
    "stolen": "stolen", "theft": "stolen", "thief": "stolen",
    "got": "get", "gotten": "get", "came": "come", "arrived": "arrive",
    "turnaround": "duration", "eta": "duration", "held": "paused", "hold": "paused", "empty": "missing",
    "respond": "reply", "response": "reply", "answer": "reply", "feedback": "reply",
    "decide": "decision", "decided": "decision", "verdict": "decision", "ruling": "decision",
    "conclude": "decision", "concluded": "decision", "results": "result",
    "refundable": "refund", "refundible": "refund", "nonrefundable": "refuse",
    "mandatory": "must", "compulsory": "must", "obligatory": "must", "obliged": "must",
    "locate": "find",
    "procedure": "step", "instructions": "step", "instruction": "step", "tutorial": "step",
    "evaluate": "review", "evaluation": "review", "examine": "review", "assess": "review",
}

# Countries other than the two the policies name (USA and Brazil) all mean "some country".
COUNTRIES = (
    "canada mexico uk britain england germany france spain italy portugal netherlands belgium poland sweden "
    "norway denmark finland ireland austria switzerland greece turkey russia ukraine israel uae dubai saudi "
    "india pakistan thailand vietnam indonesia malaysia philippines singapore japan korea australia zealand "
    "argentina chile colombia peru africa nigeria egypt europe asia"
)
for _country in COUNTRIES.split():
    WORD_SYNONYMS.setdefault(_country, "country")

# Multi-word expressions, rewritten after the words above (write them in plain English).
PHRASES: dict[str, str] = {
    "money back": "refund", "get my money": "refund", "my money": "refund", "pay back": "refund",
    "ali express": "aliexpress", "alli express": "aliexpress", "ali exp": "aliexpress",
    "united states": "usa", "us warehouse": "usa warehouse", "the us": "usa", "in us": "usa",
    "to us": "usa", "u s": "usa",
    "post office": "postal", "postal office": "postal", "postal service": "postal", "mail carrier": "postal",
    "usps": "postal", "local post": "postal",
    "customer service": "agent", "customer support": "agent", "real person": "agent",
    "support team": "agent", "cj support": "agent", "contact support": "contact agent",
    "support ticket": "ticket", "talk to support": "agent", "under review": "review",
    "united kingdom": "country", "new zealand": "country", "south africa": "country",
    "south america": "country",
    "live agent": "agent", "someone at cj": "agent",
    "live chat": "chat", "chat window": "chat",
    "send again": "resend", "sent again": "resend", "ship again": "resend", "send another": "resend",
    "send a new": "resend", "send new one": "resend", "re send": "resend", "re ship": "resend",
    "re issue": "resend",
    "send back": "return", "sent back": "return", "ship back": "return", "send it back": "return",
    "bring back": "return",
    "how long": "duration", "how many days": "duration", "how much time": "duration", "how soon": "duration",
    "how many weeks": "duration", "time frame": "duration", "when will": "duration", "how fast": "duration",
    "how quickly": "duration", "take forever": "delay",
    "not receive": "notreceived", "never receive": "notreceived", "not get": "notreceived",
    "never get": "notreceived", "never arrive": "notreceived", "not arrive": "notreceived",
    "never come": "notreceived", "get nothing": "notreceived", "never show up": "notreceived",
    "not show up": "notreceived", "no package": "notreceived", "has nothing": "notreceived",
    "nothing arrive": "notreceived",
    "re open": "reopen", "open again": "reopen", "open it again": "reopen", "dispute again": "reopen dispute",
    "buyer protection": "protection", "purchase protection": "protection",
    "customer protection": "protection",
    "purchase list": "purchaselist", "zf order": "zf",
    "cj wallet": "wallet", "back in balance": "wallet",
    "original way": "original", "original payment": "original", "same payment": "original",
    "made of": "breakdown", "made up of": "breakdown", "composed of": "breakdown",
    "by hand": "manual", "place by hand": "manual",
    "take back": "cancel", "call off": "cancel",
    "credit card": "card", "debit card": "card", "bank card": "card",
    "on hold": "paused", "put on hold": "paused",
    "charge back": "chargeback",
    "have to": "must", "has to": "must", "required to": "must", "obliged to": "must", "forced to": "must",
    "which cases": "eligible", "what cases": "eligible", "in which case": "eligible",
    "cases where": "eligible",
    "what case": "eligible", "which situations": "eligible", "what situations": "eligible",
    "not want": "subjective", "no longer want": "subjective", "change mind": "subjective",
    "change his mind": "subjective", "change her mind": "subjective", "change their mind": "subjective",
    "not like": "subjective", "regret": "subjective", "remorse": "subjective",
    "can not deliver": "limitation", "can not ship": "limitation", "not ship to": "limitation",
    "not deliver to": "limitation", "does not ship": "limitation", "does not deliver": "limitation",
    "no shipping to": "limitation", "limitations": "limitation",
    "claim a refund": "request refund", "ask for a refund": "request refund",
    "apply for a refund": "request refund",
    "hear back": "reply", "get back to me": "reply", "hear from": "reply",
    "good idea": "recommend", "make sense": "recommend", "worth it": "recommend",
    "not moving": "paused", "not processing": "paused", "not processed": "paused",
    "not ship": "unshipped", "not shipped": "unshipped", "not ship yet": "unshipped",
    "before ship": "unshipped",
    "on my phone": "app", "on the phone": "app", "phone app": "app", "from my phone": "app",
    "on phone": "app", "cell phone": "app", "smartphone": "app",
    "how quick": "duration",
    "need to be": "must", "needs to be": "must", "only on cj": "must", "on cj only": "must",
    "put the money": "refund where", "put the cash": "refund where", "the cash go": "refund where",
    "walk me through": "step", "walk through": "step",
    "make up": "breakdown", "makes up": "breakdown", "parts of": "breakdown",
    "withdraw money": "withdrawal", "withdraw funds": "withdrawal", "withdraw my balance": "withdrawal",
    "withdraw from": "withdrawal", "cash out": "withdrawal", "take out money": "withdrawal",
    "cash on delivery": "cod",
    "drop shipping": "dropshipping", "drop ship": "dropshipping", "drop shipped": "dropshipping",
    "rather than": "instead", "in place of": "instead", "as opposed to": "instead",
    "which orders": "eligible orders", "what orders": "eligible orders", "which order": "eligible order",
    "not refundable": "refuse refund", "non refundable": "refuse refund",
    "file a dispute": "open dispute", "file dispute": "open dispute", "raise a dispute": "open dispute",
    "raise dispute": "open dispute", "lodge a dispute": "open dispute", "submit a dispute": "open dispute",
    "broken down": "breakdown", "break down": "breakdown",
    "not paid": "unpaid", "not paid yet": "unpaid", "not pay": "unpaid", "before paying": "unpaid",
    "before payment": "unpaid",
    "the money go": "refund where", "money land": "refund where", "money end up": "refund where",
    "money going": "refund where", "money goes": "refund where", "money sent": "refund where",
    "got my product": "received product", "get my product": "received product",
    "product finally": "received product", "showed up": "arrived", "turned up": "arrived",
    "not dispatch": "unshipped", "not dispatched": "unshipped", "not sent yet": "unshipped",
}

STOPWORDS: frozenset[str] = frozenset(
    _split(
        "a an the i me my mine myself we us our ours you your yours it its itself he him his she her they "
        "them their is are was were be been being am do does did doing done to of in on at for from with "
        "by about as and or but if so that this these those there here what which who whom how can could "
        "would should will shall may might have has had having get got gets getting please just still "
        "also any some all very really ok okay now then yet up out into over not no yes need want tell "
        "know let like one cj dropshipping dropship drop hi hey hello thanks thank kindly sir madam guys "
        "anyone someone something anything thing already even ever again too much many more most own same "
        "such only other another than because while after before am going gonna wanna would could id via "
        "per say says said go goes went gone guy guys kind type sort regards dear greetings cheers "
        "sincerely"
    )
)
"""Function words and words that occur in every question here ("cj", "dropshipping")."""




def fold(text: str) -> str:
    """Lower-case ASCII letters and digits separated by single spaces."""
    text = text[:MAX_CHARS]
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _DIGIT_LETTER.sub(" ", text)
    return " ".join(text.split())


def stem(token: str) -> str:
    """Strip common English suffixes so "refunded", "refunds" and "refunding" meet."""
    if len(token) <= 4 or not token.isalpha():
        return token
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if token.endswith(suffix):
            if suffix == "s" and token.endswith(("ss", "us", "is")):
                return token
            base = token[: len(token) - len(suffix)] + replacement
            if len(base) < 3:
                return token
            token = base
            break
    if len(token) > 4 and token.endswith("e"):
        token = token[:-1]
    if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "aeiouls":
        token = token[:-1]
    return token


_WORD_CACHE: dict[str, list[str]] = {}
_WORD_CACHE_SIZE = 50_000


def word_tokens(text: str) -> list[str]:
    """Fold, split, fix misspellings, stem and map single-word synonyms."""
    out: list[str] = []
    cache = _WORD_CACHE
    for raw in fold(text).split():
        mapped = cache.get(raw)
        if mapped is None:
            mapped = [_WORD_MAP.get(s, s) for s in map(stem, MISSPELLINGS.get(raw, raw).split())]
            if len(cache) < _WORD_CACHE_SIZE:
                cache[raw] = mapped
        out.extend(mapped)
    return out


def _compile_word_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for key, value in WORD_SYNONYMS.items():
        mapping[stem(key)] = stem(value)
    return mapping


_WORD_MAP: dict[str, str] = _compile_word_map()
_STOP: frozenset[str] = STOPWORDS | {_WORD_MAP.get(stem(w), stem(w)) for w in STOPWORDS}
WEAK_WORDS: frozenset[str] = frozenset(
    _WORD_MAP.get(stem(w), stem(w))
    for w in _split(
        "where why when send make use find see give take put show look happen ask way work problem issue "
        "question option choose pick select click button page possible normal usual usually best better "
        "step country"
    )
)
"""Question words and generic verbs and nouns: they match everywhere, so they count for little.

``where`` a refund goes still differs from ``how long`` it takes, so they are kept, weakly."""


def _compile_phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, value in PHRASES.items():
        key_tokens = tuple(word_tokens(key))
        if len(key_tokens) >= 2:
            table[key_tokens] = tuple(word_tokens(value))
    return table


_PHRASES = _compile_phrases()
_PHRASE_LENGTHS = sorted({len(k) for k in _PHRASES}, reverse=True)
_PHRASE_STARTS = frozenset(k[0] for k in _PHRASES)


def apply_phrases(tokens_: list[str]) -> list[str]:
    """Rewrite multi-word expressions, longest first, left to right."""
    starts = _PHRASE_STARTS
    if not any(t in starts for t in tokens_):
        return tokens_
    out: list[str] = []
    i = 0
    n = len(tokens_)
    while i < n:
        if tokens_[i] in starts:
            for length in _PHRASE_LENGTHS:
                if i + length <= n:
                    replacement = _PHRASES.get(tuple(tokens_[i : i + length]))
                    if replacement is not None:
                        out.extend(replacement)
                        i += length
                        break
            else:
                out.append(tokens_[i])
                i += 1
        else:
            out.append(tokens_[i])
            i += 1
    return out


_SEND = frozenset({"send", "sent", "ship", "mail", "post", "bring", "take"})
_SEND_BACK_GAP = 3


def _send_back(tokens_: list[str]) -> list[str]:
    """"send the broken lamp back" -> "return ... ": a gap phrase the phrase table cannot hold."""
    out = list(tokens_)
    for i, token in enumerate(out):
        if token in _SEND:
            for j in range(i + 1, min(i + 2 + _SEND_BACK_GAP, len(out))):
                if out[j] == "back":
                    out[i], out[j] = "return", "return"
                    break
    return out


def phrase_tokens(words: list[str]) -> list[str]:
    """Apply the multi-word rules to :func:`word_tokens` output (the matcher fixes typos in between)."""
    return apply_phrases(_send_back(words[:MAX_TOKENS]))


def tokens(text: str) -> list[str]:
    """Every normalised token of ``text`` in order, stop words included (phrases need them)."""
    return phrase_tokens(word_tokens(text))


def is_stopword(token: str) -> bool:
    return token in _STOP


def content_tokens(tokens_: list[str]) -> list[str]:
    """The tokens that carry meaning, de-duplicated, in order."""
    seen: dict[str, None] = {}
    for token in tokens_:
        if token not in _STOP and token not in seen and (len(token) > 1 or token.isdigit()):
            seen[token] = None
    return list(seen)


def normalize(text: str) -> str:
    """The canonical form of a question: content tokens joined by spaces (also the miss-log key)."""
    return " ".join(content_tokens(tokens(text)))
