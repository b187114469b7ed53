"""The `reconcile` command: a thin layer that parses options, calls the library and maps errors to exit codes.

Exit codes: 0 success (no findings), 1 findings, 2 bad input or usage. Known errors print one line
``Error: <file>[:<where>]: <what> (<hint>)`` on stderr; tracebacks only with ``--verbose``.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .errors import ReconcileError

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
#: The language of messages and help: Chinese unless ``--lang en`` is among the arguments or RECONCILE_LANG=en
#: (set by `main`).
LANG = "zh"
F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _verbose_option(f: F) -> F:
    return click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")(f)


def _progress_to_terminal() -> None:
    """Show page progress for long PDFs on stderr, only when stderr is a terminal (never in pipes or logs)."""
    if not sys.stderr.isatty():
        return
    from .read import pdftable

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
    from .report.safe import visible

    message = visible(_error_text(error))
    click.echo(f"错误：{message}" if LANG == "zh" else f"Error: {message}", err=True)
    return message


def _error_text(error: ReconcileError) -> str:
    """``file:where: what (hint)``, in the command line's language."""
    if LANG != "zh":
        return str(error)
    from .texts import place
    from .texts.cli import hint, message

    head = ""
    if error.path:
        head = f"{error.path} {place(error.where, 'zh')}" if error.where else error.path
        head += "："
    text = head + message(error.message)
    if error.hint:
        text += f"（{hint(error.hint)}）"
    return text


def _check_outputs(outputs: list[str | None], inputs: list[str]) -> None:
    """Exit 2 before any work if an output would overwrite an input file (inputs are never modified) or two
    outputs name the same file."""
    from pathlib import Path

    from .errors import ConfigError

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
        from .report.output import check_writable

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


REPORT_NAME = "reconcile-report.xlsx"


def _plan_outputs(
    output: str | None,
    letter: str | None,
    force: bool,
    inputs: list[tuple[str, Any]],
    formats_given: tuple[str, ...],
) -> tuple[str, dict[str, str], str | None]:
    """The workbook's path (given, or ``reconcile-report.xlsx`` beside the first input, never over an existing
    one without ``--force``), with every output name checked before any work; and the formats ``--format``
    forces (per file, and for files not recognised by content)."""
    from .errors import ConfigError
    from .extractors import registry

    if output is not None:
        if Path(output).suffix.lower() != ".xlsx":
            raise ConfigError(
                f"the report is an Excel workbook, but this name ends in {Path(output).suffix or 'nothing'}",
                path=output,
                hint="name it .xlsx",
            )
    else:
        default = Path(inputs[0][0]).parent / REPORT_NAME
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


def _extract_one(
    extract_file: Callable[..., Any],
    path: str,
    passwords: tuple[str, ...],
    per_file: dict[str, str],
    fallback: str | None,
) -> Any:
    from .errors import UnknownFormat

    if path in per_file:
        return extract_file(path, format=per_file[path], passwords=passwords)
    try:
        return extract_file(path, passwords=passwords)
    except UnknownFormat:
        if fallback is None:
            raise
        return extract_file(path, format=fallback, passwords=passwords)


def _status(total: int, zh: bool) -> Callable[[str | None, int], None]:
    """What `check` is doing, on one line of stderr that it rewrites, only when stderr is a terminal (never in
    pipes or logs): ``show(path, k)`` for reading the k-th input, ``show("", -1)`` for matching, and
    ``show(None, 0)`` to clear the line."""
    if not sys.stderr.isatty():
        return lambda path, k: None
    _progress_to_terminal()

    def show(path: str | None, k: int) -> None:
        if path is None:
            click.echo("\r\033[K", err=True, nl=False)
        elif k < 0:
            click.echo("\r\033[K" + ("核对中……" if zh else "matching..."), err=True, nl=False)
        else:
            name = Path(path).name
            text = f"读取 {name}（{k}/{total}）……" if zh else f"reading {name} ({k}/{total})..."
            click.echo("\r\033[K" + text, err=True, nl=False)

    return show


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
    from .reading import extract as extract_file  # parses a large workbook while the extractors load

    _check_outputs([output], list(files))

    if TYPE_CHECKING:
        from .model import Extraction

    _progress_to_terminal()
    extractions: list[Extraction] = []
    errors: list[tuple[str, str]] = []
    for path in files:
        try:
            extractions.extend(extract_file(path, format=format_name, passwords=passwords))
        except (ReconcileError, Exception) as exc:  # every file is tried; each bad one is reported
            errors.append((path, report_error(path, exc, verbose)))
    from .report import extract as render

    # written piece by piece as it is rendered: a million-record listing never sits in memory whole
    if as_json:
        chunks = render.iter_json(extractions, errors)
    elif as_csv:
        chunks = render.iter_csv(extractions)
    else:
        chunks = render.iter_text(extractions)
    if extractions:  # nothing is written when every file failed: no output stands for nothing
        _emit(chunks, output)
    for ex in extractions:
        for notice in ex.notices:
            if LANG == "zh":
                from .texts import place

                where = f" {place(notice.where, 'zh')}" if notice.where else ""
                click.echo(f"提示：{ex.path}{where}：{notice.message_zh or notice.message}", err=True)
            else:
                where = f":{notice.where}" if notice.where else ""
                click.echo(f"Warning: {ex.path}{where}: {notice.message}", err=True)
    sys.exit(EXIT_BAD_INPUT if errors else EXIT_OK)


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
    "--unverified",
    is_flag=True,
    help="Also report findings from a statement that was not read reliably, each marked unverified.",
)
@_verbose_option
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
    from dataclasses import replace as dc_replace
    from decimal import Decimal, InvalidOperation

    from .config import Config, load_config, parse_deferral
    from .dates import parse_date
    from .errors import ConfigError, ParseError
    from .model import Extraction, Role
    from .reading import extract as extract_file

    try:
        config = load_config(config_file) if config_file else Config()
        given = {"window": window, "grace": grace, "cap": cap, "lender_type": lender_type, "lang": lang}
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}  # the file's otherwise
        if lang is None and config.lang == "zh" and LANG == "en":
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
        config = dc_replace(config, **changes)
    except ReconcileError as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    inputs = (
        [(f, None) for f in files]
        + [(f, Role.STATEMENT) for f in statements]
        + [(f, Role.PAYMENTS) for f in payment_files]
    )
    if not inputs:
        raise click.UsageError("give at least one statement and one payment file")
    zh = config.lang == "zh"
    try:
        output, forced_formats, fallback_format = _plan_outputs(output, letter, force, inputs, formats_given)
    except ReconcileError as exc:
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    _check_outputs([output, json_out, letter], [f for f, _ in inputs])
    extractions: list[Extraction] = []
    failed = False
    show = _status(len(inputs), zh)
    for k, (path, forced) in enumerate(inputs, start=1):
        show(path, k)
        try:
            for ex in _extract_one(extract_file, path, passwords, forced_formats, fallback_format):
                if forced is not None and ex.role is not forced:
                    raise ConfigError(
                        f"read as {ex.role.value} ({ex.extractor}), but given as {forced.value}",
                        path=path,
                        hint="check which file is the lender's and which is yours",
                    )
                extractions.append(ex)
        except (ReconcileError, Exception) as exc:  # every file is tried; each bad one is reported
            show(None, 0)
            report_error(path, exc, verbose)
            failed = True
    if failed:
        sys.exit(EXIT_BAD_INPUT)
    if not any(ex.role is Role.STATEMENT for ex in extractions):
        report_error(
            None,
            ConfigError(
                "no lender statement among the inputs",
                hint="give the lender's statement or repayment plan too",
            ),
            verbose,
        )
        sys.exit(EXIT_BAD_INPUT)
    from .engine import reconcile as run_reconcile
    from .report import console, findings_json

    try:
        show("", -1)
        result = run_reconcile(extractions, config)
        show(None, 0)
        if redact:
            from .report.redact import redact_result

            result = redact_result(result)
            name = "[姓名]" if name else name
        outputs: list[tuple[str | Path, bytes]] = []  # written all or nothing, once every one is ready
        if json_out and json_out != "-":
            outputs.append((json_out, findings_json.render(result).encode("utf-8")))
        if output:
            from .report.excel import build_workbook

            outputs.append((output, build_workbook(result, lang=config.lang, name=Path(output).name)))
        if letter:
            from .report.letter import letter_bytes

            outputs.append((letter, letter_bytes(result, letter, channel, name=name or "")))
        from .report.output import write_all

        write_all(outputs)
        if json_out == "-":
            click.echo(findings_json.render(result), nl=False)
    except (ReconcileError, OSError, Exception) as exc:  # one line, a traceback only with --verbose
        report_error(None, exc, verbose)
        sys.exit(EXIT_BAD_INPUT)
    if json_out != "-":
        click.echo(console.render(result, config.lang), nl=False)
    kinds = {
        str(output): ("报告", "report"),
        str(json_out): ("JSON", "JSON"),
        str(letter): ("信函", "letter"),
    }
    for written, _ in outputs:
        what = kinds.get(str(written), ("文件", "file"))
        click.echo(
            f"已写入{what[0]}：{written}" if zh else f"Wrote the {what[1]}: {written}", err=json_out == "-"
        )
    if not result.reliable:
        for w in result.withheld:
            if w.level == "low":
                from .texts import place

                reasons = ("; " if config.lang == "en" else "；").join(
                    (r.message if config.lang == "en" else r.message_zh or r.message)
                    + (f" [{place(r.where, config.lang)}]" if r.where else "")
                    for r in w.reasons
                )
                report_error(
                    None,
                    ReconcileError(
                        f"the statement could not be read reliably, so no finding is made from it: {reasons}",
                        path=w.path,
                        hint="check that this is the lender's statement as exported; --unverified shows findings "
                        "anyway, marked unverified",
                    ),
                    False,
                )
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_FINDINGS if result.findings else EXIT_OK)


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
@_verbose_option
def demo(out_dir: str, lang: str | None, verbose: bool) -> None:
    """Run the bundled demo case: a 借呗 repayment plan (PDF) and an Alipay export with planted problems.

    Writes report.xlsx, findings.json and a letter for each channel (letter-lender.md and .docx,
    letter-mediation.md, letter-regulator.md, letter-pboc.md) into the folder and prints the findings.
    """
    from importlib import resources
    from pathlib import Path

    from .config import Config
    from .dates import parse_date
    from .engine import check as run_check
    from .report import console, findings_json
    from .report.excel import build_workbook
    from .report.letter import CHANNELS, letter_bytes
    from .report.output import write_all

    lang = lang or LANG
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
        from .vocab import METHOD_NAMES, method_named

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
            from .report.output import write_atomic

            write_atomic(output, render.render_xlsx(plan, lang))
            click.echo(f"已写入：{output}" if LANG == "zh" else f"Wrote {output}", err=True)
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


def _emit(text: str | Iterable[str], output: str | None) -> None:
    """Write ``text`` (or its pieces) to ``output`` atomically, or to standard output."""
    pieces = [text] if isinstance(text, str) else text
    if output:
        from .report.output import write_atomic

        write_atomic(output, (piece.encode("utf-8") for piece in pieces))
    else:
        for piece in pieces:
            click.echo(piece, nl=False)


def main() -> None:
    """The console script, in Chinese unless ``--lang en`` or RECONCILE_LANG=en. Ctrl-C exits 130 (never 1,
    which means findings), with nothing half-written."""
    import os

    from .texts.cli import language, localise

    global LANG
    LANG = language(sys.argv[1:], dict(os.environ))
    if LANG == "zh":
        localise(cli)
    try:
        code = cli.main(prog_name="reconcile", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("已中断。" if LANG == "zh" else "Interrupted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except MemoryError:
        report_error(
            None,
            ReconcileError(
                "not enough memory for these inputs",
                hint="split the exports into shorter periods and try again",
            ),
            False,
        )
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code if isinstance(code, int) else 0)
