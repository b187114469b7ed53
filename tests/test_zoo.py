"""The statement layout zoo (``fixtures/zoo``, made by ``fixtures/make_zoo.py``): 38 statements laid out as
lenders lay them out, each with ground truth written by the generator. Extraction is scored field by field
(`tests/zooscore.py`): at least 99.5% of all printed fields right, and the exact number of installments in
every file."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from reconcile import extract

from .conftest import FIXTURES, ROOT
from .zooscore import report, score, score_dir

ZOO = FIXTURES / "zoo"
FILES = sorted(p for p in ZOO.iterdir() if p.suffix in (".pdf", ".xlsx", ".xls", ".csv", ".txt"))


def test_the_zoo_has_at_least_thirty_layouts() -> None:
    assert len(FILES) >= 30
    assert {p.suffix for p in FILES} >= {".pdf", ".xlsx", ".xls", ".csv", ".txt"}
    assert all(Path(str(p) + ".truth.json").exists() for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_installment_is_read(path: Path) -> None:
    result = score(path, list(extract(path)))
    assert result.installments_read == result.installments_expected, result.wrong[:10]


def test_field_accuracy_is_at_least_99_5_percent() -> None:
    scores = score_dir(ZOO)
    right = sum(s.right for s in scores)
    total = sum(s.total for s in scores)
    assert total > 5000
    assert right / total >= 0.995, report(scores, verbose=5)


def test_no_record_is_invented() -> None:
    """No file gains an installment, a charge or a credited repayment that its truth does not have."""
    invented = [w for s in score_dir(ZOO) for w in s.wrong if w.startswith("extra")]
    assert not invented, invented[:20]


@pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc").exists()
    or importlib.util.find_spec("reportlab") is None,
    reason="the zoo embeds subsets of the WenQuanYi fonts (apt install fonts-wqy-zenhei fonts-wqy-microhei)",
)
def test_the_zoo_is_reproducible(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "fixtures" / "make_zoo.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    made = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir() if p.is_file()}
    kept = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ZOO.iterdir() if p.name in made}
    assert made == kept
