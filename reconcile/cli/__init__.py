"""The `reconcile` command: a thin layer that parses options, calls the library and maps errors to exit codes.

Exit codes: 0 success (no findings), 1 findings, 2 bad input or usage. Known errors print one line
``Error: <file>[:<where>]: <what> (<hint>)`` on stderr; tracebacks only with ``--verbose``. The commands live in
`check` (``reconcile check``) and `commands` (the others); `common` holds what they share.
"""

from __future__ import annotations

import sys

import click

from ..errors import ReconcileError
from . import check as _check  # noqa: F401  (registers the command)
from . import commands as _commands  # noqa: F401  (registers the commands)
from . import common
from .common import EXIT_BAD_INPUT, cli, report_error

__all__ = ["cli", "main"]


def main() -> None:
    """The console script, in Chinese unless ``--lang en`` or RECONCILE_LANG=en. Ctrl-C exits 130 (never 1,
    which means findings), with nothing half-written."""
    import os

    from ..texts.cli import language, localise

    common.LANG = language(sys.argv[1:], dict(os.environ))
    if common.LANG == "zh":
        localise(cli)
    try:
        code = cli.main(prog_name="reconcile", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("已中断。" if common.LANG == "zh" else "Interrupted.", err=True)
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
