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


_METHODS = {
    "equal-installment": "EQUAL_INSTALLMENT", "等额本息": "EQUAL_INSTALLMENT",
    "equal-principal": "EQUAL_PRINCIPAL", "等额本金": "EQUAL_PRINCIPAL",
    "interest-only": "INTEREST_ONLY", "先息后本": "INTEREST_ONLY", "按月付息到期还本": "INTEREST_ONLY",
    "bullet": "BULLET", "一次性还本付息": "BULLET",
    "flat": "FLAT", "等本等息": "FLAT",
}  # fmt: skip


@cli.command(context_settings=CONTEXT)
@click.option(
    "--principal", required=True, metavar="AMOUNT", help="Loan principal, e.g. 12000 or ¥12,000.00."
)
@click.option(
    "--rate",
    required=True,
    metavar="RATE",
    help="Contract rate with its unit: 0.04%/day, 10.8%/year, 0.9%/month.",
)
@click.option("--periods", required=True, type=click.IntRange(1, 600), help="Number of monthly periods.")
@click.option(
    "--method",
    required=True,
    metavar="METHOD",
    help="equal-installment (等额本息), equal-principal (等额本金), interest-only (先息后本), bullet, flat (等本等息).",
)
@click.option("--start", required=True, metavar="DATE", help="Loan date, e.g. 2024-01-10.")
@click.option(
    "--due-day",
    type=click.IntRange(1, 31),
    help="Day of the month installments fall due (default: start day).",
)
@click.option(
    "--fee",
    "fee_specs",
    multiple=True,
    metavar="KIND:VALUE",
    help="upfront:1000 (deducted at payout), period:8.80 (every period), rate:8.8% (total, spread evenly).",
)
@click.option(
    "--day-count",
    type=click.Choice(["monthly", "actual"]),
    default="monthly",
    show_default=True,
    help="Interest per period from the monthly rate, or from the daily rate x actual days.",
)
@click.option(
    "--basis",
    type=click.Choice(["360", "365"]),
    default="360",
    show_default=True,
    help="Days in a year when converting between daily and annual rates.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema reconcile.schedule/1).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write .xlsx, .json or .txt instead of printing."
)
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Workbook language."
)
@_verbose_option
def schedule(
    principal: str,
    rate: str,
    periods: int,
    method: str,
    start: str,
    due_day: int | None,
    fee_specs: tuple[str, ...],
    day_count: str,
    basis: str,
    as_json: bool,
    output: str | None,
    lang: str,
    verbose: bool,
) -> None:
    """Compute a repayment schedule with totals and the APR (simple and compound).

    \b
    Examples:
      reconcile schedule --principal 10000 --rate 10.8%/year --periods 12 --method equal-installment --start 2024-01-15
      reconcile schedule --principal 12000 --rate 0.04%/day --periods 12 --method equal-principal \\
          --start 2024-01-10 --due-day 10 --day-count actual --json
      reconcile schedule --principal 1200 --rate 0%/month --periods 12 --method equal-principal \\
          --start 2024-03-01 --fee rate:8.8% -o huabei.xlsx
    """
    from .dates import parse_date
    from .errors import ConfigError, ParseError
    from .model import RepaymentMethod
    from .money import parse_amount
    from .rates import parse_rate
    from .report import schedule as render
    from .schedule import Convention, build_schedule

    try:
        try:
            option = "--principal"
            amount = parse_amount(principal)
            option = "--rate"
            contract_rate = parse_rate(rate)
            option = "--start"
            start_date = parse_date(start)
        except ParseError as exc:
            raise ConfigError(f"{option}: {exc}", hint="see `reconcile schedule --help`") from exc
        if method not in _METHODS:
            raise ConfigError(f"unknown method {method!r}; use one of {', '.join(sorted(_METHODS))}")
        fees = _parse_fees(fee_specs)
        plan = build_schedule(
            amount,
            contract_rate,
            periods,
            RepaymentMethod[_METHODS[method]],
            start_date,
            due_day=due_day,
            convention=Convention(day_count=day_count, basis=int(basis)),
            fees=fees,
        )
        if output and output.lower().endswith(".xlsx"):
            from .report.output import write_atomic

            write_atomic(output, render.render_xlsx(plan, lang))
            click.echo(f"Wrote {output}", err=True)
            return
        text = (
            render.render_json(plan)
            if as_json or (output or "").lower().endswith(".json")
            else render.render_text(plan)
        )
        _emit(text, output)
    except ReconcileError as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)


def _parse_fees(specs: tuple[str, ...]) -> Any:
    from decimal import Decimal

    from .errors import ConfigError, ParseError
    from .money import parse_amount
    from .schedule import Fees

    upfront = per_period = total_rate = Decimal("0.00")
    for spec in specs:
        kind, _, value = spec.partition(":")
        try:
            if kind == "upfront":
                upfront += parse_amount(value)
            elif kind == "period":
                per_period += parse_amount(value)
            elif kind == "rate":
                text = value.strip().rstrip("%")
                total_rate += Decimal(text) / 100 if value.strip().endswith("%") else Decimal(text)
            else:
                raise ConfigError(
                    f"unknown fee kind {kind!r} in --fee {spec!r}; use upfront:, period: or rate:"
                )
        except (ParseError, ArithmeticError) as exc:
            raise ConfigError(f"cannot read --fee {spec!r} ({exc})") from exc
    return Fees(upfront=upfront, per_period=per_period, total_rate=total_rate)


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
