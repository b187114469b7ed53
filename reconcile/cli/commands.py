"""The commands besides ``check``: ``formats``, ``extract``, ``demo`` and ``schedule``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ReconcileError
from . import common
from .common import (
    CONTEXT,
    EXIT_BAD_INPUT,
    EXIT_OK,
    check_outputs,
    cli,
    emit,
    progress_to_terminal,
    report_error,
    verbose_option,
)


@cli.command(context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="Print a Markdown table (as in the README).")
def formats(markdown: bool) -> None:
    """List the supported file formats (name, role, file types, description)."""
    from ..extractors import registry

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
@verbose_option
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
    from ..reading import extract as extract_file  # parses a large workbook while the extractors load

    check_outputs([output], list(files))

    if TYPE_CHECKING:
        from ..model import Extraction

    progress_to_terminal()
    extractions: list[Extraction] = []
    errors: list[tuple[str, str]] = []
    for path in files:
        try:
            extractions.extend(extract_file(path, format=format_name, passwords=passwords))
        except (ReconcileError, Exception) as exc:  # every file is tried; each bad one is reported
            errors.append((path, report_error(path, exc, verbose)))
    from ..report import extract as render

    # written piece by piece as it is rendered: a million-record listing never sits in memory whole
    if as_json:
        chunks = render.iter_json(extractions, errors)
    elif as_csv:
        chunks = render.iter_csv(extractions)
    else:
        chunks = render.iter_text(extractions)
    if extractions:  # nothing is written when every file failed: no output stands for nothing
        emit(chunks, output)
    for ex in extractions:
        for notice in ex.notices:
            if common.LANG == "zh":
                from ..texts import place

                where = f" {place(notice.where, 'zh')}" if notice.where else ""
                click.echo(f"提示：{ex.path}{where}：{notice.message_zh or notice.message}", err=True)
            else:
                where = f":{notice.where}" if notice.where else ""
                click.echo(f"Warning: {ex.path}{where}: {notice.message}", err=True)
    sys.exit(EXIT_BAD_INPUT if errors else EXIT_OK)


@cli.command(context_settings=CONTEXT)
@click.option(
    "-o",
    "--output",
    "out_dir",
    default="reconcile-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the report, the JSON and the letter.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language.  [default: zh]")
@verbose_option
def demo(out_dir: str, lang: str | None, verbose: bool) -> None:
    """Run the bundled demo case: a 借呗 repayment plan (PDF) and an Alipay export with planted problems.

    Writes report.xlsx, findings.json and a letter for each channel (letter-lender.md and .docx,
    letter-mediation.md, letter-regulator.md, letter-pboc.md) into the folder and prints the findings.
    """
    from importlib import resources
    from pathlib import Path

    from ..api import check as run_check
    from ..config import Config
    from ..dates import parse_date
    from ..report import console, findings_json
    from ..report.excel import build_workbook
    from ..report.letter import CHANNELS, letter_bytes
    from ..report.output import write_all

    lang = lang or common.LANG
    folder = resources.files("reconcile").joinpath("data/demo")
    try:
        with resources.as_file(folder) as demo_dir:
            names = sorted(p for p in Path(demo_dir).iterdir() if p.suffix in (".pdf", ".csv"))
            planted = json.loads((Path(demo_dir) / "planted.json").read_text(encoding="utf-8"))
            result = run_check([str(p) for p in names], Config(as_of=parse_date(planted["as_of"]), lang=lang))
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        outputs: list[tuple[str | Path, bytes]] = [
            (out / "report.xlsx", build_workbook(result, lang, name="report.xlsx")),
            (out / "findings.json", findings_json.render(result).encode("utf-8")),
        ]
        for channel in CHANNELS:
            outputs.append((out / f"letter-{channel}.md", letter_bytes(result, "x.md", channel)))
        outputs.append((out / "letter-lender.docx", letter_bytes(result, "x.docx", "lender")))
        write_all(outputs)
    except (ReconcileError, OSError) as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(console.render(result, lang), nl=False)
    for path, _ in outputs:
        click.echo(f"已写入：{path}" if lang == "zh" else f"Wrote {path}")


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
@verbose_option
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
    from ..dates import parse_date
    from ..errors import ConfigError, ParseError
    from ..money import parse_amount
    from ..rates import parse_rate
    from ..report import schedule as render
    from ..schedule import Convention, build_schedule

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
        from ..vocab import METHOD_NAMES, method_named

        repayment = method_named(method)
        if repayment is None:
            names = [*METHOD_NAMES, "等额本息", "等额本金", "先息后本", "一次性还本付息", "等本等息"]
            raise ConfigError(f"unknown method {method!r}; use one of {', '.join(names)}")
        fees = _parse_fees(fee_specs)
        plan = build_schedule(
            amount,
            contract_rate,
            periods,
            repayment,
            start_date,
            due_day=due_day,
            convention=Convention(day_count=day_count, basis=int(basis)),
            fees=fees,
        )
        if output and output.lower().endswith(".xlsx"):
            from ..report.output import write_atomic

            write_atomic(output, render.render_xlsx(plan, lang))
            click.echo(f"已写入：{output}" if common.LANG == "zh" else f"Wrote {output}", err=True)
            return
        text = (
            render.render_json(plan)
            if as_json or (output or "").lower().endswith(".json")
            else render.render_text(plan)
        )
        emit(text, output)
    except ReconcileError as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)


def _parse_fees(specs: tuple[str, ...]) -> Any:
    from decimal import Decimal

    from ..errors import ConfigError, ParseError
    from ..money import parse_amount
    from ..schedule import Fees

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
