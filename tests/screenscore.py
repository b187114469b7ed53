"""Score the screenshot reader against the generator's ground truth, field by field.

``python tests/screenscore.py [COUNT] [FIRST_SEED]`` prints the accuracy over COUNT generated plans (cycling the
layouts), every wrong value, and the time per screenshot. The test `test_screens` runs a smaller set.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.builders import screens  # noqa: E402

AMOUNT_FIELDS = ("principal", "interest", "total")


@dataclass
class Score:
    right: int = 0  # amounts and dates read right (after the proof)
    missing: int = 0  # values in the truth the reader set aside or did not read
    wrong: list[str] = field(default_factory=list)  # values read, passed by the proof, and wrong
    images: int = 0
    seconds: float = 0.0
    repaired: int = 0

    @property
    def total(self) -> int:
        return self.right + self.missing + len(self.wrong)

    def line(self) -> str:
        share = 100 * self.right / self.total if self.total else 100.0
        per = self.seconds / self.images if self.images else 0.0
        return (
            f"{self.right}/{self.total} amounts and dates right ({share:.2f}%), {self.missing} set aside or not "
            f"read, {len(self.wrong)} wrong after the proof, {self.repaired} repaired; {self.images} screenshots, "
            f"{per:.2f} s each"
        )


def score_set(folder: Path, truth: dict[str, Any], paths: list[Path], score: Score) -> None:
    """Read the screenshots of one plan together (stitched, as `check` reads them) and score them."""
    from reconcile.reading import extract
    from reconcile.statements.stitch import stitch

    start = time.perf_counter()
    extractions = [ex for p in paths for ex in extract(p)]
    score.seconds += time.perf_counter() - start
    score.images += len(paths)
    stitched = [ex for ex in stitch(extractions) if ex.statement is not None]
    read: dict[int, Any] = {}
    for ex in stitched:
        assert ex.statement is not None
        for inst in ex.statement.installments:
            read.setdefault(inst.period, inst)
        score.repaired += sum(1 for n in ex.notices if n.code == "ocr-repaired")
    visible = sorted({p for image in truth["images"] for p in image["periods_visible"]})
    by_period = {row["period"]: row for row in truth["plan"]["installments"]}
    for period in visible:
        row = by_period[period]
        inst = read.get(period)
        expected: list[tuple[str, object]] = [(f, Decimal(row[f])) for f in AMOUNT_FIELDS]
        expected.append(("due_date", date.fromisoformat(row["due_date"])))
        for name, value in expected:
            got = getattr(inst, name) if inst is not None else None
            if got is None:
                score.missing += 1
            elif got == value:
                score.right += 1
            else:
                score.wrong.append(f"{folder.name} period {period} {name}: read {got}, truth {value}")


def run(count: int, first_seed: int = 0, folder: Path | None = None) -> Score:
    import json
    import tempfile

    score = Score()
    base = folder or Path(tempfile.mkdtemp(prefix="screens-"))
    for k in range(count):
        seed = first_seed + k
        layout = screens.LAYOUTS[seed % len(screens.LAYOUTS)]
        plan = screens.make_plan(seed)
        target = base / f"{seed:03d}-{layout}"
        target.mkdir(parents=True, exist_ok=True)
        paths = []
        images = []
        for name, data, image_truth in screens.render(plan, layout, seed):
            (target / name).write_bytes(data)
            paths.append(target / name)
            images.append({"file": name, **image_truth})
        truth = {"plan": plan, "images": images}
        (target / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        score_set(target, truth, paths, score)
    return score


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    result = run(n, first)
    for w in result.wrong:
        print("WRONG", w)
    print(result.line())
