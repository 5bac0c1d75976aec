"""``alex sandbox`` flags reach the sandbox's settings: the undocumented CJ behaviours can be chosen
from the command line, one by one or all harsh at once (``--worst-case``)."""

from __future__ import annotations

import pytest

from cj.sandbox.cli import build_parser, config_from_args
from cj.sandbox.config import SandboxConfig


def config(*argv: str) -> SandboxConfig:
    return config_from_args(build_parser().parse_args(list(argv)))


def test_defaults_are_the_kind_readings() -> None:
    got = config()
    assert (got.open_disputes, got.repeated_business_id, got.expired_token_code) == (
        "one_per_order", "answer_true", 1600001,
    )


def test_worst_case_turns_every_guess_harsh() -> None:
    got = config("--worst-case")
    assert (got.open_disputes, got.repeated_business_id, got.expired_token_code) == (
        "allow_overlap", "open_another", 1600100,
    )


def test_a_flag_set_by_hand_wins_over_worst_case() -> None:
    got = config("--worst-case", "--open-disputes", "one_per_order", "--expired-token-code", "1600001")
    assert (got.open_disputes, got.repeated_business_id, got.expired_token_code) == (
        "one_per_order", "open_another", 1600001,
    )


def test_limits_reach_the_config() -> None:
    got = config("--refreshes-per-minute", "2", "--dispute-page-max", "20")
    assert (got.refreshes_per_minute, got.dispute_page_max) == (2, 20)


@pytest.mark.parametrize("argv", [["--expired-token-code", "1600002"], ["--open-disputes", "maybe"]])
def test_unknown_choices_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        config(*argv)
