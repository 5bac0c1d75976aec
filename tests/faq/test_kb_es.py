"""The Spanish knowledge base (data/faq/es.json) as a seller in Spain or Latin America reads it.

Seller-style questions (no accents, slang of several markets, a story before the question)
answered in Spanish while near misses stay unanswered, and the language settings' word
mappings that keep one word from eating another (completeness, CJ's names and the rest every
translation keeps: ``test_kb_translations.py``). The questions below were written for this
file; they are not the KB's phrasings nor a held-out set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq.languages import load_settings
from faq.matcher import ANSWER, UNKNOWN, Matcher
from faq.normalize import Normalizer

ROOT = Path(__file__).resolve().parents[2]
ES = json.loads((ROOT / "data" / "faq" / "es.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def es() -> Normalizer:
    return Normalizer(load_settings("es"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "perdido" as lost in the dashboard, not a lost parcel
        ("necesito abrir una disputa con CJ pero estoy perdido en el panel", "open_dispute_steps"),
        ("ando re perdida con la pagina de cj, donde se abre el reclamo de un pedido", "open_dispute_steps"),
        ("me hago bolas con el dashboard, como meto una disputa", "open_dispute_steps"),
        ("se me perdio el paquete en el camino, cj me devuelve la plata?", "policy_cases"),
        ("al comprador le quedo chica la polera y no la quiere, cj me reembolsa?", "not_covered"),
        ("la aduana no dejo pasar el envio y regreso, hay reembolso?", "not_covered"),
        ("merece la pena que el cliente mande la mercancia de vuelta a cj?", "return_not_recommended"),
        ("en ali cancelo o cierro la disputa? el vendedor dice que ya me mando otro", "ali_cancel_vs_close"),
        ("cerre sin querer mi reclamo de aliexpress, se puede abrir de nuevo?", "ali_reopen"),
        ("cj tiene proteccion al comprador? cuantos dias", "buyer_protection"),
    ],
)
def test_sellers_questions_are_answered_in_spanish(matcher: Matcher, question: str, expected: str) -> None:
    answer = matcher.answer(question)
    assert answer.kind == ANSWER and answer.entry is not None, (question, answer)
    assert answer.entry.id == expected and answer.lang == "es", (question, answer.entry.id, answer.lang)
    assert answer.entry.answer == ES["entries"][expected]["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "estoy perdida, como conecto mi tienda de shopify con cj",
        "cuanto sale mandar un paquete a uruguay con cj",
        "como pago un pedido que esta pendiente de pago",
        "como le hago un reembolso a un comprador desde mi tienda de shopify",
        "donde consigo el numero de rastreo para pasarselo al cliente",
    ],
)
def test_near_misses_stay_unanswered(matcher: Matcher, question: str) -> None:
    assert matcher.answer(question).kind == UNKNOWN, question


def test_one_word_does_not_eat_another(es: Normalizer) -> None:
    """Synonyms map stems: a variant whose stem is a common word's maps as a whole word instead."""
    assert not set(es.normalize("estoy perdido").split()) & set(es.normalize("paquete perdido").split())
    assert es.normalize("correo") == es.normalize("dhl")  # not "producto" through "correa"
    assert es.normalize("cartero") == es.normalize("dhl")  # not "billetera" through "cartera"
    assert es.normalize("quitar") != es.normalize("chile")  # not a place through "Quito"
    assert es.normalize("en que parte") != es.normalize("en que roto")  # not damaged through "partido"
    assert es.normalize("pedir") != es.normalize("pedido")
    assert es.normalize("buenas tardes") != es.normalize("tarde")  # a greeting, not "late"
    assert es.normalize("llego partida") == es.normalize("llego rota")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("cancelo o cierro?", None),
        ("cancelo o cierro la disputa en cj?", "close_dispute_steps"),
        ("en aliexpress cancelo o cierro?", "ali_cancel_vs_close"),
    ],
)
def test_cancel_or_close_goes_by_the_platform(matcher: Matcher, question: str, expected: str | None) -> None:
    """Cancelling and closing are one word pair on CJ and on AliExpress: the platform named decides, and
    a bare "cancel or close?" after a story leaves the story to decide."""
    answer = matcher.answer(question, lang="es")
    got = answer.entry.id if answer.kind == ANSWER and answer.entry is not None else None
    assert got == expected, (question, answer.kind, got)
