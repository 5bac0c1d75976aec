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
from faq.matcher import ANSWER, UNKNOWN, Matcher
from faq.normalize import Normalizer

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "data" / "faq.json").read_text(encoding="utf-8"))
PT = json.loads((ROOT / "data" / "faq" / "pt.json").read_text(encoding="utf-8"))


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
        # a seller who does not know which menu (not "how do I know the dispute's status")
        ("quero abrir uma disputa na CJ mas não sei em qual menu fica", "open_dispute_steps"),
        # "carteira" and "carteiro" share a stem: the wallet must not read as the postman
        ("tenho saldo de reembolso na carteira da cj, pra que serve?", "wallet_balance"),
        # "pra" and "parou" share a stem: "pedido pra cj" is not "the order stopped"
        ("como devolvo um pedido pra cj", "return_steps"),
        # the customer chose the size: subjective, not a wrong item sent
        ("a cliente disse que a blusa ficou apertada, a cj reembolsa?", "not_covered"),
        # cancel and close are one word for CJ, two different things on AliExpress
        ("disputa no aliexpress: cancelo ou fecho?", "ali_cancel_vs_close"),
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


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("carteira", "carteiro"),  # the wallet is not the postman
        ("depositar", "deposito"),  # putting money in is not a warehouse
        ("funciona", "funcionario"),  # "does not work" is not a CJ employee
        ("casa", "caso"),  # a house is not a dispute
        ("o pedido pra cj", "o pedido parou"),  # "for CJ" is not "stopped"
        ("a cj cobre", "ta cobrando"),  # "covers" is not "keeps pressing me"
        ("a cj cobre", "a cj cobra"),  # "covers" is not "charges"
    ],
)
def test_words_sharing_a_stem_but_not_a_meaning_stay_apart(one: str, other: str) -> None:
    """Snowball gives these pairs one stem; a synonym keyed on that stem made every "carteira" read as
    "correios" and every "pedido pra" as "pedido parou", so the pairs are told apart before stemming."""
    pt = Normalizer(load_settings("pt"))
    assert pt.normalize(one) != pt.normalize(other), (one, other, pt.normalize(one))
