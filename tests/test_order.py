"""Findings do not depend on the order of the files, on a file given twice, or on the order of the rows inside
the files: the same inputs give the same findings.json (apart from the list of inputs), and shuffled rows give
the same findings (code, kind, installment, amount)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import FIXTURES
from .test_cli import run

SCENARIOS = sorted(p for p in (FIXTURES / "scenarios").iterdir() if p.is_dir())
CASES = FIXTURES / "cases" / "generated"
MULTI = [
    CASES / "clean-jiebei-two-loans",
    CASES / "clean-jiebei-split-exports",
    CASES / "planted-jiebei-dup-future-borderless",
    CASES / "clean-weilidai-wechat-and-bank-same-money",
]


def _check(tmp_path: Path, files: list[Path], args: list[str], name: str) -> tuple[int, dict[str, object]]:
    out = tmp_path / f"{name}.json"
    proc = run("check", *map(str, files), *args, "--json", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(out.read_text("utf-8"))
    doc.pop("inputs")
    doc.pop("generated_by", None)
    return proc.returncode, doc


def _files(folder: Path) -> tuple[list[Path], list[str]]:
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    names = [*expected.get("statements", []), *expected.get("payments", [])]
    files = [folder / n for n in names] or sorted(p for p in folder.iterdir() if p.name != "expected.json")
    return files, expected["args"]


@pytest.mark.parametrize("folder", [*SCENARIOS[:6], *MULTI], ids=lambda p: p.name)
def test_file_order_and_repeats_do_not_change_the_result(folder: Path, tmp_path: Path) -> None:
    files, args = _files(folder)
    code, base = _check(tmp_path, files, args, "base")
    again, reversed_doc = _check(tmp_path, list(reversed(files)), args, "reversed")
    assert (again, reversed_doc) == (code, base)
    again, doubled = _check(tmp_path, [*files, *files[::-1]], args, "doubled")
    assert (again, doubled) == (code, base)


def _shuffle_csv(path: Path, rng: random.Random, encoding: str, out: Path) -> None:
    """The data rows of a CSV shuffled; the lines above the header and below the data stay in place."""
    lines = path.read_bytes().decode(encoding).splitlines()
    data = [i for i, ln in enumerate(lines) if re.match(r"\d{4}-\d{2}-\d{2} |\d{1,3}/\d{1,3},|第\d+期,", ln)]
    if len(data) < 2:
        out.write_bytes(path.read_bytes())
        return
    block = [lines[i] for i in data]
    rng.shuffle(block)
    for i, line in zip(data, block, strict=True):
        lines[i] = line
    out.write_bytes(("\n".join(lines) + "\n").encode(encoding))


def _findings(doc: dict[str, object]) -> list[tuple[object, ...]]:
    return sorted(
        (f["code"], f["kind"], f["installment"], f["amount"])  # type: ignore[index]
        for f in doc["findings"]  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_row_order_does_not_change_the_findings(folder: Path, seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    args = json.loads((folder / "expected.json").read_text("utf-8"))["args"]
    _, base = _check(tmp_path, [folder / "statement.csv", folder / "alipay.csv"], args, "base")
    statement, alipay = tmp_path / f"s{seed}.csv", tmp_path / f"a{seed}.csv"
    _shuffle_csv(folder / "statement.csv", rng, "utf-8", statement)
    _shuffle_csv(folder / "alipay.csv", rng, "gb18030", alipay)
    _, shuffled = _check(tmp_path, [statement, alipay], args, f"shuffled{seed}")
    assert _findings(shuffled) == _findings(base)
