"""The arithmetic proof of OCR-read rows: a misread is repaired only when exactly one single-character correction
makes every check pass, and shown in the evidence; otherwise the row is set aside, never used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reconcile.model import Installment, LoanTerms, SourceRef, Statement
from reconcile.statements.proof import one_character_variants, prove, relabel

D = Decimal


def _inst(
    period: int, due: date, principal: str, interest: str, total: str, fees: str | None = None
) -> Installment:
    ref = SourceRef(
        path="plan.png", sha256="0" * 64, text=f"第{period}期 {total}", box=(0, period * 100, 900, 80)
    )
    return Installment(
        period=period,
        source=ref,
        due_date=due,
        principal=D(principal),
        interest=D(interest),
        fees=None if fees is None else D(fees),
        total=D(total),
    )


def _plan(rows: list[Installment], principal: str | None = None, periods: int | None = None) -> Statement:
    terms = LoanTerms(principal=None if principal is None else D(principal), periods=periods)
    return Statement(terms=terms, installments=tuple(rows))


def test_variants_are_one_character_away() -> None:
    variants = set(one_character_variants(D("1079.71")))
    assert D("1019.71") in variants and D("7079.71") in variants and D("1079.77") in variants
    assert D("1079.71") not in variants and D("1080.71") not in variants
    assert D("1079.71") in set(one_character_variants(D("107971")))  # a dropped decimal point


def test_a_proven_row_is_kept_as_it_is() -> None:
    st, notes = prove(_plan([_inst(1, date(2024, 2, 10), "935.71", "144.00", "1079.71")]))
    assert len(st.installments) == 1 and not st.unread and not notes


def test_a_single_misread_digit_in_the_total_is_repaired_and_shown() -> None:
    rows = [
        _inst(1, date(2024, 2, 10), "935.71", "144.00", "1079.71"),
        _inst(2, date(2024, 3, 10), "946.94", "132.77", "1019.71"),  # 7 read as 1
        _inst(3, date(2024, 4, 10), "958.31", "121.40", "1079.71"),
    ]
    st, notes = prove(_plan(rows))
    repaired = st.installments[1]
    assert repaired.total == D("1079.71")
    assert "1019.71" in repaired.source.text and "1079.71" in repaired.source.text
    assert [n.code for n in notes] == ["ocr-repaired"]
    assert not st.unread


def test_a_row_two_corrections_could_explain_is_set_aside() -> None:
    # principal 935.71 + interest 144.00 = 1079.71, read as 1079.72: the total, the principal or the interest
    # could each be the misread one
    rows = [_inst(1, date(2024, 2, 10), "935.71", "144.00", "1079.72")]
    st, notes = prove(_plan(rows))
    assert not st.installments
    assert len(st.unread) == 1 and st.unread[0].source.box == (0, 100, 900, 80)
    assert [n.code for n in notes] == ["ocr-unproven"]


def test_a_row_no_single_correction_explains_is_set_aside() -> None:
    rows = [_inst(1, date(2024, 2, 10), "935.71", "144.00", "1234.56")]
    st, _ = prove(_plan(rows))
    assert not st.installments and len(st.unread) == 1


def test_a_due_date_out_of_the_monthly_sequence_is_repaired_when_one_digit_explains_it() -> None:
    rows = [
        _inst(1, date(2024, 2, 10), "935.71", "144.00", "1079.71"),
        _inst(2, date(2024, 3, 16), "946.94", "132.77", "1079.71"),  # 10 read as 16
        _inst(3, date(2024, 4, 10), "958.31", "121.40", "1079.71"),
    ]
    st, notes = prove(_plan(rows))
    assert st.installments[1].due_date == date(2024, 3, 10)
    assert [n.code for n in notes] == ["ocr-repaired"]


def test_a_due_date_far_out_of_sequence_is_set_aside() -> None:
    rows = [
        _inst(1, date(2024, 2, 10), "935.71", "144.00", "1079.71"),
        _inst(2, date(2024, 9, 27), "946.94", "132.77", "1079.71"),
        _inst(3, date(2024, 4, 10), "958.31", "121.40", "1079.71"),
    ]
    st, _ = prove(_plan(rows))
    assert [i.period for i in st.installments] == [1, 3] and len(st.unread) == 1


def test_the_principal_of_a_complete_plan_proves_a_row_without_interest() -> None:
    rows = [
        Installment(period=1, source=SourceRef(path="p.png", sha256="0", text="1"), principal=D("1000.00")),
        Installment(period=2, source=SourceRef(path="p.png", sha256="0", text="2"), principal=D("7000.00")),
        Installment(period=3, source=SourceRef(path="p.png", sha256="0", text="3"), principal=D("1000.00")),
    ]
    st, notes = prove(_plan(rows, principal="3000.00", periods=3))
    assert [i.principal for i in st.installments] == [D("1000.00")] * 3
    assert [n.code for n in notes] == ["ocr-repaired"]


def _labelled(period: int, of: int, due: date, principal: str, interest: str, total: str) -> Installment:
    inst = _inst(period, due, principal, interest, total)
    return Installment(**{**{f: getattr(inst, f) for f in inst.__dataclass_fields__}, "of_periods": of})


def test_a_misread_period_label_takes_the_one_period_its_due_date_proves() -> None:
    rows = [
        _labelled(1, 4, date(2024, 2, 10), "935.71", "144.00", "1079.71"),
        _labelled(2, 4, date(2024, 3, 10), "946.94", "132.77", "1079.71"),
        _labelled(3, 4, date(2024, 4, 10), "958.31", "121.40", "1079.71"),
        _labelled(1, 1, date(2024, 5, 10), "969.81", "109.90", "1079.71"),  # 4/4 read as 1/1
    ]
    st, notes = relabel(_plan(rows))
    assert [(i.period, i.of_periods) for i in st.installments] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert "1/1" in st.installments[3].source.text and [n.code for n in notes] == ["ocr-repaired"]


def test_a_misread_period_label_is_left_when_its_row_does_not_add_up() -> None:
    rows = [
        _labelled(1, 4, date(2024, 2, 10), "935.71", "144.00", "1079.71"),
        _labelled(2, 4, date(2024, 3, 10), "946.94", "132.77", "1079.71"),
        _labelled(3, 4, date(2024, 4, 10), "958.31", "121.40", "1079.71"),
        _labelled(1, 1, date(2024, 5, 10), "969.81", "109.90", "1079.72"),
    ]
    st, notes = relabel(_plan(rows))
    assert st.installments[3].period == 1 and not notes
