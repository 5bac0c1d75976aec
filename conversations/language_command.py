"""``/language``: a person picks the language Alex speaks in their chat; in a group, an admin does.

``/language`` shows one button per language, each named in its own language; ``/language pt``
(what a button runs) stores the choice with the chat (:func:`store.chats.set_language`) and
answers in the new language at once.
"""

from __future__ import annotations

from conversations.buttons import RunCommand
from conversations.events import Button, Reply
from conversations.language import LANGUAGES, chat_language, supported
from conversations.render import data_button, reply, rows
from conversations.texts import common as texts
from i18n import Translator, translator
from store import chats
from store.db import Store

BUTTONS_PER_ROW = 2


def language_buttons() -> tuple[tuple[Button, ...], ...]:
    """One button per language, labelled with the language's own name ("Deutsch", "Русский")."""
    buttons = (
        data_button(name, RunCommand(command="language", arg=code)) for code, name in LANGUAGES.items()
    )
    return rows(buttons, BUTTONS_PER_ROW)


def language_command(
    store: Store,
    tr: Translator,
    *,
    chat_id: int,
    user_id: int,
    arg: str,
    in_group: bool,
    group_admin: bool,
    language_code: str | None = None,
) -> list[Reply]:
    """The choice (no ``arg``) or the change (``arg`` a language code or name)."""
    if in_group and not group_admin:
        return [reply(tr.gettext(texts.LANGUAGE_ADMINS_ONLY))]
    wanted = arg.strip()
    if not wanted:
        current = LANGUAGES[chat_language(store, chat_id, language_code)]
        pick = texts.LANGUAGE_PICK_GROUP if in_group else texts.LANGUAGE_PICK
        return [reply(tr.format(pick, language=current), *language_buttons())]
    lang = supported(wanted) or _by_name(wanted)
    if lang is None:
        return [reply(tr.format(texts.LANGUAGE_UNKNOWN, value=wanted[:32]), *language_buttons())]
    chats.set_language(store, chat_id, lang, set_by=user_id)
    new = translator(lang)
    done = texts.LANGUAGE_SET_GROUP if in_group else texts.LANGUAGE_SET
    return [reply(f"{new.format(done, language=LANGUAGES[lang])}\n{new.gettext(texts.LANGUAGE_FAQ_NOTE)}")]


def _by_name(text: str) -> str | None:
    """``/language deutsch``, ``/language Português``: a language typed by its own name."""
    folded = text.casefold()
    for code, name in LANGUAGES.items():
        if name.casefold() == folded or name.casefold().split(" ", 1)[0] == folded:
            return code
    return None
