"""Several screenshots of one plan, given together, read as one statement.

A user scrolls through the app's plan and takes a screenshot per screen; consecutive screenshots overlap (the
rows at the bottom of one are at the top of the next), only the first shows the loan's terms, and a later one
may not repeat the table's header. Screenshots given in one call are grouped in the order given: one that
names a loan id (借据号) different from the group's starts a new group. A group is read again as the pages of
one document (`image.read_screens`, from the OCR already done): the columns carry on across screenshots, each
period shown twice counts once, and every value is proven on the whole plan. The first screenshot's extraction
carries the stitched statement (each record keeps its own image and region as evidence); the others keep their
place among the inputs, with a notice saying where their rows went.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..errors import BadFile
from ..inputs import InputFile
from ..model import Extraction, Notice
from ..read.ocr import already_read
from .image import Screen, StatementImage, read_screens


def stitch(extractions: Sequence[Extraction]) -> list[Extraction]:
    """The extractions with the screenshots of each plan stitched into one statement (see the module)."""
    groups: list[list[int]] = []
    group_id: list[str] = []
    for k, ex in enumerate(extractions):
        if ex.extractor != StatementImage.name or ex.statement is None:
            continue
        loan = ex.statement.terms.loan_id
        if groups and (not loan or not group_id[-1] or loan == group_id[-1]):
            groups[-1].append(k)
            group_id[-1] = group_id[-1] or loan
        else:
            groups.append([k])
            group_id.append(loan)
    out = list(extractions)
    for members in groups:
        if len(members) > 1:
            _stitch_group(out, members)
    return out


def _stitch_group(out: list[Extraction], members: list[int]) -> None:
    screens: list[Screen] = []
    for k in members:
        seen = already_read(out[k].sha256)
        if seen is None:
            return  # not read by this process: the screenshots stay as they were read, one by one
        screens.append((out[k].path, out[k].sha256, seen[1]))
    first = out[members[0]]
    data = already_read(first.sha256)
    assert data is not None
    try:
        stitched = read_screens(InputFile(path=first.path, data=data[0]), screens, StatementImage.name)
    except BadFile:
        return
    names = ", ".join(out[k].path for k in members[1:])
    out[members[0]] = replace(stitched, metadata={**stitched.metadata, "stitched": names})
    for k in members[1:]:
        ex = out[k]
        note = Notice(
            code="stitched",
            message=f"read together with {first.path}: its rows are counted there",
            message_zh=f"与 {first.path} 作为同一份还款计划读取，其中各期计入该文件",
            path=ex.path,
        )
        out[k] = replace(
            ex, statement=None, notices=(note,), metadata={**ex.metadata, "stitched into": first.path}
        )
