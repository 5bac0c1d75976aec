"""The Brazilian Portuguese knowledge base (data/faq/pt.json) as a seller in Brazil reads it.

Seller-style questions (chat shorthand, missing accents, local words) answered in Portuguese
while near misses stay unanswered (completeness, CJ's names and the rest every translation
keeps: ``test_kb_translations.py``). The questions
below were written for this file; they are not the KB's phrasings nor a held-out set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq.languages import load_settings
from faq.matcher import ANSWER, UNKNOWN, Matcher, load_matcher
from faq.normalize import Normalizer

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "data" / "faq.json").read_text(encoding="utf-8"))
PT = json.loads((ROOT / "data" / "faq" / "pt.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return load_matcher()


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
