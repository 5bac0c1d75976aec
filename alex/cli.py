"""The ``alex`` command: a thin dispatcher that imports only the sub-command it runs.

Each sub-command lives beside the code it drives and exposes ``main(argv) -> int``;
importing lazily keeps ``alex faq`` free of telegram, pydantic-settings and httpx.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("alex.demo", "chat with Alex in the terminal against a built-in CJ sandbox"),
    "faq": ("faq.cli", "answer a CJ policy question (or --batch --json; `faq misses`)"),
    "run": ("bot.run", "start the Telegram bot (long polling, or --webhook)"),
    "check": ("alex.check", "verify the configuration and the CJ API key"),
    "cj": ("alex.cj_command", "print what CJ returns: orders, disputes, dispute ID, webhook set URL"),
    "sandbox": ("cj.sandbox.cli", "serve a CJ API sandbox on loopback"),
}

USAGE = "usage: alex COMMAND [ARGS...]\n\ncommands:\n" + "\n".join(
    f"  {name:<8} {summary}" for name, (_, summary) in COMMANDS.items()
) + "\n\n`alex COMMAND --help` tells more."


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"alex: unknown command {name!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    try:
        return int(module.main(rest) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line for configuration problems, tracebacks for bugs
        if type(exc).__name__ == "ConfigError":
            print(f"alex: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
