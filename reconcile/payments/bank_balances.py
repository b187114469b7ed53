"""The running-balance self-check of a bank statement: every balance must follow from the previous one and the
row's movement, whichever order (oldest or newest first) the statement lists its rows in."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from ..model import Notice, Payment, SelfCheck


def check_balances(payments: list[Payment]) -> tuple[list[SelfCheck], list[Notice]]:
    """Previous balance + this movement = this balance, in file order (oldest first or newest first, whichever
    the file uses). Each break is a failed check naming both rows."""
    rows = [p for p in payments if p.balance is not None]
    if len(rows) < 2:
        return [], []
    forward = sum(
        1 for a, b in pairwise(rows) if a.balance is not None and b.balance == a.balance + b.signed_amount
    )
    backward = sum(
        1 for a, b in pairwise(rows) if b.balance is not None and a.balance == b.balance + a.signed_amount
    )
    newest_first = backward > forward
    checks: list[SelfCheck] = []
    breaks = 0
    for a, b in pairwise(rows):
        earlier, later = (b, a) if newest_first else (a, b)
        assert earlier.balance is not None and later.balance is not None
        expected = earlier.balance + later.signed_amount
        if expected != later.balance:
            breaks += 1
            checks.append(
                SelfCheck(
                    code="running-balance",
                    ok=False,
                    expected=expected,
                    actual=later.balance,
                    message=(
                        f"balance {later.balance} at {later.source.where()} does not follow from {earlier.balance} "
                        f"at {earlier.source.where()} and a movement of {later.signed_amount}"
                    ),
                    message_zh=(
                        f"{later.source.where()} 的余额 {later.balance} 与 {earlier.source.where()} 的余额 "
                        f"{earlier.balance} 加发生额 {later.signed_amount} 不符"
                    ),
                    evidence=(earlier.source, later.source),
                )
            )
    order = "newest first" if newest_first else "oldest first"
    checks.insert(
        0,
        SelfCheck(
            code="running-balance",
            ok=breaks == 0,
            expected=Decimal(len(rows) - 1),
            actual=Decimal(len(rows) - 1 - breaks),
            message=f"{len(rows) - 1 - breaks} of {len(rows) - 1} balances follow ({order})",
            message_zh=f"{len(rows) - 1} 个余额中有 {len(rows) - 1 - breaks} 个前后衔接",
        ),
    )
    notices = []
    if breaks:
        notices.append(
            Notice(
                code="running-balance",
                message=(
                    f"{breaks} of {len(rows) - 1} running balances do not follow from the previous balance and the "
                    "movement: "
                    "rows may be missing from the statement, or it was edited"
                ),
                message_zh=(
                    f"{len(rows) - 1} 个余额中有 {breaks} 个与上一余额加发生额不符：流水可能缺行，或被改动过"
                ),
            )
        )
    return checks, notices
