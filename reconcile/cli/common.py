"""What every ``reconcile`` command shares: the command group, the language, one-line errors, output checks.

Exit codes: 0 success (no findings), 1 findings, 2 bad input or usage. Known errors print one line
``Error: <file>[:<where>]: <what> (<hint>)`` on stderr; tracebacks only with ``--verbose``.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import ReconcileError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
#: The language of messages and help: Chinese unless ``--lang en`` is among the arguments or RECONCILE_LANG=en
#: (set by `main`).
LANG = "zh"
F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def verbose_option(f: F) -> F:
    return click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")(f)


def progress_to_terminal() -> None:
    """Show page progress for long PDFs on stderr, only when stderr is a terminal (never in pipes or logs)."""
    if not sys.stderr.isatty():
        return
    from ..read import pdftable

    def show(path: str, done: int, total: int) -> None:
        if done < 0:
            click.echo("\r\033[K", err=True, nl=False)
        elif done % 10 == 0:
            click.echo(f"\rreading {path}: page {done}", err=True, nl=False)

    pdftable.PROGRESS = show


def report_error(path: str | None, exc: BaseException, verbose: bool) -> str:
    """Print one line for an error (a traceback too with --verbose) and return the message."""
    if not isinstance(exc, ReconcileError):
        exc_text = f"{type(exc).__name__}: {exc}"
        error = ReconcileError(
            f"could not be read ({exc_text})",
            path=path,
            hint="run with --verbose and report this if the file is a genuine export",
        )
    else:
        error = exc.located(path)
    if verbose:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    from ..report.safe import visible

    message = visible(_error_text(error))
    click.echo(f"错误：{message}" if LANG == "zh" else f"Error: {message}", err=True)
    return message


def _error_text(error: ReconcileError) -> str:
    """``file:where: what (hint)``, in the command line's language."""
    if LANG != "zh":
        return str(error)
    from ..texts import place
    from ..texts.cli import hint, message

    head = ""
    if error.path:
        head = f"{error.path} {place(error.where, 'zh')}" if error.where else error.path
        head += "："
    text = head + message(error.message)
    if error.hint:
        text += f"（{hint(error.hint)}）"
    return text


def check_outputs(outputs: list[str | None], inputs: list[str]) -> None:
    """Exit 2 before any work if an output would overwrite an input file (inputs are never modified) or two
    outputs name the same file."""

    from ..errors import ConfigError

    def same(a: str, b: str) -> bool:
        pa, pb = Path(a), Path(b)
        try:
            if pa.exists() and pb.exists():
                return pa.samefile(pb)
        except OSError:
            pass
        return pa.resolve() == pb.resolve()

    named = [o for o in outputs if o and o != "-"]
    problem = None
    for k, out in enumerate(named):
        hit = next((i for i in inputs if same(out, i)), None)
        if hit is not None:
            problem = ConfigError(
                "the output would overwrite this input file",
                path=out,
                hint="write the output to another file",
            )
            break
        if any(same(out, other) for other in named[k + 1 :]):
            problem = ConfigError(
                "two outputs would be written to this file", path=out, hint="give each its own"
            )
            break
    if problem is None:
        from ..report.output import check_writable

        for out in named:
            why = check_writable(out)
            if why is not None:
                problem = ConfigError(
                    f"cannot write the output: {why}", path=out, hint="choose another place"
                )
                break
    if problem is not None:
        report_error(None, problem, False)
        sys.exit(EXIT_BAD_INPUT)


def emit(text: str | Iterable[str], output: str | None) -> None:
    """Write ``text`` (or its pieces) to ``output`` atomically, or to standard output."""
    pieces = [text] if isinstance(text, str) else text
    if output:
        from ..report.output import write_atomic

        write_atomic(output, (piece.encode("utf-8") for piece in pieces))
    else:
        for piece in pieces:
            click.echo(piece, nl=False)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="reconcile", prog_name="reconcile")
def cli() -> None:
    """Check a lender's bill against what you actually paid.

    Reads lenders' statements and repayment plans and your own payment records (Alipay, WeChat Pay, bank
    statements), and reports amounts already paid, double-counted, misreported or never credited, each with
    the file and row that prove it. Runs offline; nothing is sent anywhere.

    \b
    Examples:
      reconcile formats
      reconcile extract 支付宝交易明细.csv
      reconcile extract alipay.zip --password 123456 --json -o records.json
    """
