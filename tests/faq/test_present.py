"""faq.present: the one text of an FAQ answer, with its sources as a seller reads them."""

from __future__ import annotations

from faq.kb import Entry, Source, load_kb
from faq.present import entry_sources, format_entry, source_label, source_line

TABLE = {
    "help": Source("help", "How to Open/Close a Dispute on CJ?", "CJ Help Center", "https://cjdropshipping.com/x"),
    "seed": Source("seed", "API 2.0: Dispute", "CJ API Docs", None),
}


def _entry(source: str) -> Entry:
    return Entry(id="e", question="How do I close a dispute?", answer="Click \"Close\".", source=source)


def test_a_source_reads_as_publisher_title_and_public_url() -> None:
    assert source_label("help", TABLE) == (
        "CJ Help Center: How to Open/Close a Dispute on CJ? — https://cjdropshipping.com/x"
    )
    assert source_label("seed", TABLE) == "CJ API Docs: API 2.0: Dispute"
    assert source_label(" unknown.txt ", TABLE) == "unknown.txt"


def test_an_entry_shows_question_answer_and_source() -> None:
    text = format_entry(_entry("help"), TABLE)
    assert text == (
        "How do I close a dispute?\n\nClick \"Close\".\n\n"
        "Source: CJ Help Center: How to Open/Close a Dispute on CJ? — https://cjdropshipping.com/x"
    )


def test_several_sources_get_one_line_each() -> None:
    assert source_line(_entry("help, seed"), TABLE) == (
        "Sources:\n- CJ Help Center: How to Open/Close a Dispute on CJ? — https://cjdropshipping.com/x\n"
        "- CJ API Docs: API 2.0: Dispute"
    )
    assert [s.id for s in entry_sources(_entry("seed, gone, help"), TABLE)] == ["seed", "help"]
    assert format_entry(_entry(""), TABLE).endswith("Click \"Close\".")


def test_the_shipped_table_is_the_default_and_no_file_name_shows() -> None:
    kb = load_kb()
    for entry in kb.entries:
        text = format_entry(entry)
        assert text == format_entry(entry, kb.source_table)
        assert ".txt" not in source_line(entry) and ".md" not in source_line(entry), entry.id
