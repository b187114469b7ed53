"""The `reconcile` command: a thin layer that parses options, calls the library and maps errors to exit codes.

Exit codes: 0 success (no findings), 1 findings, 2 bad input or usage. Known errors print one line
``Error: <file>[:<where>]: <what> (<hint>)`` on stderr; tracebacks only with ``--verbose``.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .errors import ReconcileError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _verbose_option(f: F) -> F:
    return click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")(f)


def report_error(path: str | None, exc: BaseException, verbose: bool) -> str:
    """Print one line for an error (a traceback too with --verbose) and return the message."""
    if isinstance(exc, ReconcileError):
        message = str(exc.located(path))
    else:
        where = f"{path}: " if path else ""
        message = (
            f"{where}could not be read ({type(exc).__name__}: {exc}) "
            "(run with --verbose and report this if the file is a genuine export)"
        )
    if verbose:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    click.echo(f"Error: {message}", err=True)
    return message


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


@cli.command(context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="Print a Markdown table (as in the README).")
def formats(markdown: bool) -> None:
    """List the supported file formats (name, role, file types, description)."""
    from .extractors import registry

    rows = [
        (cls.name, cls.role.value, ", ".join(cls.file_types), cls.description) for cls in registry().values()
    ]
    if markdown:
        click.echo("| name | role | file types | description |")
        click.echo("|---|---|---|---|")
        for name, role, types, description in rows:
            click.echo(f"| `{name}` | {role} | {types} | {description} |")
        return
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    click.echo(f"{'name':<{widths[0]}}  {'role':<{widths[1]}}  {'types':<{widths[2]}}  description")
    for name, role, types, description in rows:
        click.echo(f"{name:<{widths[0]}}  {role:<{widths[1]}}  {types:<{widths[2]}}  {description}")


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format", "format_name", metavar="NAME", help="Read every FILE as this format (see `formats`)."
)
@click.option(
    "--password",
    "passwords",
    multiple=True,
    metavar="P",
    help="Password for a ZIP or PDF export; repeat to try several.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema reconcile.extract/1).")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per record.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead."
)
@_verbose_option
def extract(
    files: tuple[str, ...],
    format_name: str | None,
    passwords: tuple[str, ...],
    as_json: bool,
    as_csv: bool,
    output: str | None,
    verbose: bool,
) -> None:
    """Read exports and print their records with provenance (file, sha256, page/sheet, row, raw text).

    \b
    Examples:
      reconcile extract 支付宝交易明细.csv
      reconcile extract 微信支付账单.xlsx --json
      reconcile extract alipay.zip --password 123456 --csv -o records.csv
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from .extractors import extract as extract_file
    from .model import Extraction

    extractions: list[Extraction] = []
    errors: list[tuple[str, str]] = []
    for path in files:
        try:
            extractions.extend(extract_file(path, format=format_name, passwords=passwords))
        except (ReconcileError, Exception) as exc:  # every file is tried; each bad one is reported
            errors.append((path, report_error(path, exc, verbose)))
    from .report import extract as render

    if as_json:
        text = render.render_json(extractions, errors)
    elif as_csv:
        text = render.render_csv(extractions)
    else:
        text = render.render_text(extractions)
    if extractions or as_json:
        _emit(text, output)
    for ex in extractions:
        for notice in ex.notices:
            where = f":{notice.where}" if notice.where else ""
            click.echo(f"Warning: {ex.path}{where}: {notice.message}", err=True)
    sys.exit(EXIT_BAD_INPUT if errors else EXIT_OK)


def _emit(text: str, output: str | None) -> None:
    if output:
        from .report.output import write_atomic

        write_atomic(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


def main() -> None:
    try:
        cli(prog_name="reconcile")
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
