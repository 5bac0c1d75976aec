"""One language's index: match a question to a knowledge-base entry, or admit not knowing.

Scoring, for each entry that shares a word with the question (after
:mod:`faq.normalize`, with typos corrected against the knowledge base's own
vocabulary):

* **coverage**: the share of the question's IDF weight found anywhere in the
  entry (question, phrasings, tags). Topic words ("stripe", "zf", "warehouse")
  are rare across entries and dominate; words the knowledge base has never seen
  ("thailand", "password") count against every entry, which is what makes
  off-topic questions score low; unknown tokens with a digit (order ids) weigh like weak words.
* **phrasing**: the best IDF-weighted cosine between the question and one phrasing.
* **fuzzy**: the best rapidfuzz ``token_set_ratio`` against one phrasing, which
  forgives word order and leftover near-misses.

* **tags**: the share of the question's weight found in the entry's curated tags
  (out-of-scope topics, which have none, get :data:`OOS_TAG_SHARE` of their coverage).

An entry whose ``requires`` words are all absent from the question loses
:data:`REQUIRES_PENALTY` points; one whose ``gate`` words are all absent is not a
candidate at all. The blend is a score from 0 to 100. The matcher
abstains ("unknown") when the question names no topic keyword, when it scores
below :data:`ABSTAIN_BELOW`, when it is closest to an *out-of-scope* topic of the
knowledge base, or when such a topic scores within :data:`OOS_MARGIN_UNSURE`
(:data:`OOS_MARGIN_SURE` for a sure answer) of the best entry; it is "unsure"
(answer plus "did you mean") below :data:`SURE_FROM` or when the runner-up is
within :data:`SURE_MARGIN`. A long message that abstains is retried sentence by
sentence. A question worded exactly as one entry's phrasing puts that entry first.
Greetings and thanks are "smalltalk". The thresholds were calibrated on
held-out sets (``tests/faq/heldout*.jsonl``, ``tests/faq/sets/fresh_*.jsonl``,
``python -m tests.faq.calibrate``; figures in ``docs/faq.md``).

The thresholds are :class:`Thresholds`; their defaults are the English calibration and a
language overrides them in its settings file (``thresholds``). Imports only ``rapidfuzz``
and the standard library: no ``telegram`` and no pydantic, so ``alex faq`` starts fast.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from operator import itemgetter
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from faq.answer import ANSWER, SMALLTALK, UNKNOWN, UNSURE, Answer
from faq.errors import UnknownEntryError
from faq.kb import Entry, KnowledgeBase
from faq.normalize import Normalizer
from faq.smalltalk import SmalltalkTable, smalltalk_kind

EXACT_COSINE = 0.9999
"""A phrasing cosine this high means the question and the phrasing have the same words."""
EXACT_MIN_TOKENS = 2
"""Shorter questions equal some phrasing too easily for that to mean anything."""
W_COVERAGE = 0.45
W_PHRASING = 0.25
W_FUZZY = 0.15
W_TAGS = 0.15
"""Share of the question's weight found in the entry's tags: curated topic words beat incidental ones."""
ABSTAIN_BELOW = 50.0
"""Below this the best entry is not shown at all: "I don't know" with the human route."""
SURE_FROM = 62.0
"""From here on (with a clear lead) the answer is given without "did you mean"."""
SURE_MARGIN = 4.0
SURE_MIN_WEIGHT = 2.0
"""IDF mass the question must share with the entry to be sure: "refund" alone is too vague to answer."""
OOS_MARGIN_UNSURE = 8.0
"""An unsure best entry loses to an out-of-scope topic scoring within this many points: a question
that reads about as much like "find a supplier" as like a dispute topic is not one Alex can answer."""
OOS_MARGIN_SURE = 3.0
"""The same for a sure answer, with a much narrower window."""
CLAUSE_MIN_TOKENS = 10
"""A message with at least this many content words is also tried sentence by sentence."""
REQUIRES_PENALTY = 20.0
"""Points an entry loses when the question names none of its ``requires`` words."""
OOS_TAG_SHARE = 0.7
"""Out-of-scope topics have no curated tags; they get this share of their coverage instead, so the
tags part of the blend does not hand every in-scope entry a head start over them."""
MAX_CLAUSES = 12
ALTERNATIVE_WITHIN = 18.0
"""Alternatives are entries scoring within this many points of the best one."""
MAX_ALTERNATIVES = 3
SEARCH_FLOOR = 35.0
PRESELECT = 150
"""Only the entries with the best word coverage get their phrasings compared (keeps 10k entries fast)."""
FUZZY_CANDIDATES = 25
"""Only the best of those are compared character by character."""
UNKNOWN_WORD_WEIGHT = 0.75
"""Weight of a word the knowledge base never uses, as a share of the highest IDF."""
WEAK_WEIGHT = 0.35
TYPO_MIN_LENGTH = 5
TYPO_MIN_SIMILARITY = 0.8


class Thresholds(NamedTuple):
    """A language's abstention and scoring thresholds (defaults: the English calibration above)."""

    abstain_below: float = ABSTAIN_BELOW
    sure_from: float = SURE_FROM
    sure_margin: float = SURE_MARGIN
    sure_min_weight: float = SURE_MIN_WEIGHT
    oos_margin_unsure: float = OOS_MARGIN_UNSURE
    oos_margin_sure: float = OOS_MARGIN_SURE
    requires_penalty: float = REQUIRES_PENALTY
    unknown_word_weight: float = UNKNOWN_WORD_WEIGHT
    weak_weight: float = WEAK_WEIGHT
    typo_min_length: float = TYPO_MIN_LENGTH
    typo_min_similarity: float = TYPO_MIN_SIMILARITY


DEFAULT_THRESHOLDS = Thresholds()


class _Phrasing(NamedTuple):
    tokens: frozenset[str]
    norm: float


class _Doc:
    __slots__ = ("bag", "doc_id", "entry", "phrasings", "requires", "tags", "texts")

    def __init__(self, entry: Entry | None, doc_id: str) -> None:
        self.entry = entry  # None for an out-of-scope topic
        self.doc_id = doc_id
        self.bag: frozenset[str] = frozenset()
        self.tags: frozenset[str] = frozenset()
        self.requires: frozenset[str] = frozenset()
        self.phrasings: list[_Phrasing] = []
        self.texts: list[str] = []


class _Scored(NamedTuple):
    doc: int
    score: float
    matched_weight: float
    parts: dict[str, object] | None
    exact: bool = False
    """The question is, word for word after normalising, one of the document's phrasings."""


Prepared = tuple[
    list[tuple[int, tuple[str, ...]]], tuple[str, ...], list[tuple[str, ...]], list[tuple[str, ...]]
]
"""The slow part of building an index, normalised: every phrasing (by document), the topic words,
each entry's tags and each entry's required words."""
IndexState = tuple[Any, ...]
"""What :meth:`LanguageIndex.to_state` returns: built-in types only, for :mod:`marshal`."""


def prepare(kb: KnowledgeBase, norm: Normalizer) -> Prepared:
    """Normalise every phrasing of ``kb``: the slow part of a build, which the start-up cache skips."""
    texts: list[tuple[int, tuple[str, ...]]] = []
    for doc, entry in enumerate(kb.entries):
        for text in (entry.question, *entry.phrasings, " ".join(entry.tags)):
            texts.append((doc, tuple(norm.content_tokens(norm.tokens(text)))))
    for offset, topic in enumerate(kb.out_of_scope):
        texts.extend(
            (len(kb.entries) + offset, tuple(norm.content_tokens(norm.tokens(t)))) for t in topic.phrasings
        )
    topic_words = kb.topic_words or tuple(tag for entry in kb.entries for tag in entry.tags)
    anchors = tuple(sorted({t for word in topic_words for t in norm.content_tokens(norm.tokens(word))}))
    tags = [tuple(norm.content_tokens(norm.tokens(" ".join(entry.tags)))) for entry in kb.entries]
    requires = [
        tuple(t for word in entry.requires for t in norm.content_tokens(norm.tokens(word)))
        for entry in kb.entries
    ]
    return texts, anchors, tags, requires


class LanguageIndex:
    """An index over one knowledge base in one language; build it once and reuse it."""

    def __init__(
        self,
        kb: KnowledgeBase,
        normalizer: Normalizer,
        smalltalk: SmalltalkTable,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        lang: str = "en",
        *,
        state: IndexState | None = None,
    ) -> None:
        """Index ``kb``; ``state`` is :meth:`to_state` of an earlier build (the start-up cache)."""
        self.kb = kb
        self.lang = lang
        self.thresholds = thresholds
        self._norm = normalizer
        self._weak = normalizer.weak_words
        self._smalltalk = smalltalk
        th = thresholds
        self._by_id: dict[str, Entry] = {e.id: e for e in kb.entries}
        self._docs: list[_Doc] = [_Doc(entry, entry.id) for entry in kb.entries]
        self._docs += [_Doc(None, topic.id) for topic in kb.out_of_scope]
        if state is not None:
            self._set_state(state)
            return
        texts, anchors, tags, requires = prepare(kb, normalizer)
        for doc, entry_tags in enumerate(tags):
            self._docs[doc].tags = frozenset(entry_tags)
        for doc, required in enumerate(requires):
            self._docs[doc].requires = frozenset(required)

        bags: list[set[str]] = [set() for _ in self._docs]
        for doc, toks in texts:
            bags[doc].update(toks)
        df: dict[str, int] = {}
        for bag in bags:
            for token in bag:
                df[token] = df.get(token, 0) + 1
        n_docs = len(self._docs)
        self._idf: dict[str, float] = {t: math.log(1.0 + n_docs / d) for t, d in df.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        min_length = int(th.typo_min_length) - 1
        self._vocab: list[str] = [t for t in self._idf if t.isalpha() and len(t) >= min_length]

        self._doc_postings: dict[str, list[int]] = {}
        self._phrasing_postings: dict[str, list[int]] = {}
        self._phrasing_doc: list[int] = []
        self._phrasing_norm: list[float] = []
        for doc, bag in enumerate(bags):
            self._docs[doc].bag = frozenset(bag)
            for token in bag:
                self._doc_postings.setdefault(token, []).append(doc)
        for doc, toks in texts:
            if not toks:
                continue
            norm = math.sqrt(sum(self._weight(t) ** 2 for t in toks))
            self._docs[doc].phrasings.append(_Phrasing(frozenset(toks), norm))
            self._docs[doc].texts.append(" ".join(toks))
            phrasing_id = len(self._phrasing_doc)
            self._phrasing_doc.append(doc)
            self._phrasing_norm.append(norm)
            for token in set(toks):
                self._phrasing_postings.setdefault(token, []).append(phrasing_id)

        self._anchors: frozenset[str] = frozenset(anchors)
        norm_words = normalizer.content_tokens
        self._gates: dict[int, frozenset[str]] = {
            doc: frozenset(t for word in entry.gate for t in norm_words(normalizer.tokens(word)))
            for doc, entry in enumerate(kb.entries) if entry.gate
        }

    def to_state(self) -> IndexState:
        """Everything built above as built-in types (:mod:`marshal` can write it): the start-up cache
        keeps this, so a cold ``alex faq`` skips the weights and postings too, not only normalising."""
        docs = tuple(
            (d.bag, d.tags, d.requires, tuple((p.tokens, p.norm) for p in d.phrasings), tuple(d.texts))
            for d in self._docs
        )
        return (docs, self._idf, self._max_idf, self._vocab, self._doc_postings,
                self._phrasing_postings, self._phrasing_doc, self._phrasing_norm, self._anchors, self._gates)

    def _set_state(self, state: IndexState) -> None:
        (docs, self._idf, self._max_idf, self._vocab, self._doc_postings,
         self._phrasing_postings, self._phrasing_doc, self._phrasing_norm, self._anchors, self._gates) = state
        if len(docs) != len(self._docs):
            raise ValueError("index state is for another knowledge base")
        for doc, (bag, tags, requires, phrasings, texts) in zip(self._docs, docs, strict=True):
            doc.bag, doc.tags, doc.requires = bag, tags, requires
            doc.phrasings = [_Phrasing(*p) for p in phrasings]
            doc.texts = list(texts)

    # -- public API ---------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.kb.entries

    @property
    def human_route(self) -> str:
        return self.kb.human_route

    @property
    def smalltalk(self) -> SmalltalkTable:
        return self._smalltalk

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id in this language, or None when it is not translated."""
        return self._by_id.get(entry_id)

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (for callback buttons); :class:`UnknownEntryError` otherwise."""
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise UnknownEntryError(f"no FAQ entry {entry_id!r}") from None

    @property
    def normalizer(self) -> Normalizer:
        return self._norm

    def answer(self, question: str) -> Answer:
        """The best entry, "did you mean" alternatives, or an honest abstention."""
        question = clean(question)
        found, out_of_scope = self._decide(question)
        if found.kind == UNKNOWN and not out_of_scope:
            found = self._answer_clauses(question, found)
        return found._replace(lang=self.lang, asked=self.lang)

    def _answer_one(self, question: str) -> Answer:
        return self._decide(question)[0]

    def _decide(self, question: str) -> tuple[Answer, bool]:
        """The answer, and whether it abstains because the question reads like an out-of-scope topic
        (a clear one: scoring above :data:`ABSTAIN_BELOW`). Such a message is not searched sentence by
        sentence: "how do I change the address? (...) the order has not shipped" is about editing an
        order, whatever one of its sentences says about shipping."""
        th = self.thresholds
        kind = smalltalk_kind(question, self._smalltalk, self._norm.spell)
        query = self._query_tokens(question)
        normalized = " ".join(query)
        if kind is not None:
            return Answer(question, SMALLTALK, None, 0.0, [], normalized, kind), False
        if not self._names_a_topic(query):
            return Answer(question, UNKNOWN, None, 0.0, [], normalized), False
        ranked = self._exact_first(self._rank(query), query)
        entries = [(self._docs[d].entry, s, w) for d, s, w, *_ in ranked if self._docs[d].entry is not None]
        if not entries:
            return Answer(question, UNKNOWN, None, 0.0, [], normalized), False
        best, best_score, best_weight = entries[0]
        assert best is not None
        score = round(best_score, 1)
        top_doc = ranked[0][0]
        if self._docs[top_doc].entry is None or best_score < th.abstain_below:
            clear_oos = self._docs[top_doc].entry is None and ranked[0][1] >= th.abstain_below
            return Answer(question, UNKNOWN, None, score, [], normalized), clear_oos
        floor = max(th.abstain_below, best_score - ALTERNATIVE_WITHIN)
        alternatives = [e for e, s, _ in entries[1:] if e is not None and s >= floor][:MAX_ALTERNATIVES]
        runner_up = entries[1][1] if len(entries) > 1 else 0.0
        sure = (
            best_score >= th.sure_from
            and best_score - runner_up >= th.sure_margin
            and best_weight >= th.sure_min_weight
        )
        oos_score = max((s for d, s, *_ in ranked if self._docs[d].entry is None), default=0.0)
        if best_score - oos_score < (th.oos_margin_sure if sure else th.oos_margin_unsure):
            return Answer(question, UNKNOWN, None, score, [], normalized), oos_score >= th.abstain_below
        return Answer(question, ANSWER if sure else UNSURE, best, score, alternatives, normalized), False

    def _exact_first(self, ranked: list[_Scored], query: list[str]) -> list[_Scored]:
        """The entry one of whose phrasings is this very wording goes first (unless an out-of-scope
        topic has it too): the knowledge base says which entry that question belongs to."""
        if len(set(query)) < EXACT_MIN_TOKENS or not ranked or ranked[0].exact:
            return ranked
        exact = [r for r in ranked if r.exact]
        if not exact or any(self._docs[r.doc].entry is None for r in exact):
            return ranked
        return [exact[0], *(r for r in ranked if r is not exact[0])]

    def _answer_clauses(self, question: str, whole: Answer) -> Answer:
        """A long message whose whole text abstains may still hold one clear question.

        Sellers paste a story and bury the question in it ("... she sent pics. what do I
        need to upload to prove it?"). The story's words that the knowledge base never uses
        drag the whole message below the threshold, so each sentence is tried on its own. A
        sentence the seller ends with "?" is the question: it is preferred, and kept from the
        abstention threshold on; any other sentence only when it scores like a sure answer
        (:data:`SURE_FROM`), since a vaguely related clause is no better than the abstention.
        """
        if len(whole.normalized.split()) < CLAUSE_MIN_TOKENS:
            return whole
        best, best_asks = whole, False
        parts = _CLAUSE_SPLIT.split(question)  # clause, the separator after it, clause, ...
        marked = [  # the question usually comes last; MAX_CLAUSES bounds a pasted e-mail
            [clause, "?" in after] for clause, after in zip(parts[::2], [*parts[1::2], ""], strict=True)
        ][-MAX_CLAUSES - 1 :]
        for before, clause in itertools.pairwise(marked):
            if clause[1] and not self._names_a_topic(self._query_tokens(clause[0])):
                before[1] = True  # "(a situation). Can you walk me through it?" asks about that situation
        clauses = [
            (text, asks) for text, asks in marked if len(text.split()) >= 3 and text.strip() != question
        ]
        for clause, asks in clauses[-MAX_CLAUSES:]:
            found = self._answer_one(clause)
            floor = self.thresholds.abstain_below if asks else self.thresholds.sure_from
            if found.kind not in (ANSWER, UNSURE) or found.score < floor:
                continue
            if best is whole or (asks, found.score) > (best_asks, best.score):
                best, best_asks = found, asks
        if best is whole:
            return whole
        return best._replace(question=whole.question, normalized=whole.normalized)

    def _names_a_topic(self, query: list[str]) -> bool:
        """Whether the normalised question names one of the knowledge base's topic words at all."""
        return any(token in self._anchors for token in query)

    def search(self, question: str, limit: int = 5) -> list[tuple[Entry, float]]:
        """Entries ranked for a partial query (Telegram inline mode): no abstention, just a floor."""
        query = self._query_tokens(clean(question))
        if not query:
            return []
        out: list[tuple[Entry, float]] = []
        for doc, score, *_ in self._rank(query):
            entry = self._docs[doc].entry
            if entry is not None and score >= SEARCH_FLOOR:
                out.append((entry, round(score, 1)))
                if len(out) >= limit:
                    break
        return out

    def normalize(self, question: str) -> str:
        """The canonical form used as the miss-log key (typos corrected against this knowledge base)."""
        return " ".join(self._query_tokens(clean(question)))

    # -- internals ----------------------------------------------------------------------------

    def _weight(self, token: str) -> float:
        weight = self._idf.get(token)
        if weight is None:
            weight = self.thresholds.unknown_word_weight * self._max_idf
            if any(c.isdigit() for c in token):  # an order id or an amount says nothing about the topic
                return weight * self.thresholds.weak_weight
        return weight * self.thresholds.weak_weight if token in self._weak else weight

    def _query_tokens(self, question: str) -> list[str]:
        norm = self._norm
        words = [self._correct(w) for w in norm.word_tokens(question)]
        return norm.content_tokens(norm.phrase_tokens(words))

    def _correct(self, word: str) -> str:
        th = self.thresholds
        if (word in self._idf or len(word) < th.typo_min_length or not word.isalpha()
                or self._norm.is_stopword(word) or word in self._norm.phrase_words or word in self._weak):
            return word
        found = process.extractOne(
            word, self._vocab, scorer=OSA.normalized_similarity, processor=None,
            score_cutoff=th.typo_min_similarity,
        )
        return found[0] if found is not None else word

    def explain(self, question: str, limit: int = 5) -> list[dict[str, object]]:
        """The top candidates and their score parts, for tuning the knowledge base (``--explain``)."""
        query = self._query_tokens(clean(question))
        rows: list[dict[str, object]] = []
        for doc, score, _, parts, _ in self._rank(query, detail=True)[:limit]:
            rows.append({"id": self._docs[doc].doc_id, "score": round(score, 1),
                         "in_scope": self._docs[doc].entry is not None, **(parts or {})})
        return rows

    def _cosines(self, squares: dict[str, float]) -> dict[int, float]:
        """Best (un-normalised) phrasing cosine per document, from the phrasing posting lists."""
        dots: dict[int, float] = {}
        for token, square in squares.items():
            for phrasing_id in self._phrasing_postings.get(token, ()):
                dots[phrasing_id] = dots.get(phrasing_id, 0.0) + square
        best: dict[int, float] = {}
        doc_of, norm_of = self._phrasing_doc, self._phrasing_norm
        for phrasing_id, dot in dots.items():
            doc = doc_of[phrasing_id]
            value = dot / norm_of[phrasing_id]
            if value > best.get(doc, 0.0):
                best[doc] = value
        return best

    def _rank(self, query: list[str], detail: bool = False) -> list[_Scored]:
        """Documents sharing a word with ``query``, best first (at most :data:`FUZZY_CANDIDATES`).

        Three stages keep a 10,000-entry knowledge base fast: coverage from the
        posting lists for every candidate, the phrasing cosine for the best
        :data:`PRESELECT` by coverage, and the character-level fuzzy score only
        for the best :data:`FUZZY_CANDIDATES` after that.
        """
        weights = {t: self._weight(t) for t in query}
        total = sum(weights.values())
        if total <= 0:
            return []
        squares = {t: w * w for t, w in weights.items()}
        q_norm = math.sqrt(sum(squares.values()))
        coverage: dict[int, float] = {}
        for token, weight in weights.items():
            for doc in self._doc_postings.get(token, ()):
                coverage[doc] = coverage.get(doc, 0.0) + weight
        for doc, gate in self._gates.items():
            if doc in coverage and not gate & weights.keys():
                del coverage[doc]
        if not coverage:
            return []
        candidates = (
            heapq.nlargest(PRESELECT, coverage.items(), key=itemgetter(1))
            if len(coverage) > PRESELECT
            else coverage.items()
        )
        query_set = frozenset(weights)
        weight_of = weights.__getitem__
        best_cos = self._cosines(squares) if len(coverage) <= PRESELECT else None
        prelim: list[tuple[float, int, float, float, float, float]] = []
        for doc, covered in candidates:
            if best_cos is not None:
                cos = best_cos.get(doc, 0.0)
            else:
                cos = 0.0
                for tokens_, norm in self._docs[doc].phrasings:
                    shared = query_set & tokens_
                    if shared:
                        value = sum(map(squares.__getitem__, shared)) / norm
                        if value > cos:
                            cos = value
            cos /= q_norm
            cov = covered / total
            if self._docs[doc].entry is None:
                tag_cov = OOS_TAG_SHARE * cov
            else:
                tag_cov = sum(map(weight_of, query_set & self._docs[doc].tags)) / total
            base = W_COVERAGE * cov + W_PHRASING * cos + W_TAGS * tag_cov
            prelim.append((base, doc, cov, cos, covered, tag_cov))
        best_docs = heapq.nlargest(FUZZY_CANDIDATES, prelim) if len(prelim) > FUZZY_CANDIDATES else prelim
        # The fuzzy part adds at most W_FUZZY: a document further than that (plus the alternatives'
        # window) below the leader can neither win nor be an alternative, so it keeps its lower bound.
        cutoff = max(base for base, *_ in best_docs) - W_FUZZY - ALTERNATIVE_WITHIN / 100.0
        query_text = " ".join(query)
        scored: list[_Scored] = []
        for base, doc, cov, cos, covered, tag_cov in best_docs:
            best = None
            if base >= cutoff or detail:
                best = process.extractOne(
                    query_text, self._docs[doc].texts, scorer=fuzz.token_set_ratio, processor=None
                )
            fuzzy = best[1] / 100.0 if best is not None else 0.0
            parts = None
            if detail:
                parts = {"coverage": round(cov, 3), "phrasing": round(cos, 3), "fuzzy": round(fuzzy, 3),
                         "tags": round(tag_cov, 3), "matched_weight": round(covered, 2),
                         "closest": best[0] if best is not None else ""}
            total_score = 100.0 * (base + W_FUZZY * fuzzy)
            required = self._docs[doc].requires
            if required and not required & query_set:
                total_score -= self.thresholds.requires_penalty
                if parts is not None:
                    parts["requires_missing"] = True
            scored.append(_Scored(doc, total_score, covered, parts, cos >= EXACT_COSINE))
        scored.sort(key=itemgetter(1), reverse=True)
        return scored


_CLAUSE_SPLIT = re.compile(  # sentences, and ", but ..." in each language; the separator is kept
    r"([.!?;\n]+|,\s+(?:but|so|and|pero|y|entonces|mas|mais|e|então|donc|et|aber|also|und|но|и|а|так что)"
    r"\s+)",
    re.IGNORECASE,
)


def clean(question: object) -> str:
    """Any input becomes a printable str: bytes are decoded, lone surrogates replaced."""
    if isinstance(question, bytes):
        question = question.decode("utf-8", "replace")
    text = str(question) if question is not None else ""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ").strip()


