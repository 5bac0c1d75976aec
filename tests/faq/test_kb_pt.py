"""The Brazilian Portuguese knowledge base (data/faq/pt.json) as a seller in Brazil reads it.

Complete (every English entry and out-of-scope topic), CJ's menu names kept as CJ shows them,
no answer opening with a bare "Sim"/"Não", and seller-style questions (chat shorthand, missing
accents, local words) answered in Portuguese while near misses stay unanswered. The questions
below were written for this file; they are not the KB's phrasings nor a held-out set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from faq.languages import load_settings
from faq.matcher import ANSWER, UNKNOWN, Matcher, load_matcher
from faq.normalize import Normalizer

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "data" / "faq.json").read_text(encoding="utf-8"))
PT = json.loads((ROOT / "data" / "faq" / "pt.json").read_text(encoding="utf-8"))
ALI_LABEL = "Como comprador no AliExpress: "
SIM_NAO = re.compile(rf"^(?:{re.escape(ALI_LABEL)})?(?:sim|n[aã]o)\b", re.IGNORECASE)
QUOTED = re.compile(r'"([^"]+)"')


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return load_matcher()


def test_every_entry_and_out_of_scope_topic_is_translated() -> None:
    assert list(PT["entries"]) == [e["id"] for e in BASE["entries"]]
    assert list(PT["out_of_scope"]) == [o["id"] for o in BASE["out_of_scope"]]


def test_each_entry_has_close_to_the_english_count_of_phrasings() -> None:
    short = {
        e["id"]: (len(PT["entries"][e["id"]]["phrasings"]), len(e["phrasings"]))
        for e in BASE["entries"]
        if len(PT["entries"][e["id"]]["phrasings"]) < min(len(e["phrasings"]), 8) * 0.75
    }
    assert short == {}
    for topic in BASE["out_of_scope"]:
        assert len(PT["out_of_scope"][topic["id"]]["phrasings"]) >= len(topic["phrasings"]) // 2, topic["id"]


def test_cj_menu_names_stay_as_cj_shows_them() -> None:
    lost = [
        (e["id"], name)
        for e in BASE["entries"]
        for name in QUOTED.findall(e["answer"])
        if f'"{name}"' not in PT["entries"][e["id"]]["answer"]
    ]
    assert lost == []


def test_no_answer_opens_with_a_bare_sim_or_nao() -> None:
    assert [i for i, e in PT["entries"].items() if SIM_NAO.match(e["answer"])] == []


def test_aliexpress_buyer_answers_say_so_first() -> None:
    ali = [e["id"] for e in BASE["entries"] if e["answer"].startswith("On AliExpress, as a buyer: ")]
    assert ali and all(PT["entries"][i]["answer"].startswith(ALI_LABEL) for i in ali)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("galera, quanto tempo a cj costuma levar pra dar resposta numa disputa?", "review_time"),
        ("paguei no cartão via stripe e o estorno ainda ñ caiu, é normal?", "stripe_refund"),
        ("pedido pro brasil ta a 80 dias em transito, ja posso reclamar?", "delay_threshold"),
        ("se o cliente quiser devolver quem arca com o frete?", "return_fees"),
        ("consta como entregue no rastreio mas a cliente jura q nao recebeu", "delivered_not_received"),
        ("comprei no atacado um pedido zf e veio com defeito, como reclamo", "bulk_dispute"),
        ("abri disputa e meu pedido parou de andar, pq?", "processing_stops"),
        ("o valor do frete volta junto no reembolso?", "refund_breakdown"),
        ("prefiro que reenviem o produto ao inves de devolver o dinheiro, da?", "reissue_option"),
        ("onde acho as regras oficiais de devolução da cj", "find_returns_policy"),
        ("o produto chegou depois que abri disputa no ali, cancelo?", "ali_product_arrived"),
        ("onde clico pra abrir disputa de um pedido na cj", "open_dispute_steps"),
    ],
)
def test_sellers_questions_are_answered_in_portuguese(matcher: Matcher, question: str, expected: str) -> None:
    answer = matcher.answer(question)
    assert answer.kind == ANSWER and answer.entry is not None, (question, answer)
    assert answer.entry.id == expected and answer.lang == "pt", (question, answer.entry.id, answer.lang)
    assert answer.entry.answer == PT["entries"][expected]["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "quanto custa mandar pro chile pela cj",
        "como conecto minha loja da shopify na cj",
        "quais formas de pagamento a cj aceita",
        "como mudo o endereço de um pedido que ja paguei",
        "como adiciono saldo na carteira com pix",
        "como faço pra sacar o saldo da carteira",
        "o cartao foi recusado na hora de pagar o pedido",
        "quanto tempo leva pra cj processar um pedido novo",
    ],
)
def test_near_misses_stay_unanswered(matcher: Matcher, question: str) -> None:
    assert matcher.answer(question, lang="pt").kind == UNKNOWN, question


def test_local_expressions_meet_the_kbs_words() -> None:
    pt = Normalizer(load_settings("pt"))
    assert pt.normalize("sem querer") == pt.normalize("por engano")
    assert pt.normalize("quem arca") == pt.normalize("quem paga")
    assert pt.normalize("veio rachado") == pt.normalize("veio quebrado")
    assert "aliexpress" in pt.normalize("disputa no ali").split()
    assert pt.normalize("quanto custa") != pt.normalize("quanto paga")  # a price is not who pays
