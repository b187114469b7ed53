"""``--redact``: identifiers planted in every field of the statement and the payment export, in the groupings
people write them in, appear in no byte of any output (console, JSON, workbook, Markdown and Word letters),
and the same value always gets the same mask."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from reconcile.report.redact import Redactor

from .conftest import FIXTURES
from .test_cli import run

SCENARIO = FIXTURES / "scenarios" / "not-credited"

# identifier -> the forms it is planted in
PLANTED = {
    "phone": ["139-1234-5678", "139 1234 5678", "13912345678", "+86 139 1234 5678"],
    "phone2": ["138 0013 8000"],
    "id": ["110101199001011234", "1101 0119 9001 0112 34", "110101 19900101 1234"],
    "card": ["6222 0211 0009 8812 345", "6222-0211-0009-8812-345", "6222021100098812345"],
    "email": ["li.xiaomei@example.com"],
    "address": ["北京市朝阳区幸福路88号院3号楼"],
    "borrower": ["李晓梅"],
    "payee": ["王小明"],
}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    statement = (SCENARIO / "statement.csv").read_text("utf-8").splitlines()
    at = statement.index("借据号：JB20240110000123")
    statement[at:at] = [
        "借款人：李晓梅",
        "身份证号：1101 0119 9001 0112 34",
        "联系电话：139-1234-5678",
        "住址：北京市朝阳区幸福路88号院3号楼",
        "电子邮箱：li.xiaomei@example.com",
        "还款账户：6222-0211-0009-8812-345",
    ]
    plan = tmp_path / "statement.csv"
    plan.write_text("\n".join(statement) + "\n", "utf-8")
    text = (SCENARIO / "alipay.csv").read_bytes().decode("gb18030")
    lines = text.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("交易时间,"))
    extra = [
        "2024-03-15 12:00:00,转账红包,王小明,139 1234 5678,转账给王小明 110101199001011234,支出,200.00,"
        "招商银行储蓄卡(6222 0211 0009 8812 345),交易成功,20240315200040011100040000\t,\t,"
        "住址：北京市朝阳区幸福路88号院3号楼,",
        "2024-03-16 12:00:00,转账红包,王小明,+86 139 1234 5678,退回 li.xiaomei@example.com 6222021100098812345,收入,"
        "50.00,余额,交易成功,20240316200040011100040001\t,\t,138 0013 8000,",
    ]
    lines[header + 1 : header + 1] = extra
    paid = next(i for i, ln in enumerate(lines) if ",500.00," in ln)  # the payment the lender never credited
    cells = lines[paid].split(",")
    cells[3] = "139 1234 5678"
    cells[4] = "李晓梅还款 身份证1101 0119 9001 0112 34 卡6222-0211-0009-8812-345"
    cells[11] = "li.xiaomei@example.com 住址：北京市朝阳区幸福路88号院3号楼 王小明"
    lines[paid] = ",".join(cells)
    text = "\n".join(lines) + "\n"
    text = text.replace("共6笔记录", "共8笔记录").replace("收入：0笔 0.00元", "收入：1笔 50.00元")
    text = text.replace("支出：0笔 0.00元", "支出：1笔 200.00元").replace(
        "姓名：李晓梅", "姓名：李晓梅 110101 19900101 1234"
    )
    alipay = tmp_path / "alipay.csv"
    alipay.write_bytes(text.encode("gb18030"))
    return plan, alipay


def _all_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as zf:
            return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    return data.decode("utf-8")


def test_every_planted_identifier_is_masked_in_every_output(tmp_path: Path) -> None:
    plan, alipay = _inputs(tmp_path)
    outputs = [tmp_path / n for n in ("report.xlsx", "findings.json", "letter.md")]
    args = ["--as-of", "2024-06-30", "--redact", "-o", str(outputs[0]), "--json", str(outputs[1])]
    proc = run("check", str(plan), str(alipay), *args, "--letter", str(outputs[2]))
    assert proc.returncode == 1, proc.stderr
    docx = tmp_path / "letter.docx"
    run("check", str(plan), str(alipay), "--as-of", "2024-06-30", "--redact", "--letter", str(docx))
    texts = {p.name: _all_text(p) for p in [*outputs, docx]}
    texts["console"] = proc.stdout + proc.stderr
    leaks = []
    for name, body in texts.items():
        flat = _digits(body)
        for kind, forms in PLANTED.items():
            for form in forms:
                digits = _digits(form)
                if form in body or (len(digits) >= 11 and digits in flat):
                    leaks.append(f"{kind} {form!r} in {name}")
    assert not leaks, leaks
    doc = json.loads(texts["findings.json"])
    assert doc["findings"], "the planted not-credited payment is still found"
    every = "".join(texts.values())
    assert all(
        re.search(rf"\[{kind}\d+\]", every) for kind in ("手机", "证件", "账号", "邮箱", "地址", "姓名")
    )


@pytest.mark.parametrize(
    "forms",
    [PLANTED["phone"], PLANTED["id"], PLANTED["card"]],
    ids=["phone", "id", "card"],
)
def test_one_value_one_mask_whatever_its_grouping(forms: list[str]) -> None:
    r = Redactor()
    masks = {r.text(f) for f in forms}
    assert len(masks) == 1 and next(iter(masks)).startswith("[")


def test_amounts_dates_and_transaction_ids_stay_readable() -> None:
    r = Redactor()
    text = "2024-06-25 09:15:02,信用借还,借呗,/,借呗还款,不计收支,1,079.71,20240625220011007050000 JB20240110000123"
    assert r.text(text) == text
