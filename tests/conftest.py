from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ["RECONCILE_NO_PLUGINS"] = "1"  # tests never load installed plugins

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite <fixture>.expected.json files")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def relativise(obj: Any) -> Any:
    """Paths inside a JSON document, relative to the repository, so goldens do not depend on the checkout."""
    text = json.dumps(obj, ensure_ascii=False)
    text = text.replace(str(ROOT) + "/", "")
    return json.loads(text)


def check_golden(path: Path, actual: Any, update: bool) -> None:
    actual = relativise(actual)
    if update or not path.exists():
        if not update:
            pytest.fail(f"no golden file {path.name}; run pytest --update-golden and review it")
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, f"{path.name} differs; if the change is intended, run pytest --update-golden"


needs_samples = pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/samples is not present")
