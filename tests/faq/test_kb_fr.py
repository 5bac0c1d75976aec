"""The French knowledge base (data/faq/fr.json) and its matching settings (data/faq/lang/fr.json).

French sellers' own spelling met (what every translation keeps: ``test_kb_translations.py``):
missing accents, feminine participles ("commande annulée"), chat shorthand ("qd", "jsp").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq.languages import load_settings
from faq.matcher import ANSWER, SMALLTALK, UNKNOWN, Matcher
from faq.normalize import Normalizer

DATA = Path(__file__).resolve().parents[2] / "data"
EN = json.loads((DATA / "faq.json").read_text(encoding="utf-8"))
FR = json.loads((DATA / "faq" / "fr.json").read_text(encoding="utf-8"))


def test_feminine_participles_and_shorthand_meet_their_plain_spelling() -> None:
    fr = Normalizer(load_settings("fr"))
    assert fr.normalize("commande annulée") == fr.normalize("commande annulé")
    assert fr.normalize("colis livrée") == fr.normalize("colis livre")
    assert fr.normalize("qd c expediee") == fr.normalize("quand c'est expédié")
    assert fr.normalize("rayée") == fr.normalize("abîmé")


QUESTIONS = [
    ("bjr, au bout de cb de jours cj donne une reponse a une reclamation ?", "review_time"),
    ("paiement stripe, ca fait une semaine que j attends le rembourssement sur mon compte", "stripe_refund"),
    ("commande partie il y a 50 jours toujours rien, je peux reclamer ou pas encore", "delay_threshold"),
    ("ou je trouve le lien de retour a envoyer a mon client", "return_steps"),
    ("je trouve pas le lien de retour", "return_steps"),  # the return link, not the policy's link
    ("le transporteur affiche distribué mais mon client dit que c'est faux", "delivered_not_received"),
    ("mon acheteur veut renvoyer l'article, c'est quoi la marche a suivre", "return_steps"),
    ("peut on contester une commande cloturée", "dispute_eligibility"),
    ("j ai 40 euros dans mon wallet cj, je peux m en servir pour quoi", "wallet_balance"),
    ("sur aliexpress le vendeur me propose un remboursement partiel, je ferme ou j'annule le litige ?",
     "ali_cancel_vs_close"),
]
NEAR_MISSES = [
    "combien coute l envoi d un colis en belgique avec cj",
    "comment je relie ma boutique shopify a cj",
    "ma carte est refusée quand je paie une commande cj",
    "je voudrais modifier la taille sur une commande deja payée",
    "comment recharger mon portefeuille cj par virement",
    "vous avez un entrepot en france",
]


@pytest.mark.parametrize(("question", "entry_id"), QUESTIONS)
def test_sellers_questions_are_answered_in_french(matcher: Matcher, question: str, entry_id: str) -> None:
    answer = matcher.answer(question)
    assert answer.entry is not None and answer.entry.id == entry_id, (question, answer)
    assert answer.lang == answer.asked == "fr"
    assert answer.entry.answer == FR["entries"][entry_id]["answer"]


@pytest.mark.parametrize("question", NEAR_MISSES)
def test_near_misses_stay_unanswered(matcher: Matcher, question: str) -> None:
    answer = matcher.answer(question)
    assert answer.kind == UNKNOWN and answer.lang == "fr", (question, answer)


def test_a_plain_question_is_sure_and_a_greeting_is_smalltalk(matcher: Matcher) -> None:
    assert matcher.answer("comment annuler un litige").kind == ANSWER
    assert matcher.answer("salut merci").kind == SMALLTALK
