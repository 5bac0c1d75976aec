"""The translation seam: every user-visible string goes through a :class:`Translator` at render time.

Texts live as module-level constants marked with :func:`N_` (singular) or :func:`Nn_` (a
singular/plural pair), in ``texts`` modules next to the code that shows them; the code that
renders a reply asks the chat's translator for the text in the chat's language::

    from i18n import N_, Nn_, Translator

    ITEMS_HEADER = N_("Order {order_id}: which items is the dispute about?")
    FILES = Nn_("{count} file", "{count} files")

    tr.format(ITEMS_HEADER, order_id=order_id)
    tr.plural(FILES, count)                  # "1 file" / "2 files": never "file(s)"

Placeholders are named ``{name}`` fields, filled after translation, so a translator can move
them. Built on the standard library's :mod:`gettext` with ``fallback=True``: a language without a
catalog, or a text its catalog lacks, shows the English msgid. The catalogs are
``i18n/locales/<lang>/LC_MESSAGES/alex.po`` and their compiled ``alex.mo``, managed with Babel
(``make i18n-extract``, ``i18n-update``, ``i18n-compile``, ``i18n-check``; keywords ``N_``,
``Nn_:1,2``, ``gettext``, ``ngettext:1,2``): see ``docs/languages.md``. Money and dates per
locale: :mod:`i18n.formats`; catalog checks: :mod:`i18n.catalogs`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import gettext as _gettext

DOMAIN = "alex"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.realpath(__file__)), "locales")
"""The catalogs' folder (an ``os.path`` string: ``alex faq`` does not import ``pathlib``)."""
DEFAULT_LANGUAGE = "en"
# The user-interface languages, each named in its own language (the /language buttons). The one
# list: the catalogs (i18n.catalogs), the menus, /language and the demo's --lang all read it.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt": "Português (Brasil)",
    "fr": "Français",
    "de": "Deutsch",
    "ru": "Русский",
}


def N_(message: str) -> str:
    """Mark a module-level text for extraction; it is translated later, when shown."""
    return message


class Plural(NamedTuple):
    """A text with a singular and a plural form, chosen by a count when shown."""

    singular: str
    plural: str


def Nn_(singular: str, plural: str) -> Plural:
    """Mark a singular/plural pair for extraction (Babel keyword ``Nn_:1,2``)."""
    return Plural(singular, plural)


class Translator:
    """One language's texts: ``gettext``/``ngettext`` as the standard library has them, plus
    ``format``/``plural`` that fill the named placeholders after translating."""

    def __init__(
        self, lang: str = DEFAULT_LANGUAGE, catalog: _gettext.NullTranslations | None = None
    ) -> None:
        """``catalog`` None: the texts as written (English), as ``gettext.NullTranslations`` has them."""
        self.lang = lang
        self._catalog = catalog

    def gettext(self, msgid: str) -> str:
        return msgid if self._catalog is None else self._catalog.gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._catalog is None:
            return singular if n == 1 else plural
        return self._catalog.ngettext(singular, plural, n)

    def format(self, msgid: str, /, **fields: object) -> str:
        """The translated text with its ``{name}`` fields filled."""
        text = self.gettext(msgid)
        return text.format(**fields) if fields else text

    def plural(self, forms: Plural, count: int, /, **fields: object) -> str:
        """The form for ``count``, its fields filled (``{count}`` is always available)."""
        return self.ngettext(forms.singular, forms.plural, count).format(count=count, **fields)

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"


@lru_cache(maxsize=32)
def translator(lang: str | None = None) -> Translator:
    """The translator for ``lang`` (a language code such as ``"pt-br"``), English when there is none.

    Falls back silently (``fallback=True``): an unknown language or a missing catalog gives
    the English texts, never an error in the middle of a conversation.
    """
    code = (lang or DEFAULT_LANGUAGE).strip().replace("-", "_") or DEFAULT_LANGUAGE
    if code.split("_", 1)[0].lower() == DEFAULT_LANGUAGE:
        return Translator(code)  # the texts are written in English: no catalog, and no gettext import
    import gettext

    catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)
    return Translator(code, catalog)


ENGLISH = translator(DEFAULT_LANGUAGE)
