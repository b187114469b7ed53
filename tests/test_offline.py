"""The tool never reaches the network: `check` and `demo` run with socket creation disabled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, ROOT

GUARD = (
    "import socket, sys\n"
    "def refuse(*a, **k):\n"
    "    raise RuntimeError('network access attempted')\n"
    "class Refused(socket.socket):\n"
    "    def __init__(self, *a, **k):\n"
    "        refuse()\n"
    "socket.socket = Refused\n"
    "socket.create_connection = refuse\n"
    "socket.getaddrinfo = refuse\n"
    "from reconcile.cli import main\n"
    "sys.argv = ['reconcile'] + sys.argv[1:]\n"
    "main()\n"
)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECONCILE_NO_PLUGINS": "1"}
    return subprocess.run(
        [sys.executable, "-c", GUARD, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_check_runs_offline(tmp_path: Path) -> None:
    folder = FIXTURES / "scenarios/already-paid"
    proc = _run(
        "check",
        str(folder / "statement.csv"),
        str(folder / "alipay.csv"),
        "--as-of",
        "2024-07-15",
        "-o",
        str(tmp_path / "r.xlsx"),
        "--json",
        str(tmp_path / "f.json"),
        "--letter",
        str(tmp_path / "l.md"),
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert "network access attempted" not in proc.stderr
    assert (tmp_path / "r.xlsx").exists() and (tmp_path / "f.json").exists()


def test_demo_and_pdfs_run_offline(tmp_path: Path) -> None:
    proc = _run("demo", "-o", str(tmp_path / "demo"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = _run(
        "extract",
        str(FIXTURES / "statements/weilidai-pages.pdf"),
        str(FIXTURES / "payments/alipay/alipay-aes.zip"),
        "--password",
        "123456",
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
