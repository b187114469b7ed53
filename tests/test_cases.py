"""End-to-end dispute cases that were not built for this code (``fixtures/cases``, made by
``fixtures/cases/make_cases.py`` from loans, statement layouts and payment exports, with the findings planted
written down before any run of the tool): every CLEAN case gives no finding at all, every PLANTED case exactly
the planted one with its amount. And a statement whose table is misread never accuses the lender.

CI also draws ten cases from each of two fixed seeds; ``RECONCILE_CASES_SEEDS=5,11 RECONCILE_CASES_COUNT=40 python
-m pytest tests/test_cases.py`` draws that many from each seed instead (a larger run).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT
from .test_cli import run

CASES = FIXTURES / "cases" / "generated"
FOLDERS = sorted(p for p in CASES.iterdir() if (p / "expected.json").exists())

sys.path.insert(0, str(FIXTURES / "cases"))
from run_cases import run_case  # noqa: E402


def test_the_corpus_has_clean_and_planted_cases() -> None:
    docs = [json.loads((p / "expected.json").read_text("utf-8")) for p in FOLDERS]
    assert sum(1 for d in docs if not d["findings"]) >= 20
    assert sum(1 for d in docs if d["findings"]) >= 15


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_case(folder: Path) -> None:
    ok, problems = run_case(folder, sys.executable, verbose=True)
    assert ok, "\n".join(problems)


def test_seeded_cases(tmp_path: Path) -> None:
    """Cases drawn by the generator's seeded mode: a fixed set in CI (seeds 1 and 2, ten cases each), more with
    ``RECONCILE_CASES_SEEDS`` and ``RECONCILE_CASES_COUNT``."""
    count = os.environ.get("RECONCILE_CASES_COUNT", "10")
    failures = []
    for seed in os.environ.get("RECONCILE_CASES_SEEDS", "1,2").split(","):
        out = tmp_path / f"seed-{seed}"
        subprocess.run(
            [
                sys.executable,
                str(FIXTURES / "cases/make_cases.py"),
                "--out",
                str(out),
                "--seed",
                seed,
                "--count",
                count,
            ],
            check=True,
            capture_output=True,
        )
        for folder in sorted(p for p in out.iterdir() if (p / "expected.json").exists()):
            ok, problems = run_case(folder, sys.executable, verbose=True)
            if not ok:
                failures.append(f"seed {seed} {folder.name}: " + "; ".join(problems))
    assert not failures, "\n".join(failures)


@pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc").exists()
    or importlib.util.find_spec("reportlab") is None,
    reason="some cases embed subsets of the WenQuanYi fonts (apt install fonts-wqy-zenhei fonts-wqy-microhei)",
)
def test_the_corpus_is_reproducible(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(FIXTURES / "cases/make_cases.py"), "--out", str(tmp_path), "--no-check"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )

    def digest(folder: Path) -> dict[str, str]:
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*")
            if p.is_file()
        }

    assert digest(tmp_path) == digest(CASES)


# ------------------------------------------------------------------------------------------- misread tables

CLEAN = FIXTURES / "scenarios" / "clean"


def _variant(tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    lines = (CLEAN / "statement.csv").read_text("utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("期数,"))
    out = lines[: header + 1] + [change(ln.split(",")) for ln in lines[header + 1 :]]
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join(out) + "\n", "utf-8")
    return path


def _swap_total_and_principal(cells: list[str]) -> str:
    cells[2], cells[5] = cells[5], cells[2]
    return ",".join(cells)


def _drop_penalty(cells: list[str]) -> str:
    return ",".join(cells[:4] + cells[5:])


def _words_in_totals(cells: list[str]) -> str:
    cells[5] = "见合同"
    cells[6] = "以实际为准"
    return ",".join(cells)


def _shift_paid(cells: list[str]) -> str:
    # the paid column lost: outstanding and status move left, the last cell is empty
    return ",".join(cells[:6] + cells[7:] + [""])


@pytest.mark.parametrize(
    "change",
    [_swap_total_and_principal, _drop_penalty, _words_in_totals, _shift_paid],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_misread_statement_never_accuses_the_lender(change, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    statement = _variant(tmp_path, change.__name__.strip("_"), change)
    out = tmp_path / "findings.json"
    proc = run(
        "check", str(statement), str(CLEAN / "alipay.csv"), "--as-of", "2024-07-15", "--json", str(out)
    )
    doc = json.loads(out.read_text("utf-8"))
    accusing = [
        f for f in doc["findings"] if f["code"] in ("already-paid", "not-credited") or f["kind"] == "fee"
    ]
    assert not accusing, accusing
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert statement.name in proc.stderr and "未能可靠读取" in proc.stderr
    (entry,) = [i for i in doc["inputs"] if i["role"] == "statement"]
    assert entry["read_quality"]["level"] == "low" and entry["read_quality"]["reasons"]


def test_unverified_findings_are_marked(tmp_path: Path) -> None:
    statement = _variant(tmp_path, "shift", _shift_paid)
    out = tmp_path / "findings.json"
    proc = run(
        "check",
        str(statement),
        str(CLEAN / "alipay.csv"),
        "--as-of",
        "2024-07-15",
        "--json",
        str(out),
        "--unverified",
    )
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(out.read_text("utf-8"))
    assert all(f["unverified"] and f["message_zh"].startswith("【未经核实") for f in doc["findings"])
    assert doc["withheld"] and doc["withheld"][0]["reported_unverified"]


# ------------------------------------------------------------------------------------------- coverage


def test_payments_that_do_not_reach_the_due_dates_are_named(tmp_path: Path) -> None:
    """An Alipay export of March to May against a loan with installments due February to July: the months it
    does not cover are named on the console, in the JSON and in the workbook."""
    import openpyxl

    out, book = tmp_path / "findings.json", tmp_path / "report.xlsx"
    proc = run(
        "check",
        str(CLEAN / "statement.csv"),
        str(FIXTURES / "payments/alipay/alipay-c-2026.csv"),
        "--as-of",
        "2024-07-15",
        "--json",
        str(out),
        "-o",
        str(book),
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "2024-02" in proc.stdout and "2024-07" in proc.stdout and "不在付款记录范围内" in proc.stdout
    (loan,) = json.loads(out.read_text("utf-8"))["loans"]
    missing = loan["coverage"]["months_not_covered"]
    assert "2024-02" in missing and "2024-07" in missing and "2024-04" not in missing
    sheet = openpyxl.load_workbook(book)["数据质量"]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("2024-02" in t and "不在付款记录范围内" in t for t in texts)
