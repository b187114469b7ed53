"""The README stays true: the formats table matches the registry, the quick start and CI agree."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_fixtures_are_reproducible(tmp_path: Path) -> None:
    """The committed fixtures are exactly what the generator makes (nobody hand-edited one). The generator runs
    in its own process: how openpyxl writes depends on the first import of it in a process (with or without
    lxml), which other tests in this one may already have made."""
    import subprocess
    import sys

    script = (
        "import importlib.util, pathlib, sys\n"
        "root = pathlib.Path(sys.argv[1]); out = pathlib.Path(sys.argv[2])\n"
        "spec = importlib.util.spec_from_file_location('make_fixtures', root / 'fixtures' / 'make_fixtures.py')\n"
        "module = importlib.util.module_from_spec(spec); sys.modules['make_fixtures'] = module\n"
        "spec.loader.exec_module(module)\n"
        "for rel, data in module.build(root / 'fixtures').items():\n"
        "    target = out / rel; target.parent.mkdir(parents=True, exist_ok=True); target.write_bytes(data)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(ROOT), str(tmp_path)], check=True, timeout=300)
    built = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert built
    for path in built:
        rel = path.relative_to(tmp_path).as_posix()
        assert (ROOT / "fixtures" / rel).read_bytes() == path.read_bytes(), (
            f"{rel} differs from what make_fixtures.py builds"
        )
