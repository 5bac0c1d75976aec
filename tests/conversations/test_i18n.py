"""The translation seam: every text the dialogues show goes through the chat's translator.

A pseudo-catalog (every msgid of ``i18n/locales/alex.pot`` wrapped in ⟦…⟧, compiled to a real
gettext ``.mo``) is given to the engine; a whole dispute opened, listed, read and closed must then
show no sentence that did not pass through it, so the template the translators work from holds
every text a seller sees. Adding a language is adding a catalog, not touching flows.
"""

from __future__ import annotations

import gettext
import io
import json
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from babel.messages.pofile import read_po

import bot.texts
from conversations import commands, failures, policy
from conversations.engine import Engine
from conversations.events import Actor, Reply
from conversations.texts import close, common, follow
from conversations.texts import open as open_texts
from i18n import ENGLISH, N_, Nn_, Plural, Translator, translator
from notifier import messages
from store import chats, open_store
from tests.conversations.conftest import Chat, FakeClock

DELIVERED_FR = "SD2510031452310001"
OPEN_WEB = "SH1990300112233445566"
TEXT_MODULES: list[ModuleType] = [common, open_texts, close, follow, policy, bot.texts, failures, messages]
POT = Path(__file__).resolve().parents[2] / "i18n" / "locales" / "alex.pot"


def test_a_regional_code_finds_its_language_s_catalog() -> None:
    assert translator("pt-BR").gettext("Refund") != "Refund"


def test_translator_without_a_catalog_is_english() -> None:
    tr = translator("ja-JP")  # no catalog: falls back, never fails
    assert tr.lang == "ja_JP"
    assert tr.gettext("Refund") == "Refund"
    assert tr.format(N_("Order {order_id}"), order_id="SD1") == "Order SD1"
    files = Nn_("{count} file", "{count} files")
    assert (ENGLISH.plural(files, 1), ENGLISH.plural(files, 2), ENGLISH.plural(files, 0)) == (
        "1 file",
        "2 files",
        "0 files",
    )
    assert ENGLISH.ngettext("a", "b", 1) == "a" and ENGLISH.ngettext("a", "b", 5) == "b"


def _constants() -> Iterator[str | Plural]:
    """The N_/Nn_ constants of the text modules and the registry, as the code holds them."""
    for module in TEXT_MODULES:
        for name, value in vars(module).items():
            if not name.isupper():
                continue
            values = value.values() if isinstance(value, dict) else [value]
            for item in values:
                if isinstance(item, Plural) or (isinstance(item, str) and item.strip()):
                    yield item
    for command in commands.COMMANDS:
        yield command.description
        if command.usage:
            yield command.usage


def _msgids() -> Iterator[str | Plural]:
    """Every message of the extracted template (``make i18n-extract``)."""
    with POT.open("rb") as handle:
        template = read_po(handle)
    for message in template:
        if not message.id:
            continue
        yield Plural(*message.id) if isinstance(message.id, tuple) else message.id


def pseudo_catalog() -> gettext.GNUTranslations:
    """Every msgid → ⟦msgid⟧ (placeholders kept), as a compiled .mo read by the standard library."""
    entries: dict[bytes, bytes] = {
        b"": b"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    }
    for msgid in _msgids():
        if isinstance(msgid, Plural):
            key = f"{msgid.singular}\x00{msgid.plural}"
            value = f"⟦{msgid.singular}⟧\x00⟦{msgid.plural}⟧"
        else:
            key, value = msgid, f"⟦{msgid}⟧"
        entries[key.encode()] = value.encode()
    keys = sorted(entries)
    header = 7 * 4
    ids_at, strs_at = header, header + 8 * len(keys)
    data_at = strs_at + 8 * len(keys)
    ids = b"".join(k + b"\x00" for k in keys)
    strs = b"".join(entries[k] + b"\x00" for k in keys)
    id_table, str_table, offset = [], [], data_at
    for k in keys:
        id_table += [len(k), offset]
        offset += len(k) + 1
    for k in keys:
        str_table += [len(entries[k]), offset]
        offset += len(entries[k]) + 1
    blob = struct.pack("<7I", 0x950412DE, 0, len(keys), ids_at, strs_at, 0, 0)
    blob += struct.pack(f"<{len(id_table)}I", *id_table) + struct.pack(f"<{len(str_table)}I", *str_table)
    return gettext.GNUTranslations(io.BytesIO(blob + ids + strs))


@pytest.fixture
async def pseudo_chat(sandbox: object, tmp_path: Path, http: httpx.AsyncClient, clock: FakeClock) -> Chat:
    chat = Chat(sandbox, tmp_path / "alex.sqlite3", http, clock=clock)
    pseudo = Translator("xx", pseudo_catalog())
    chat.engine = Engine(chat.store, chat.cj, None, clock=clock, translator_of=lambda actor: pseudo)
    yield chat  # type: ignore[misc]
    await chat.close()


def _outside_brackets(text: str) -> str:
    """What is left of a text once every translated span (nested ones too) is taken out."""
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if shorter == text:
            return text
        text = shorter


def _untranslated(replies: list[Reply], data: set[str]) -> list[str]:
    """Sentences shown without the translator: three words in a row outside ⟦…⟧ that are not CJ's data."""
    found = []
    for r in replies:
        rest = _outside_brackets(r.text)
        for name in sorted(data, key=len, reverse=True):
            rest = rest.replace(name, " ")
        found += [m.group(0) for m in re.finditer(r"[A-Za-z']+(?:[ ,]+[A-Za-z']+){2,}", rest)]
        for row in r.buttons:
            found += [b.label for b in row if "⟦" not in b.label and not _is_data(b.label, data)]
    return found


def _is_data(label: str, data: set[str]) -> bool:
    """CJ's own names and ids, numbers: shown as they come, never translated."""
    return label.isdigit() or label in data or label.startswith("SH")


async def test_a_whole_dispute_shows_nothing_that_skipped_the_translator(pseudo_chat: Chat) -> None:
    chat = pseudo_chat
    reasons = {"Product Damaged", "Wrong Product Received", "Missing Products", "Quality Problem"}
    reasons |= {"Products Not Received", "Tracking Information Not Updated", "Package Returned to Sender"}
    reasons |= {"Unfulfilled Order Cancellation"}
    fixtures = json.loads((Path(__file__).resolve().parents[2] / "data" / "sandbox_orders.json").read_text())
    reasons |= {line["productName"] for order in fixtures["orders"] for line in order["lines"]}
    shown: list[list[Reply]] = []

    async def turn(send: object) -> None:
        await (send if not isinstance(send, str) else chat.send(send))  # type: ignore[misc]
        shown.append(chat.last)

    await turn(chat.cmd("start"))
    await turn(chat.cmd("help"))
    await turn(chat.cmd("dispute"))
    await turn(DELIVERED_FR)
    await turn(chat.press("Bamboo"))
    await turn(chat.press("⟦Done"))
    await turn(chat.press("2"))
    await turn(chat.press("Product Damaged"))
    await turn(chat.press("⟦Refund⟧"))
    await turn(chat.press("⟦Original payment method⟧"))
    await turn("Both trays arrived cracked.")
    await turn(chat.photo("https://example.com/tray.jpg"))
    await turn(chat.press("⟦Done⟧"))
    await turn(chat.press("⟦Edit⟧"))
    await turn(chat.press("⟦Back to summary⟧"))
    await turn(chat.press("⟦Confirm and open⟧"))
    [dispute] = chat.disputes(DELIVERED_FR)
    await turn(chat.cmd("disputes"))
    await turn(chat.cmd("status", dispute["id"]))
    await turn(chat.cmd("close", dispute["id"]))
    await turn(chat.press("⟦Close this dispute⟧"))
    await turn(chat.press("⟦Yes, close it for good⟧"))
    await turn(chat.cmd("cancel"))
    await turn(chat.cmd("frobnicate"))
    await turn("\u200b")
    leaks = [text for replies in shown for text in _untranslated(replies, reasons)]
    assert leaks == []
    assert chat.disputes(DELIVERED_FR)[0]["status"] == "Cancelled"


def test_every_text_module_constant_is_a_marked_string_in_the_template() -> None:
    """What the catalog is built from: strings and plural pairs, no f-strings baked at import,
    each one extracted into the template."""
    ids = list(_constants())
    assert len(ids) > 150
    assert all("{" not in m or "}" in m for m in ids if isinstance(m, str))
    template = set(_msgids())
    missing = [m for m in ids if m not in template]
    assert missing == []


def test_the_engine_speaks_the_chats_stored_language_else_telegrams_else_english(tmp_path: Path) -> None:
    store = open_store(tmp_path / "alex.sqlite3")
    try:
        engine = Engine(store, None, None)  # type: ignore[arg-type]
        group = Actor(user_id=1, chat_id=-5, is_group=True, language_code="ru")
        assert engine.translator_for(group).lang == "ru"  # nobody chose: the person's app language
        chats.set_language(store, -5, "de", set_by=1)
        assert engine.translator_for(group).lang == "de"  # the group's choice wins
        assert engine.translator_for(Actor(user_id=2, chat_id=2, language_code="pt-br")).lang == "pt"
        assert engine.translator_for(Actor(user_id=3, chat_id=3, language_code="ja")).lang == "en"
        assert engine.translator_for(Actor(user_id=4, chat_id=4)).lang == "en"
    finally:
        store.close()


# --- FAQ answers come in the question's language, prompts in the chat's --------------------------


@pytest.fixture
async def faq_chat(sandbox: object, tmp_path: Path, http: httpx.AsyncClient, clock: FakeClock) -> Chat:
    from faq.matcher import load_matcher

    chat = Chat(sandbox, tmp_path / "alex.sqlite3", http, clock=clock, matcher=load_matcher())
    yield chat  # type: ignore[misc]
    await chat.close()


async def test_a_question_is_answered_in_its_language_whatever_the_chat_s(faq_chat: Chat) -> None:
    await faq_chat.cmd("language", "de")
    spanish = await faq_chat.send("cuanto tarda el reembolso de stripe")
    assert "¿Cuánto tarda en llegarme un reembolso por Stripe?" in spanish
    english = await faq_chat.send("how long does a stripe refund take")
    assert "How long can I get my refund on Stripe?" in english
    assert faq_chat.engine.translator_for(faq_chat.actor).lang == "de"  # the chat's language is kept


def test_the_faq_speaks_the_language_the_question_was_asked_in() -> None:
    from types import SimpleNamespace

    from conversations.faq_route import _spoken

    german_chat = translator("de")
    assert _spoken(SimpleNamespace(lang="en", asked="es"), german_chat).lang == "es"
    assert _spoken(SimpleNamespace(lang="de", asked="de"), german_chat) is german_chat
    assert _spoken(SimpleNamespace(), german_chat) is german_chat  # a matcher that does not say


async def test_cj_failures_are_said_through_the_translator(pseudo_chat: Chat) -> None:
    """The failure sentences (``conversations.failures``) are catalog texts too."""
    chat = pseudo_chat
    shown: list[list[Reply]] = []
    busy = {"fault": "http_5xx", "path": "disputes/getDisputeList"}
    chat.sandbox.add_faults(*[busy] * 4)  # type: ignore[attr-defined]
    await chat.cmd("disputes")
    shown.append(chat.last)
    await chat.cmd("status", "SH1999999999999999999")  # CJ has no such dispute
    shown.append(chat.last)
    await chat.cmd("dispute", "SD2999999999999999")  # nor such an order
    shown.append(chat.last)
    texts = [r.text for replies in shown for r in replies]
    assert any("⟦CJ did not answer in time while" in t for t in texts), texts
    assert any("⟦CJ has no dispute" in t for t in texts), texts
    assert any("⟦CJ has no order" in t for t in texts), texts
    assert [leak for replies in shown for leak in _untranslated(replies, set())] == []


async def test_a_private_chat_s_app_language_is_kept_for_later_pushes(chat: Chat) -> None:
    """Pushes reach a chat while nobody is talking: the app language seen last stands in for a choice."""
    from conversations.language import chat_translator

    french = chat.as_user(Actor(user_id=42, chat_id=42, language_code="fr-CA"))
    await french.cmd("help")
    assert chat_translator(chat.store, 42).lang == "fr"  # what the notifier will use
    await french.cmd("language", "de")
    assert chat_translator(chat.store, 42).lang == "de"  # a choice beats the app language
    group = chat.as_user(Actor(user_id=42, chat_id=-5, is_group=True, language_code="ru"))
    await group.cmd("help")
    assert chat_translator(chat.store, -5).lang == "en"  # a group's language is only ever chosen
