"""The matcher: right answers in sellers' words, "did you mean" when unsure, honesty otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faq import index_cache
from faq.errors import UnknownEntryError
from faq.languages import load_settings
from faq.matcher import ANSWER, SMALLTALK, UNKNOWN, UNSURE, Matcher, load_matcher
from tests.faq.calibrate import HELDOUT, load_set, score

KINDS = {ANSWER, UNSURE, SMALLTALK, UNKNOWN}


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("stripe refund still not on my card", "stripe_refund"),
        ("tracking says delivered but buyer got nothing", "delivered_not_received"),
        ("can returns go to the US warehouse", "us_warehouse"),
        ("How long does it take to review a dispute?", "review_time"),
        ("zf order came damaged, how do i dispute", "bulk_dispute"),
        ("Stirpe refnd how many days", "stripe_refund"),
        ("STRIPE REFUND???", "stripe_refund"),
        ("Réclamation: où va le refund, Payssion ou wallet?", "refund_destination"),
    ],
)
def test_sellers_words_find_the_right_entry(matcher: Matcher, question: str, entry_id: str) -> None:
    answer = matcher.answer(question)
    assert answer.entry is not None and answer.entry.id == entry_id
    assert not answer.abstained
    assert 0 <= answer.score <= 100


def test_a_clear_question_is_answered_without_hesitation(matcher: Matcher) -> None:
    answer = matcher.answer("how long does a stripe refund take")
    assert answer.kind == ANSWER
    assert "5-10 business days" in answer.entry.answer  # type: ignore[union-attr]


def test_a_vague_question_offers_alternatives(matcher: Matcher) -> None:
    answer = matcher.answer("refund")
    assert answer.kind == UNSURE
    assert answer.entry is not None
    assert 1 <= len(answer.alternatives) <= 3
    assert answer.entry not in answer.alternatives
    assert len({e.id for e in answer.alternatives}) == len(answer.alternatives)


@pytest.mark.parametrize(
    "question",
    [
        "what is the weather tomorrow",
        "reset my password",
        "do you have a warehouse in thailand",
        "how to use the chrome extension",
        "price of shipping to canada",
        "write me an ad for my store",
        "qwerty",
        "how do i connect my shopify store",
    ],
)
def test_out_of_scope_questions_are_not_answered(matcher: Matcher, question: str) -> None:
    answer = matcher.answer(question)
    assert answer.kind == UNKNOWN and answer.abstained
    assert answer.entry is None and answer.alternatives == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [("hello", "greeting"), ("Hi there!", "greeting"), ("thanks a lot", "thanks"), ("ok", "ack"),
     ("\N{WAVING HAND SIGN}", "greeting"), ("bye", "goodbye"), ("who are you?", "about")],
)
def test_small_talk_is_not_an_faq_match(matcher: Matcher, text: str, kind: str) -> None:
    answer = matcher.answer(text)
    assert answer.kind == SMALLTALK and answer.smalltalk == kind and answer.entry is None


@pytest.mark.parametrize("text", ["jaja q tal tu dia alex", "q tal"])
def test_small_talk_in_chat_spelling_is_small_talk(matcher: Matcher, text: str) -> None:
    """Spanish sellers write "q" for "que"; the language's misspellings apply to its small-talk words
    too (before: "jaja q tal tu dia alex" was answered with the help-options entry)."""
    answer = matcher.answer(text)
    assert answer.kind == SMALLTALK and answer.entry is None


def test_pleasantries_around_a_question_do_not_hide_it(matcher: Matcher) -> None:
    answer = matcher.answer("hi! thanks, and how long does the dispute review take?")
    assert answer.entry is not None and answer.entry.id == "review_time"


def test_entry_lookup(matcher: Matcher) -> None:
    assert matcher.entry("review_time").question.startswith("How long")
    with pytest.raises(UnknownEntryError):
        matcher.entry("nope")
    with pytest.raises(KeyError):
        matcher.entry("oos_general")  # out-of-scope topics are not entries


def test_search_ranks_for_inline_mode(matcher: Matcher) -> None:
    results = matcher.search("aliexpress dispute", limit=3)
    assert 1 <= len(results) <= 3
    assert all(entry.id.startswith("ali_") for entry, _ in results)
    assert [s for _, s in results] == sorted((s for _, s in results), reverse=True)
    assert matcher.search("") == [] and matcher.search("😀") == []


@pytest.mark.parametrize(
    "junk",
    [
        "", "   ", "x" * 10_000, "refund " * 3_000, "\x00\xff\ufffd\x1b[31m", "😀🔥💯" * 100,
        "\ud800 lone surrogate", "دفع المبلغ", "退款需要多久", "?!?!?!", "DROP TABLE faq_misses;--",
    ],
)
def test_any_input_gives_an_answer_or_an_abstention(matcher: Matcher, junk: str) -> None:
    answer = matcher.answer(junk)
    assert answer.kind in KINDS
    assert answer.abstained == (answer.entry is None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_never_crashes_on_arbitrary_text(matcher: Matcher, text: str) -> None:
    answer = matcher.answer(text)
    assert answer.kind in KINDS
    assert 0.0 <= answer.score <= 100.0
    assert len(answer.alternatives) <= 3


def test_held_out_phrasings_stay_answered(matcher: Matcher) -> None:
    """Regression guard on questions written apart from the knowledge base (not a speed test)."""
    items = [item for path in sorted(HELDOUT.parent.glob("heldout*.jsonl")) for item in load_set(path)]
    outcome = score(matcher, items, threshold=0.0)
    assert outcome.inscope >= 250 and outcome.oos >= 80
    assert outcome.correct / outcome.inscope >= 0.92
    assert outcome.oos_answered / outcome.oos <= 0.05


def test_index_cache_round_trip_gives_the_same_answers(tmp_path: Path) -> None:
    load_matcher.cache_clear()
    try:
        built = load_matcher()
        assert list((tmp_path / "cache").glob("faq-index-*.marshal"))
        load_matcher.cache_clear()
        cached = load_matcher()
        assert cached is not built
        for q in ("stripe refund", "reopen aliexpress dispute", "weather", "refund"):
            a, b = built.answer(q), cached.answer(q)
            assert (a.kind, a.entry, a.score, a.alternatives) == (b.kind, b.entry, b.score, b.alternatives)
    finally:
        load_matcher.cache_clear()


def test_a_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    load_matcher.cache_clear()
    try:
        load_matcher()
        for file in (tmp_path / "cache").glob("faq-index-*.marshal"):
            file.write_bytes(b"\x00garbage")
        load_matcher.cache_clear()
        assert load_matcher().answer("stripe refund").entry.id == "stripe_refund"  # type: ignore[union-attr]
    finally:
        load_matcher.cache_clear()


def test_each_knowledge_base_keeps_its_own_cache(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"entries": [
        {"id": "x", "question": "Opening hours?", "answer": "9-5", "source": "s", "tags": ["hours"]}
    ]}), encoding="utf-8")
    load_matcher.cache_clear()
    try:
        load_matcher()
        shipped = len(list((tmp_path / "cache").glob("faq-index-*.marshal")))  # English + the detector
        load_matcher(str(other))
        assert len(list((tmp_path / "cache").glob("faq-index-*.marshal"))) == shipped + 1
        other.write_text(other.read_text(encoding="utf-8").replace("9-5", "8-4"), encoding="utf-8")
        load_matcher.cache_clear()
        assert load_matcher(str(other)).entry("x").answer == "8-4"  # an edit misses the old cache
        assert len(list((tmp_path / "cache").glob("faq-index-*.marshal"))) == shipped + 1  # and replaces it
    finally:
        load_matcher.cache_clear()


def test_cache_can_be_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEX_CACHE_DIR", "off")
    assert index_cache.cache_dir() is None


def test_other_knowledge_bases_work(tmp_path: Path) -> None:
    kb = tmp_path / "kb.json"
    kb.write_text(json.dumps({
        "entries": [
            {"id": "opening", "question": "What are your opening hours?", "answer": "9 to 5.",
             "source": "handbook", "tags": ["hours", "open"], "phrasings": ["when are you open"]},
            {"id": "parking", "question": "Where can I park?", "answer": "Behind the shop.",
             "source": "handbook", "tags": ["park"], "phrasings": ["car park"]},
        ],
    }), encoding="utf-8")
    matcher = load_matcher(str(kb))
    assert matcher.answer("opening hours?").entry.id == "opening"  # type: ignore[union-attr]
    assert matcher.answer("stripe refund").kind == UNKNOWN


def test_answer_path_imports_nothing_heavy() -> None:
    code = (
        "import sys; from faq.cli import main; import faq.matcher;"
        "faq.matcher.load_matcher().answer('refund');"
        "heavy = [m for m in ('telegram', 'pydantic', 'pydantic_settings', 'httpx', 'sqlite_utils', 'yaml',"
        " 'dataclasses', 'numpy', 'store') if m in sys.modules]; print(','.join(heavy))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def _kb_file(tmp_path: Path, entries: list[dict[str, object]]) -> str:
    kb = tmp_path / "kb.json"
    kb.write_text(json.dumps({"entries": entries}), encoding="utf-8")
    return str(kb)


def test_an_entry_missing_its_required_word_is_not_answered(tmp_path: Path) -> None:
    """A topic word alone ("warehouse") does not make a question about returns to the warehouse."""
    path = _kb_file(tmp_path, [
        {"id": "returns", "question": "Why does the warehouse refuse returns?", "answer": "Labour costs.",
         "source": "handbook", "tags": ["warehouse", "return"], "requires": ["return", "send back"],
         "phrasings": ["warehouse will not accept returns"]},
        {"id": "hours", "question": "When is the shop open?", "answer": "9 to 5.",
         "source": "handbook", "tags": ["open", "hours"]},
    ])
    matcher = load_matcher(path)
    assert matcher.answer("why won't the warehouse take my returns").entry.id == "returns"  # type: ignore[union-attr]
    assert matcher.answer("can my buyer send it back to the warehouse").entry.id == "returns"  # type: ignore[union-attr]
    assert matcher.answer("how big is the warehouse").kind == UNKNOWN


def test_a_question_close_to_an_out_of_scope_topic_is_not_answered(matcher: Matcher) -> None:
    for question in (
        "how many warehouses does cj run worldwide",
        "withdraw money from my cj wallet to paypal",
        "how much to ship a phone case to spain",
    ):
        assert matcher.answer(question).abstained, question


def test_a_question_buried_in_a_long_message_is_found(matcher: Matcher) -> None:
    story = ("Hi there, hope your week is going fine. I sell garden tools and I have been with you for two "
             "years, mostly without trouble. Last month a buyer in Ohio got a rake with a snapped handle "
             "and sent me three pictures of it. Can I upload a video of the damage as well?")
    answer = matcher.answer(story)
    assert not answer.abstained
    assert answer.entry is not None and answer.entry.id == "evidence_video"
    assert answer.question == story


def test_a_long_off_topic_message_stays_unanswered(matcher: Matcher) -> None:
    story = ("Hello, I have been selling for a while and business is good. My customers are happy with the "
             "products. I would like to grow. Which marketing channel should I try next, TikTok or Google?")
    assert matcher.answer(story).abstained


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("stripe refund for order SD2510031452310001 CJPKL7788123 still not on my card after 6 days",
         "stripe_refund"),
        ("pedido SD2510031452310001 y CJPKL7788123: el reembolso de stripe no me llega", "stripe_refund"),
        ("dispute SH2510031452310001 opened for CJPKL7788123 4591, how long does the review take",
         "review_time"),
        ("заказ CJPKL7788123 SD2510031452310001 возврат на stripe не пришел", "stripe_refund"),
    ],
)
def test_ids_and_numbers_in_a_question_do_not_sink_it(matcher: Matcher, question: str, topic: str) -> None:
    """Sellers paste ids into their question; an unknown token with a digit weighs like a weak word,
    not like an off-topic word (before: every one of these abstained)."""
    found = matcher.answer(question)
    assert found.kind in (ANSWER, UNSURE) and found.entry is not None and found.entry.id == topic


def test_typo_fixes_leave_the_words_phrase_rules_read(matcher: Matcher) -> None:
    """German "schickt ... zurück" must reach the separable rule as "schickt", not be "fixed" into the
    vocabulary's "schick" first (a phrase's own words are not in the index once it has replaced them;
    before: 7 such words in de, pt and ru were rewritten)."""
    rewritten = []
    for lang in matcher.languages:
        index = matcher.index(lang)
        settings = load_settings(lang)
        words = {w for variants in settings.phrases.values() for v in variants for w in v.split()}
        words |= {w for sep in settings.separable for w in (*sep.first, sep.last)}
        for word in sorted(words):
            if index.normalize(word) != index.normalizer.normalize(word):
                rewritten.append((lang, word, index.normalize(word)))
    assert rewritten == []


def test_typo_fixes_leave_a_languages_weak_words_alone(matcher: Matcher) -> None:
    """A weak word is a known word of the language, not a typo: French "urgent" must not become "argent"
    (money), nor Spanish "content" "contest" (before: a dozen weak words in es, fr, de and ru were
    rewritten)."""
    rewritten = []
    for lang in matcher.languages:
        index = matcher.index(lang)
        for word in sorted(load_settings(lang).weak_words):
            if index.normalize(word) != index.normalizer.normalize(word):
                rewritten.append((lang, word, index.normalize(word)))
    assert rewritten == []


@pytest.mark.parametrize(
    "question",
    [
        "petite question : si j'ouvre un litige sur une commande pas encore partie, est-ce qu'elle continue "
        "d'être préparée ? mon client s'impatiente déjà et m'écrit tous les soirs sur instagram",
        "вопрос: если открыть спор по заказу, который еще не отправили, его продолжат собирать? клиент уже "
        "каждый вечер пишет мне в инстаграм и мне неудобно",
    ],
)
def test_in_a_long_message_the_sentence_asked_with_a_question_mark_is_the_question(
    matcher: Matcher, question: str
) -> None:
    """The whole message abstains (the story's words weigh it down); its "?" sentence is answered even
    below the sure threshold (before: both abstained, the asked sentence scoring 51-61)."""
    found = matcher.answer(question)
    assert found.kind in (ANSWER, UNSURE) and found.entry is not None and found.entry.id == "processing_stops"


@pytest.mark.parametrize(
    "question",
    [
        "Buenas noches. Empecé mi tienda hace dos semanas con gadgets de cocina y mi primer comprador me "
        "escribió un correo enojado. Quiero abrir una disputa en CJ pero no sé en qué menú se hace. "
        "¿Me guías?",
    ],
)
def test_a_question_that_names_no_topic_asks_about_the_sentence_before_it(
    matcher: Matcher, question: str
) -> None:
    """"Could you guide me through it?" names nothing; the sentence before it is what is asked (before:
    it abstained, that sentence not being followed by a "?" and scoring below the sure threshold)."""
    found = matcher.answer(question)
    assert found.kind in (ANSWER, UNSURE)
    assert found.entry is not None and found.entry.id == "open_dispute_steps"


@pytest.mark.parametrize(
    "question",
    [
        "Hola, urgente. Mi clienta se equivocó de calle al comprar. El pedido sigue en processing, "
        "todavía no salió del almacén. ¿Cómo cambio la dirección antes del envío?",
        "Клиентка указала не ту улицу. Заказ оплачен, еще не отправлен. Как поменять адрес доставки? "
        "открывать спор не хочу",
    ],
)
def test_a_message_that_reads_out_of_scope_is_not_rescued_by_one_of_its_sentences(
    matcher: Matcher, question: str
) -> None:
    """Changing an address before dispatch is not something Alex answers; one sentence about an unshipped
    order, or about not wanting a dispute, must not turn the abstention into an answer (before: answered
    as dispute eligibility and as opening a dispute)."""
    assert matcher.answer(question).abstained


@pytest.mark.parametrize(
    "question",
    [
        "they suspended my cj account, what now",
        "minha conta cj tá bloqueada, e agora",
        "cj hat mein konto gesperrt, was jetzt",
        "мне заблокировали аккаунт в cj, что теперь",
    ],
)
def test_a_blocked_account_is_for_cj_support_not_the_dispute_rules(matcher: Matcher, question: str) -> None:
    """The "disputes only on CJ" entry warns that disputes elsewhere can get an account blocked; a seller
    whose account is blocked asks something else, which only CJ's support can answer (before: answered
    with that entry, sure, in every language). The warning itself stays found."""
    assert matcher.answer(question).abstained


def test_the_account_warning_is_still_found_when_a_dispute_elsewhere_is_named(matcher: Matcher) -> None:
    found = matcher.answer("will cj ban my account if i do a paypal dispute")
    assert found.entry is not None and found.entry.id == "must_use_cj"


def test_a_question_worded_as_an_entrys_own_phrasing_gets_that_entry_first(matcher: Matcher) -> None:
    """"Which orders can I open a dispute for?" is dispute eligibility's own question; policy coverage's
    tags outscored it by a point (before: policy_cases, with the right entry only as "did you mean")."""
    found = matcher.answer("Which orders can I open a dispute for?")
    assert found.entry is not None and found.entry.id == "dispute_eligibility"


def test_an_entrys_own_question_finds_it_in_every_language(matcher: Matcher) -> None:
    """A seller who asks exactly what the knowledge base asks gets that entry. A few questions lose
    their one telling word to the stop words ("Müssen alle …", "¿Todas … se tienen que …"), so each
    language is allowed two such misses (before the exact-wording rule: en 1, fr 1, pt 2)."""
    for lang in matcher.languages:
        index = matcher.index(lang)
        wrong = [e.id for e in index.entries if (a := matcher.answer(e.question, lang=lang)).entry is None
                 or a.abstained or a.entry.id != e.id]
        assert len(wrong) <= (0 if lang == "en" else 2), (lang, wrong)


def test_a_new_cache_replaces_the_older_one_of_the_same_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALEX_CACHE_DIR", str(tmp_path))
    index_cache.save("0000aaaa-old", (1,))
    index_cache.save("0000bbbb-other", (2,))
    index_cache.save("0000aaaa-new", (3,))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "faq-index-0000aaaa-new.marshal", "faq-index-0000bbbb-other.marshal",
    ]
    assert index_cache.load("0000aaaa-new") == (3,) and index_cache.load("0000aaaa-old") is None
