"""requirements.lock, what `make` and CI install, agrees with pyproject.toml.

A dependency added to pyproject.toml but not locked would be missing on a fresh machine (the
lock is installed with ``--no-deps``); a pin below a floor raised for a security advisory would
install the vulnerable version. `make lock` fixes both.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, flags=re.M):
        pins.setdefault(canonicalize_name(name), []).append(version)
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += [Requirement(r) for r in extra if not r.startswith(project["name"])]
    return requirements


def test_every_dependency_is_locked_within_its_range() -> None:
    pins = _pins()
    for requirement in _declared():
        versions = pins.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements.lock: run `make lock`"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements.lock pins {requirement.name}=={version}, outside {requirement}"
            )


def test_every_pin_carries_a_hash() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text.split("\n", 2)[2])
    assert len(blocks) > 20
    for block in blocks:
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_security_floors_hold() -> None:
    """The floors pyproject.toml sets for known advisories (its comments say which)."""
    vulnerable = {"starlette": "0.49.0", "h11": "0.15.0", "pillow": "11.2.1"}  # last affected releases
    declared = {canonicalize_name(r.name): r for r in _declared()}
    pins = _pins()
    for name, last_bad in vulnerable.items():
        assert not declared[name].specifier.contains(last_bad), f"pyproject.toml admits {name} {last_bad}"
        assert all(Version(v) > Version(last_bad) for v in pins[name]), f"the lock pins {name} {pins[name]}"
