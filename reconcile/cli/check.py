"""``reconcile check``: options in, the library's `check` and writers called, exit code out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ReconcileError
from . import common
from .common import (
    CONTEXT,
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    check_outputs,
    cli,
    progress_to_terminal,
    report_error,
    verbose_option,
)

if TYPE_CHECKING:
    from ..config import Config
    from ..model import Result, Role

REPORT_NAME = "reconcile-report.xlsx"


def _plan_outputs(
    output: str | None,
    letter: str | None,
    force: bool,
    inputs: list[str],
    formats_given: tuple[str, ...],
) -> tuple[str, dict[str, str], str | None]:
    """The workbook's path (given, or ``reconcile-report.xlsx`` beside the first input, never over an existing
    one without ``--force``), with every output name checked before any work; and the formats ``--format``
    forces (per file, and for files not recognised by content)."""
    from ..errors import ConfigError
    from ..extractors import registry

    if output is not None:
        if Path(output).suffix.lower() != ".xlsx":
            raise ConfigError(
                f"the report is an Excel workbook, but this name ends in {Path(output).suffix or 'nothing'}",
                path=output,
                hint="name it .xlsx",
            )
    else:
        default = Path(inputs[0]).parent / REPORT_NAME
        if default.exists() and not force:
            raise ConfigError(
                "a report of this name is already there",
                path=str(default),
                hint="pass --force to replace it, or -o to choose another name",
            )
        output = str(default)
    if letter is not None and Path(letter).suffix.lower() not in (".md", ".docx"):
        raise ConfigError(
            f"a letter is written as Markdown or Word, but this name ends in {Path(letter).suffix or 'nothing'}",
            path=letter,
            hint="name it .md or .docx",
        )
    known = registry()
    per_file: dict[str, str] = {}
    fallback = None
    for spec in formats_given:
        target, _, name = spec.rpartition("=")
        if name not in known:
            raise ConfigError(f"unknown format {name!r}", hint="run `reconcile formats` to see the names")
        if target:
            per_file[target] = name
        else:
            fallback = name
    return output, per_file, fallback


def _status(zh: bool) -> Callable[[str | None, int, int], None]:
    """What `check` is doing, on one line of stderr that it rewrites, only when stderr is a terminal (never in
    pipes or logs): ``show(path, k, total)`` for reading the k-th input, ``show(None, -1, total)`` for matching
    (the library's progress calls), and ``show(None, 0, 0)`` to clear the line."""
    if not sys.stderr.isatty():
        return lambda path, k, total: None
    progress_to_terminal()

    def show(path: str | None, k: int, total: int) -> None:
        if path is None and k < 0:
            click.echo("\r\033[K" + ("核对中……" if zh else "matching..."), err=True, nl=False)
        elif path is None:
            click.echo("\r\033[K", err=True, nl=False)
        else:
            name = Path(path).name
            text = f"读取 {name}（{k}/{total}）……" if zh else f"reading {name} ({k}/{total})..."
            click.echo("\r\033[K" + text, err=True, nl=False)

    return show


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option(
    "--statement", "statements", multiple=True, metavar="FILE", help="A lender's statement (forces the role)."
)
@click.option(
    "--payments",
    "payment_files",
    multiple=True,
    metavar="FILE",
    help="Your payment records (forces the role).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the Excel report here (.xlsx).  [default: reconcile-report.xlsx beside the first file]",
)
@click.option("--force", is_flag=True, help="Replace an existing reconcile-report.xlsx.")
@click.option(
    "--json", "json_out", metavar="OUT", help="Write JSON (reconcile.findings/1) to OUT, or - for stdout."
)
@click.option(
    "--format",
    "formats_given",
    multiple=True,
    metavar="[FILE=]NAME",
    help="Read FILE as this format (see `formats`); NAME alone: every file not recognised by its content.",
)
@click.option(
    "--password", "passwords", multiple=True, metavar="P", help="Password for ZIP/PDF inputs; repeatable."
)
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the statements as of this date.")
@click.option("--tolerance", default=None, help="Amounts within this are equal.  [default: 0.01]")
@click.option(
    "--window",
    default=None,
    type=click.IntRange(0, 60),
    help="Days after a due date a payment still counts for that installment.  [default: 3]",
)
@click.option(
    "--grace", default=None, type=click.IntRange(0, 60), help="Contractual grace days.  [default: 0]"
)
@click.option(
    "--lender",
    "aliases",
    multiple=True,
    metavar="TEXT",
    help="Text naming the lender in your payment records (adds to the built-in aliases).",
)
@click.option(
    "--deferral",
    "deferrals",
    multiple=True,
    metavar="START:END[:KIND]",
    help="An arrangement with the lender (缓催/停催/分期), e.g. 2024-07-01:2024-09-30.",
)
@click.option(
    "--cap",
    default=None,
    type=click.Choice(["auto", "4x-lpr", "24", "36"]),
    help="The annual cost cap to compare the APR with.  [default: auto]",
)
@click.option(
    "--lender-type",
    default=None,
    type=click.Choice(["bank", "consumer-finance", "micro-lender", "private", "card"]),
    help="Which cap applies depends on the lender type.  [default: consumer-finance]",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Report language.  [default: zh]")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Settings from a JSON or TOML file; options given on the command line take precedence.",
)
@click.option(
    "--redact", is_flag=True, help="Mask names, phone, ID, card and account numbers in every output."
)
@click.option(
    "--letter", type=click.Path(dir_okay=False), help="Also write a letter ready to send (.md or .docx)."
)
@click.option(
    "--channel",
    type=click.Choice(["lender", "mediation", "regulator", "pboc"]),
    default="lender",
    show_default=True,
    help="Who the letter is for: the lender, a mediation organisation, the regulator (12378), the PBoC (12363).",
)
@click.option(
    "--name", metavar="NAME", help="Your name for the letter (default: the borrower the statement names)."
)
@click.option(
    "--evidence-images",
    "evidence_images",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Also write a crop of every screenshot region a finding cites into DIR (F001-1.png ...).",
)
@click.option(
    "--unverified",
    is_flag=True,
    help="Also report findings from a statement that was not read reliably, each marked unverified.",
)
@verbose_option
def check(
    files: tuple[str, ...],
    statements: tuple[str, ...],
    payment_files: tuple[str, ...],
    output: str | None,
    force: bool,
    json_out: str | None,
    formats_given: tuple[str, ...],
    passwords: tuple[str, ...],
    as_of: str | None,
    tolerance: str | None,
    window: int | None,
    grace: int | None,
    aliases: tuple[str, ...],
    deferrals: tuple[str, ...],
    cap: str | None,
    lender_type: str | None,
    lang: str | None,
    config_file: str | None,
    redact: bool,
    letter: str | None,
    channel: str,
    name: str | None,
    unverified: bool,
    evidence_images: str | None,
    verbose: bool,
) -> None:
    """Check lenders' statements against your payment records and report every disputed amount.

    Each file is recognised by its content as a lender's statement or as payment records; --statement and
    --payments force the role. Exit code 0: no findings; 1: findings; 2: bad input.

    \b
    Examples:
      reconcile check 借呗还款计划.pdf 支付宝交易明细.csv
      reconcile check plan.xlsx alipay.zip --password 123456 -o report.xlsx --json findings.json
      reconcile check plan.pdf bank.csv --deferral 2024-07-01:2024-09-30 --lang en
    """
    try:
        config = _config(
            config_file,
            {"window": window, "grace": grace, "cap": cap, "lender_type": lender_type, "lang": lang},
            tolerance=tolerance,
            as_of=as_of,
            aliases=aliases,
            deferrals=deferrals,
            unverified=unverified,
        )
    except ReconcileError as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    from ..model import Role

    roles = {**{f: Role.STATEMENT for f in statements}, **{f: Role.PAYMENTS for f in payment_files}}
    paths = [*files, *statements, *payment_files]
    if not paths:
        raise click.UsageError("give at least one statement and one payment file")
    try:
        output, forced_formats, fallback_format = _plan_outputs(output, letter, force, paths, formats_given)
    except ReconcileError as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    check_outputs([output, json_out, letter], paths)
    result = _run(paths, config, roles, passwords, forced_formats, fallback_format, verbose)
    _report(result, config.lang, output, json_out, letter, channel, name, redact, verbose, evidence_images)


def _run(
    paths: list[str],
    config: Config,
    roles: dict[str, Role],
    passwords: tuple[str, ...],
    formats: dict[str, str],
    fallback_format: str | None,
    verbose: bool,
) -> Result:
    """The library's `check`, its progress on the terminal, each bad file reported on its own line."""
    from ..api import InputsFailed
    from ..api import check as run_check

    show = _status(config.lang == "zh")

    def failed(path: str, exc: BaseException) -> None:
        show(None, 0, 0)
        report_error(path, exc, verbose)

    try:
        result = run_check(
            paths,
            config,
            passwords=passwords,
            roles=roles,
            formats=formats,
            fallback_format=fallback_format,
            on_error=failed,
            progress=show,
        )
    except InputsFailed:
        sys.exit(EXIT_BAD_INPUT)  # each bad file has had its line
    except Exception as exc:  # one line, a traceback only with --verbose
        show(None, 0, 0)
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    show(None, 0, 0)
    return result


def _config(
    config_file: str | None,
    given: dict[str, Any],
    *,
    tolerance: str | None,
    as_of: str | None,
    aliases: tuple[str, ...],
    deferrals: tuple[str, ...],
    unverified: bool,
) -> Config:
    """The settings: the config file's (or the defaults), with the options given on the command line over them."""
    from dataclasses import replace
    from decimal import Decimal, InvalidOperation

    from ..config import Config, load_config, parse_deferral
    from ..dates import parse_date
    from ..errors import ConfigError, ParseError

    config = load_config(config_file) if config_file else Config()
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}  # the file's otherwise
    if given.get("lang") is None and config.lang == "zh" and common.LANG == "en":
        changes["lang"] = "en"  # RECONCILE_LANG=en
    changes["unverified"] = unverified or config.unverified
    if tolerance is not None:
        try:
            changes["tolerance"] = Decimal(tolerance)
        except InvalidOperation as exc:
            raise ConfigError(f"--tolerance {tolerance!r} is not a number") from exc
    if as_of:
        try:
            changes["as_of"] = parse_date(as_of)
        except ParseError as exc:
            raise ConfigError(f"--as-of: {exc}") from exc
    if aliases:
        changes["aliases"] = (*config.aliases, *aliases)
    if deferrals:
        changes["deferrals"] = (*config.deferrals, *(parse_deferral(d) for d in deferrals))
    return replace(config, **changes)


def _report(
    result: Result,
    lang: str,
    output: str,
    json_out: str | None,
    letter: str | None,
    channel: str,
    name: str | None,
    redact: bool,
    verbose: bool,
    evidence_images: str | None = None,
) -> None:
    """Write the outputs, print the summary and the files written, and exit with the code the result gives."""
    from ..report import console, findings_json
    from ..report.write import write_reports

    zh = lang == "zh"
    try:
        if redact:
            from ..report.redact import redact_result

            result = redact_result(result)
            name = "[姓名]" if name else name
        written = write_reports(
            result,
            workbook=output,
            json_path=json_out if json_out and json_out != "-" else None,
            letter=letter,
            channel=channel,
            name=name or "",
            lang=lang,
        )
        if evidence_images:
            from ..report.crops import write_evidence_crops

            crops = write_evidence_crops(result, evidence_images)
            written.append(("crops", Path(evidence_images)))
        if json_out == "-":
            click.echo(findings_json.render(result), nl=False)
    except Exception as exc:  # one line, a traceback only with --verbose
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    if json_out != "-":
        click.echo(console.render(result, lang), nl=False)
    kinds = {"report": ("报告", "report"), "json": ("JSON", "JSON"), "letter": ("信函", "letter")}
    for kind, path in written:
        if kind == "crops":
            n = len(crops)
            text = f"已写入证据截图 {n} 张：{path}" if zh else f"Wrote {n} evidence crop(s) into {path}"
            click.echo(text, err=json_out == "-")
            continue
        what = kinds[kind]
        click.echo(f"已写入{what[0]}：{path}" if zh else f"Wrote the {what[1]}: {path}", err=json_out == "-")
    if not result.reliable:
        from ..api import unreliable

        for w in result.withheld:
            if w.level == "low":
                report_error(None, unreliable(w, lang), False)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_FINDINGS if result.findings else EXIT_OK)
