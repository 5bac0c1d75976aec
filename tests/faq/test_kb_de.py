"""The German knowledge base answering as German sellers write (what every translation keeps:
``test_kb_translations.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq.kb import load_kb
from faq.matcher import Matcher, load_matcher
from faq.translations import read_translation_bytes

KB_FILE = Path(__file__).resolve().parents[2] / "data" / "faq.json"
BASE = load_kb(KB_FILE)
RAW = json.loads(read_translation_bytes(KB_FILE, "de") or b"{}")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return load_matcher(str(KB_FILE))


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("wie lange braucht cj für ne reklamation", "review_time"),
        ("rueckerstattung bekommen aber wo ist die kohle", "refund_destination"),
        ("warum wurde mir nur ein teil erstattet", "refund_breakdown"),
        ("tracking bewegt sich seit wochen nicht, ab wann verspätet", "delay_threshold"),
        ("wie mach ich einen streitfall auf aliexpress auf", "ali_open"),
        ("wo ist der knopf zum dispute eröffnen", "open_dispute_steps"),
        ("ich will mit jemandem von cj reden", "contact_support"),
        ("wie weit ist meine reklamation", "check_dispute"),
    ],
)
def test_german_sellers_words_reach_the_entry_in_german(matcher: Matcher, question: str, topic: str) -> None:
    answer = matcher.answer(question)
    assert (answer.entry.id if answer.entry else None, answer.lang) == (topic, "de")


@pytest.mark.parametrize(
    "question",
    [
        "wie lange dauert die bearbeitung einer neuen bestellung",
        "was kostet der versand nach österreich",
        "wie verbinde ich meinen shopify shop",
        "welche zahlungsmethoden nimmt cj",
        "passwort vergessen",
        "gibt es ein lager in deutschland",
    ],
)
def test_german_near_misses_stay_unanswered(matcher: Matcher, question: str) -> None:
    answer = matcher.answer(question)
    assert answer.entry is None and answer.lang == "de"


# A sample of the self-test written while tuning (informal, formal, terse, story-like; sellers' typos):
# it pins the figures so a settings change that breaks German sellers' words fails here.
SELF_TEST_IN_SCOPE = [
    ("hallo, wie lang braucht cj normalerweise um ne reklamation zu bearbeiten?", "review_time"),
    ("kann mein kunde die ware einfach ans lager in amerika zurückschicken?", "us_warehouse"),
    ("meine ZF bestellung ist beschädigt angekommen, wie reklamieren?", "bulk_dispute"),
    ("wieso kann der bot für meine manuelle bestellung keinen dispute machen", "api_only_orders"),
    ("aliexpress verkäufer will dass ich den streitfall abbreche, soll ich?", "ali_cancel_vs_close"),
    ("Stripe Rückerstattung seit 8 Werktagen nicht auf dem Konto, normal?", "stripe_refund"),
    ("Kunde möchte zurücksenden, wie erstelle ich die Rücksendung bei CJ?", "return_steps"),
    ("wird die bestellung trotzdem versendet wenn ein streitfall offen ist?", "processing_stops"),
    ("was bedeutet das wenn der streitfall abgelehnt wurde", "dispute_outcomes"),
    ("Aliexpress Käuferschutz ist abgelaufen, kann ich noch stornieren?", "ali_protection_expired"),
    ("bestellung seit 2 monaten nicht da, tracking bewegt sich nicht mehr", "delay_threshold"),
    ("wie schreibe ich ein ticket an cj", "contact_support"),
    ("wo seh ich ob mein dispute durch ist", "check_dispute"),
    ("brauch ich fotos für die reklamation", "evidence"),
    ("hat cj käuferschutz", "buyer_protection"),
    ("falscher artikel geliefert", "policy_cases"),
    (
        "Ich habe einen Dispute offen, wird meine Bestellung trotzdem weiter bearbeitet und "
        "verschickt?",
        "processing_stops",
    ),
    ("karte gestohlen und jemand hat bei aliexpress bestellt", "ali_stolen_card"),
    ("aliexpress: ware nie bekommen, wie öffne ich einen fall", "ali_open"),
    ("ab wann sollte cj meinen streitfall bearbeitet haben", "review_time"),
    (
        "servus! hab letzte woche nen claim bei cj gemacht, status immer noch in pruefung. is das "
        "normal so lange?",
        "review_time",
    ),
    ("wie kann ich den claim wieder schliessen? hat sich erledigt", "close_dispute_steps"),
    ("kunde in den usa will zurücksenden, geht das ans us-lager?", "us_warehouse"),
    ("Wie viel Zeit benötigt CJ für die Prüfung eines Streitfalls?", "review_time"),
    ("Warum akzeptiert das US-Lager keine Rücksendungen?", "us_warehouse"),
    ("Wie reklamiere ich eine ZF-Bestellung?", "bulk_dispute"),
    ("Kann Alex für jede Bestellung einen Streitfall per API eröffnen?", "api_only_orders"),
    (
        "Was ist der Unterschied zwischen Stornieren und Schließen eines Streitfalls bei AliExpress?",
        "ali_cancel_vs_close",
    ),
    ("Kann ich einen geschlossenen Streitfall bei CJ erneut öffnen?", "reopen_dispute"),
    ("Kunde hat Bestellung nicht mehr gewollt, zählt das als Grund für eine Erstattung?", "not_covered"),
    ("Kann ich eine versehentlich geöffnete Reklamation wieder zurückziehen?", "close_dispute_steps"),
    ("Kann mein Account gesperrt werden, wenn ich über PayPal reklamiere?", "must_use_cj"),
    ("ab wieviel tagen verspatung kann ich nen dispute machen", "delay_threshold"),
    ("sendung zugestellt laut post aber kunde hat nix", "delivered_not_received"),
    ("resend bestatigen wie", "resend_agree"),
    ("welche fotos fur dispute", "evidence"),
    ("Geht ein Streitfall auch bei abgeschlossenen Bestellungen?", "dispute_eligibility"),
    ("Der Kunde hat sein Paket doch bekommen, wie beende ich den Dispute?", "close_dispute_steps"),
    ("Ist der Rückversand bei CJ kostenlos?", "return_fees"),
    (
        "Hallo zusammen, ich habe ein Problem: Meine Kundin aus Hamburg schreibt mir, dass ihr Paket "
        "nie angekommen ist. Laut DHL Tracking wurde es aber am Freitag zugestellt. Was mache ich "
        "jetzt?",
        "delivered_not_received",
    ),
    (
        "CJ hat meinen Streitfall genehmigt und erstattet, aber ich sehe kein Geld auf meiner Karte. "
        "Wo ist es?",
        "refund_destination",
    ),
    ("usa bestellung seit 46 tagen nicht angekommen", "delay_threshold"),
    ("paket als geliefert markiert aber kunde sagt es war nie da", "delivered_not_received"),
    ("muss ich dem neuversand zustimmen und wo", "resend_agree"),
    ("was brauche ich als beweis für ein beschädigtes produkt", "evidence"),
    ("gibt es bei cj eine schutzfrist für käufer", "buyer_protection"),
    ("wie genau läuft eine retoure über cj ab, schritt für schritt", "return_steps"),
    ("wie reklamiere ich mit dem handy in der cj app", "app_dispute"),
    ("lieber ersatzartikel oder geld, was kann ich beim dispute auswählen", "reissue_option"),
    ("wo ist cjs refund resend and returns policy", "find_returns_policy"),
    ("beanstandung zurücknehmen", "close_dispute_steps"),
    ("wie lange bis die stripe erstattung auf dem kontoauszug erscheint", "stripe_refund"),
    ("zustellnachweis vorhanden aber kunde bestreitet den empfang", "delivered_not_received"),
    ("was für nachweise brauche ich bei fehlender ware", "evidence"),
    ("wie viele tage muss eine us bestellung überfällig sein für einen dispute", "delay_threshold"),
    ("sendungsstatus zugestellt, kunde sagt nie erhalten, bekomme ich ersatz?", "delivered_not_received"),
    ("kann ich bei der reklamation neuversand statt geld wählen", "reissue_option"),
    ("gibts einen link zu cjs rückgaberegeln", "find_returns_policy"),
]
SELF_TEST_OUT_OF_SCOPE = [
    "was kostet der versand von china nach österreich mit cj packet",
    "ich hab mein passwort vergessen",
    "wie lange dauert der versand aus dem us lager",
    "wo ist das cj lager in europa",
    "wie teuer ist der versand nach österreich",
    "wie lange dauert die bearbeitung einer neuen bestellung",
    "wie funktioniert die chrome erweiterung",
    "Wie ändere ich die Versandart meiner Bestellung?",
    "wie trage ich die trackingnummer in shopify ein",
    "wo finde ich meine rechnungen",
    "versand in die schweiz wie teuer",
    "wo kann ich die rechnung für eine bestellung runterladen",
    "Welche Zahlungsmethoden akzeptiert CJ?",
    "Wie lade ich mein CJ-Guthaben auf?",
    "Wie melde ich mich bei CJ an?",
    "Kann ich eine Bestellung nachträglich um einen Artikel ergänzen?",
    "passwort zurucksetzen",
    "adresse andern bestellung",
    "Was ist das beste Nischenprodukt?",
    "Wie lange dauert die Lieferung aus dem US-Lager?",
    "Mein Shopify Shop zeigt die Bestellungen nicht in CJ an, was kann ich tun?",
    "Zahlt der Kunde Zoll bei Lieferung aus China?",
    "Kann ich den Versand für eine bezahlte Bestellung noch ändern?",
    "Wie finde ich einen günstigeren Lieferanten für ein Produkt?",
    "Wie verkaufe ich selbst auf Aliexpress?",
    "Wo bekomme ich einen API-Schlüssel?",
    "kann ich per lastschrift zahlen",
    "wie baue ich einen shopify shop auf",
    "wie lösche ich meinen cj account",
    "wie lange braucht ein paket von cj nach deutschland",
]


def test_the_german_self_test_keeps_its_floor(matcher: Matcher) -> None:
    """Measured 58/58 in scope and 0/30 out of scope answered; the floor leaves room for one or two."""
    right = [
        q for q, topic in SELF_TEST_IN_SCOPE
        if (a := matcher.answer(q)).entry is not None and a.entry.id == topic and a.lang == "de"
    ]
    answered = [q for q in SELF_TEST_OUT_OF_SCOPE if matcher.answer(q).entry is not None]
    assert len(right) >= 0.95 * len(SELF_TEST_IN_SCOPE), sorted(set(dict(SELF_TEST_IN_SCOPE)) - set(right))
    assert answered == []
