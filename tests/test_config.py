"""Settings from a config file and the library entry points."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import reconcile
from reconcile.config import Config, load_config, parse_deferral
from reconcile.errors import ConfigError

from .conftest import FIXTURES
from .test_cli import run


def test_json_and_toml_config(tmp_path: Path) -> None:
    js = tmp_path / "c.json"
    js.write_text(
        json.dumps(
            {
                "tolerance": "0.05",
                "grace": 3,
                "aliases": ["某某银行"],
                "as_of": "2024-07-15",
                "deferrals": [{"start": "2024-07-01", "end": "2024-09-30", "kind": "stop-collection"}],
            }
        ),
        encoding="utf-8",
    )
    c = load_config(js)
    assert (c.tolerance, c.grace, c.aliases, c.as_of) == (
        Decimal("0.05"),
        3,
        ("某某银行",),
        date(2024, 7, 15),
    )
    assert c.deferrals[0].kind == "stop-collection"
    toml = tmp_path / "c.toml"
    toml.write_text('window = 5\ncap = "36"\n', encoding="utf-8")
    assert (load_config(toml).window, load_config(toml).cap) == (5, "36")


@pytest.mark.parametrize("content", ["{", "[1, 2]", '{"nope": 1}', '{"window": "x"}'])
def test_bad_config_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_deferral_parsing() -> None:
    assert parse_deferral("2024-07-01:2024-09-30").end == date(2024, 9, 30)
    with pytest.raises(ConfigError):
        parse_deferral("2024-09-30:2024-07-01")
    with pytest.raises(ConfigError):
        parse_deferral("soon")


def test_config_file_on_the_command_line(tmp_path: Path) -> None:
    folder = FIXTURES / "scenarios/deferral-breach"
    cfg = tmp_path / "c.json"
    cfg.write_text(
        json.dumps({"deferrals": [{"start": "2024-07-01", "end": "2024-09-30"}]}), encoding="utf-8"
    )
    doc = json.loads(
        run(
            "check",
            str(folder / "statement.csv"),
            str(folder / "alipay.csv"),
            "--as-of",
            "2024-07-15",
            "--config",
            str(cfg),
            "--json",
            "-",
        ).stdout
    )
    assert [f["code"] for f in doc["findings"]] == ["deferral-breach"]
    proc = run("check", str(folder / "statement.csv"), str(folder / "alipay.csv"), "--deferral", "later")
    assert proc.returncode == 2 and "--deferral" in proc.stderr


def test_library_check_and_reconcile() -> None:
    folder = FIXTURES / "scenarios/already-paid"
    result = reconcile.check(
        [folder / "statement.csv", folder / "alipay.csv"], Config(as_of=date(2024, 7, 15))
    )
    assert {f.code for f in result.findings} == {"already-paid", "misreported"}
    again = reconcile.reconcile(list(result.inputs), Config(as_of=date(2024, 7, 15)))
    assert [f.amount for f in again.findings] == [f.amount for f in result.findings]
    assert result.disputed == Decimal("1086.07")
