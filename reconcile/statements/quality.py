"""How far a statement's reading can be trusted, from what the reader itself knows: the installments read
against the number of periods the terms print, rows whose parts do not add up to their total, rows and cells
that could not be read. A finding made from a misread table would accuse a lender of something the statement
never said, so a statement read with low confidence gives no finding (`reconcile.engine` withholds them) and
the user is told exactly what could not be read."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Notice, Quality, Statement

#: Share of a statement's rows whose parts may fail to add up before the columns themselves are in doubt.
ARITHMETIC_LIMIT = 0.5


def _note(code: str, message: str, where: str, message_zh: str, path: str) -> Notice:
    return Notice(code=code, message=message, where=where, message_zh=message_zh, path=path)


def assess(st: Statement, notices: Sequence[Notice], path: str = "") -> Quality:
    """``low`` when the table was not read reliably, ``medium`` when some rows or values were not read, else
    ``high``; the reasons say what and where, in English and Chinese."""
    low: list[Notice] = []
    medium: list[Notice] = []
    where = st.sources[0].where() if st.sources else ""
    insts = st.installments
    if not insts and not st.settled_on:
        low.append(
            _note(
                "no-installments",
                "no installment rows were read from the table",
                where,
                "表格中未能读出任何一期还款记录",
                path,
            )
        )
    schedule_unread, other_unread = _unread_rows(st, path)
    low += schedule_unread
    medium += other_unread
    low += _unreadable_cells(notices, path)
    low += _doubtful_columns(st, where, path)
    if insts:
        exceed, missing = _periods(st, where, path)
        low += exceed
        medium += missing
    if (
        not any(
            getattr(i, f) is not None
            for i in insts
            for f in ("principal", "interest", "penalty", "fees", "total", "paid", "outstanding")
        )
        and insts
    ):
        low.append(
            _note(
                "no-amounts",
                "the installment rows carry no amount in any known column",
                where,
                "分期行中没有任何可识别的金额列",
                path,
            )
        )
    if low:
        return Quality(level="low", reasons=tuple(low + medium))
    if medium:
        return Quality(level="medium", reasons=tuple(medium))
    return Quality(level="high")


def _unread_rows(st: Statement, path: str) -> tuple[list[Notice], list[Notice]]:
    """Rows not read: schedule rows whose period could not be read (low), and other rows with amounts that are
    not an installment, charge or repayment (medium)."""
    low: list[Notice] = []
    medium: list[Notice] = []
    schedule_unread = [u for u in st.unread if u.reason.startswith("a schedule row")]
    if schedule_unread:
        first = schedule_unread[0].source
        low.append(
            _note(
                "rows-unread",
                f"{len(schedule_unread)} schedule row(s) could not be read (period unreadable), "
                f"e.g. {first.text[:60]!r}",
                first.where(),
                f"有 {len(schedule_unread)} 行还款计划未能读出（期数无法识别），例如 {first.text[:60]!r}",
                path,
            )
        )
    other_unread = [u for u in st.unread if u not in schedule_unread]
    if other_unread:
        first = other_unread[0].source
        medium.append(
            _note(
                "rows-unread",
                f"{len(other_unread)} row(s) with amounts could not be identified (not an installment, charge or "
                f"repayment), e.g. {first.text[:60]!r}",
                first.where(),
                f"有 {len(other_unread)} 行含金额的内容无法识别（不是分期、费用或还款），例如 {first.text[:60]!r}",
                path,
            )
        )
    return low, medium


def _unreadable_cells(notices: Sequence[Notice], path: str) -> list[Notice]:
    """Amount or date cells in installment rows that could not be read (low)."""
    unreadable = [n for n in notices if n.code == "cell-unreadable"]
    if not unreadable:
        return []
    return [
        _note(
            "cells-unreadable",
            f"{len(unreadable)} amount or date cell(s) in installment rows could not be read, e.g. "
            f"{unreadable[0].message}",
            unreadable[0].where,
            f"分期行中有 {len(unreadable)} 个金额或日期无法读取，"
            f"例如 {unreadable[0].message_zh or unreadable[0].message}",
            path,
        )
    ]


def _doubtful_columns(st: Statement, where: str, path: str) -> list[Notice]:
    """Columns probably not read as printed: at least two rows, and at least `ARITHMETIC_LIMIT` of the rows
    checked, whose parts do not add up to their totals (low)."""
    arithmetic = [c for c in st.checks if c.code == "row-arithmetic"]
    failed = [c for c in arithmetic if not c.ok]
    rows = {c.evidence[0] for c in arithmetic if c.evidence}
    bad_rows = {c.evidence[0] for c in failed if c.evidence}
    if not (len(bad_rows) >= 2 and len(bad_rows) >= ARITHMETIC_LIMIT * len(rows)):
        return []
    return [
        _note(
            "columns-doubtful",
            f"the parts of {len(bad_rows)} of {len(rows)} rows do not add up to their totals: the columns "
            "were probably not read as printed",
            failed[0].evidence[0].where() if failed[0].evidence else where,
            f"{len(rows)} 行中有 {len(bad_rows)} 行各项之和与合计不符：表格各列可能未被正确读取",
            path,
        )
    ]


def _periods(st: Statement, where: str, path: str) -> tuple[list[Notice], list[Notice]]:
    """Installments read against the periods the document says it has (借款期限 12期, 3/12). More rows than
    periods means rows were misread (low); a hole in the run of periods, or fewer periods than the terms give,
    means rows may be missing, and a repayment towards them must not be called uncredited (medium)."""
    periods = sorted({i.period for i in st.installments})
    declared = st.terms.periods or max((i.of_periods or 0 for i in st.installments), default=0) or None
    exceed: list[Notice] = []
    missing: list[Notice] = []
    present = set(periods)
    holes = [p for p in range(1, (declared or periods[-1]) + 1) if p not in present]
    if holes and (periods[0] == 1 or declared):
        shown = ", ".join(str(p) for p in holes[:8]) + (" ..." if len(holes) > 8 else "")
        span = f"1-{declared}" if declared else f"{periods[0]}-{periods[-1]}"
        missing.append(
            _note(
                "periods-missing",
                f"the plan has periods {span}, but no row was read for period(s) {shown}",
                where,
                f"还款计划应有第 {span} 期，但第 {shown} 期未能读出",
                path,
            )
        )
    if declared and periods[-1] > declared:
        exceed.append(
            _note(
                "periods-exceed",
                f"the terms give {declared} periods, but a row for period {periods[-1]} was read",
                where,
                f"借款期数为 {declared} 期，却读出了第 {periods[-1]} 期",
                path,
            )
        )
    return exceed, missing
