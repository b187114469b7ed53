"""Repayment plans from phone screenshots: generated screenshots in three app layouts (JPEG, blur, 720 and 1080
wide, several overlapping screenshots per plan) read through OCR and proven by arithmetic; a planted
already-paid installment found and cited by its image region; a clear line when the OCR extra is missing."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fixtures.builders import alipay, screens
from fixtures.builders.scenarios import repayment

from .screenscore import run as score_screens
from .test_cli import run

pytest.importorskip("rapidocr_onnxruntime", reason="the OCR extra is not installed")

#: Seeds of the screenshot sets CI reads (two of each layout); `python tests/screenscore.py N` reads more.
SEEDS = 6


def test_screenshot_amounts_and_dates_are_read_right_or_set_aside(tmp_path: Path) -> None:
    score = score_screens(SEEDS, 0, tmp_path)
    assert not score.wrong, score.wrong  # no wrong value passes the proof
    assert score.right >= 0.99 * score.total, score.line()


def _planted_case(tmp_path: Path) -> tuple[list[Path], Path, dict[str, object]]:
    """Seed 31: a 借呗 plan in cards, 6 periods, 5 repaid; the app shows period 3 as 逾期 although the Alipay
    export has its repayment on the due date."""
    plan = copy.deepcopy(screens.make_plan(31))
    assert plan["product"] == "借呗"
    paid = [i for i in plan["installments"] if i["status"] == "已还清"]
    planted = paid[2]
    planted["status"], planted["paid_date"] = "逾期", None
    images = []
    for name, data, _ in screens.render(plan, "cards", 31):
        (tmp_path / name).write_bytes(data)
        images.append(tmp_path / name)
    rows = [
        repayment(date.fromisoformat(i["due_date"]), Decimal(i["total"]), n=i["period"])
        for i in plan["installments"]
        if i["status"] == "已还清" or i is planted
    ]
    csv = tmp_path / "支付宝交易明细.csv"
    csv.write_bytes(alipay.gen_c(sorted(rows, key=lambda r: r.time, reverse=True)).encode("gb18030"))
    return images, csv, {"plan": plan, "planted": planted}


def test_a_planted_already_paid_installment_is_found_and_cited_by_its_image_region(tmp_path: Path) -> None:
    images, csv, case = _planted_case(tmp_path)
    plan, planted = case["plan"], case["planted"]
    assert isinstance(plan, dict) and isinstance(planted, dict)
    out = tmp_path / "findings.json"
    crops = tmp_path / "crops"
    proc = run(
        "check",
        *map(str, images),
        str(csv),
        "--as-of",
        str(plan["as_of"]),
        "--json",
        str(out),
        "--evidence-images",
        str(crops),
        "--lender",
        "借呗",  # the app's screens name neither the lender nor the product
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    found = [f for f in doc["findings"] if f["code"] == "already-paid"]
    assert [f["installment"] for f in found] == [planted["period"]], doc["findings"]
    cited = [e for e in found[0]["evidence"] if "box" in e]
    assert cited and cited[0]["path"].endswith((".png", ".jpg")) and cited[0]["confidence"]
    _, _, w, h = cited[0]["box"]
    assert w > 100 and h > 20
    assert (crops / f"{found[0]['id']}-1.png").exists()
    others = [
        f
        for f in doc["findings"]
        if f["code"] != "already-paid" and not (f["code"] == "misreported" and f["kind"] == "status")
    ]
    assert not others, others  # nothing is claimed on the clean rest of the plan
    status = [f for f in doc["findings"] if f["code"] == "misreported"]
    assert all(f["installment"] == planted["period"] for f in status)


def test_without_the_ocr_extra_an_image_is_one_line_and_exit_2(tmp_path: Path) -> None:
    images, csv, _ = _planted_case(tmp_path)
    code = (
        "import sys\n"
        "sys.modules['rapidocr_onnxruntime'] = None  # as if the extra were not installed\n"
        "from reconcile.cli import main\n"
        "sys.argv = ['reconcile', 'check', *sys.argv[1:]]\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(images[0]), str(csv), "-o", str(tmp_path / "r.xlsx")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'reconcile[ocr]'" in lines[0], proc.stderr
