"""Bad input never crashes, hangs, loses data or leaves partial output.

Every case of the generated corpus (fixtures/make_corpus.py, at least 200) goes through `reconcile extract` and
`reconcile check` in a child process with a time limit and a memory limit: exit 2 with one line on stderr naming
the file and no traceback (or a successful parse where the file is still valid), the input unchanged, and no
report file left behind on failure. CI runs a fixed sample; ``RECONCILE_FULL_CORPUS=1 python -m pytest
tests/test_corpus.py`` runs all of it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES

TIMEOUT = 120  # seconds per run: generous for slow CI machines
MEMORY = 3 << 30  # bytes of address space per run


def _corpus_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_corpus", FIXTURES / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    return list(_corpus_module().build(tmp_path_factory.mktemp("corpus")))


def _names() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        names = [c.name for c in _corpus_module().build(Path(tmp))]
    if os.environ.get("RECONCILE_FULL_CORPUS"):
        return names
    heavy = [
        n
        for n in names
        if n.startswith(
            (
                "zip-bomb",
                "entity-bomb",
                "xlsx-bomb",
                "one-long-line",
                "empty-pages",
                "nested",
                "password",
                "empty",
                "junk",
                "wrong-encoding",
                "header-only",
                "hostile",
            )
        )
    ]
    rest = [n for n in names if n not in heavy]
    return heavy + rest[::8]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECONCILE_NO_PLUGINS": "1", "RECONCILE_JOBS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "reconcile", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=TIMEOUT,
        preexec_fn=_limits,
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_clean_failure(proc: subprocess.CompletedProcess[str], path: Path) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("错误：")]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith(f"错误：{path}"), errors[0]


@pytest.mark.parametrize("name", _names())
def test_case(name: str, corpus: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    case = next(c for c in corpus if c.name == name)
    before = _sha(case.path)
    passwords = [x for p in case.passwords for x in ("--password", p)]
    proc = _run(
        "extract", str(case.path), "--json", "-o", str(tmp_path / "out.json"), *passwords, cwd=tmp_path
    )
    assert proc.returncode in (0, 2), proc.stderr
    if proc.returncode == 2:
        _assert_clean_failure(proc, case.path)
        assert not (tmp_path / "out.json").exists() or case.kind == "mutation"
    else:
        assert case.kind != "bad", f"{name} should have been refused"
        assert "Traceback" not in proc.stderr
    report = tmp_path / "report.xlsx"
    partners = [str(FIXTURES / "scenarios/clean/statement.csv"), str(FIXTURES / "scenarios/clean/alipay.csv")]
    proc = _run("check", str(case.path), *partners, "-o", str(report), *passwords, cwd=tmp_path)
    assert proc.returncode in (0, 1, 2), proc.stderr
    if proc.returncode == 2:
        _assert_clean_failure(proc, case.path)
        unreliable = "未能可靠读取" in proc.stderr  # the report then says what was not read
        assert unreliable or not report.exists(), "no partial report after a failure"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary files left
    assert _sha(case.path) == before, "the input file was modified"


def test_corpus_is_large_enough(corpus: list) -> None:  # type: ignore[type-arg]
    assert len(corpus) >= 200
