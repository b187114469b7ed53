"""The README stays true: the formats table matches the registry, the quick start and CI agree."""

from __future__ import annotations

import re

from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.extractors import registry

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_formats_table_matches_registry() -> None:
    block = README.split("<!-- formats-table")[1].split("<!-- /formats-table -->")[0]
    rows = [ln for ln in block.splitlines() if ln.startswith("| `")]
    documented = []
    for ln in rows:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        documented.append((cells[0].strip("`"), cells[1], cells[2], cells[3]))
    expected = [(c.name, c.role.value, ", ".join(c.file_types), c.description) for c in registry().values()]
    assert documented == expected


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    quick = README.split("## Quick start")[1].split("##")[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick)
    assert len(commands) == 2
    test_command = commands[1].split("&&", 1)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1].strip() == test_command
    assert any("pip install" in line and "'.[test]'" in line for line in ci)


def test_every_command_has_help_and_is_in_the_readme() -> None:
    runner = CliRunner()
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help text"
        assert f"reconcile {name}" in README, f"{name} is not documented in the README"
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0


def test_fixtures_are_reproducible(tmp_path: object) -> None:
    """The committed fixtures are exactly what the generator makes (nobody hand-edited one)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "fixtures" / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_fixtures", module)
    spec.loader.exec_module(module)
    built = module.build(ROOT / "fixtures")
    for rel, data in built.items():
        assert (ROOT / "fixtures" / rel).read_bytes() == data, (
            f"{rel} differs from what make_fixtures.py builds"
        )
