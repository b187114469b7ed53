"""How a reconciliation runs: tolerance, date window, grace days, cap, lender aliases, deferrals. From the CLI,
a JSON/TOML config file, or code."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .dates import parse_date
from .errors import ConfigError, ParseError


@dataclass(frozen=True)
class Deferral:
    """An arrangement the borrower has with the lender (缓催, 停催, 分期 / restructuring, grace period): no penalty
    or overdue status for installments falling due within it."""

    start: date
    end: date
    kind: str = "deferral"  # deferral | stop-collection | restructuring | grace
    note: str = ""


#: The largest tolerance accepted: it is for rounding differences, not for finding a payment of another size.
MAX_TOLERANCE = Decimal("100")
CAPS = ("auto", "4x-lpr", "24", "36")
LENDER_TYPES = ("bank", "consumer-finance", "micro-lender", "private", "card")


@dataclass(frozen=True)
class Config:
    """How a reconciliation is run; every field has the default ``reconcile check`` uses, and each is also a
    command-line option and a key of ``--config FILE`` (JSON or TOML). Out-of-range values raise `ConfigError`.

    - ``tolerance`` (Decimal, 0.01; 0 to 100): two amounts within this are the same amount (rounding in a
      lender's printout). ``--tolerance``.
    - ``window`` (days, 3; 0 to 60): a payment up to this many days after a due date still counts for that
      installment. ``--window``.
    - ``grace`` (days, 0; 0 to 60): the contract's grace period before an installment is overdue. ``--grace``.
    - ``cap`` (``auto`` | ``4x-lpr`` | ``24`` | ``36``): the annual cost cap an APR is compared with; ``auto``
      picks by ``lender_type`` and the contract date (RULES.md §1). ``--cap``.
    - ``lender_type`` (``bank`` | ``consumer-finance`` | ``micro-lender`` | ``private`` | ``card``; default
      ``consumer-finance``): which caps and rules apply. ``--lender-type``.
    - ``aliases`` (texts): extra names of the lender as your payment records print it, added to the built-in
      ones. ``--lender``.
    - ``deferrals`` (`Deferral` start, end, kind): arrangements with the lender (缓催, 停催, 分期); penalties and
      overdue marks inside them are findings. ``--deferral START:END[:KIND]``.
    - ``as_of`` (date or None): judge the statements as of this date; None takes each statement's own date.
      ``--as-of``.
    - ``max_split`` (1 to 8, 4): how many payments may together pay one installment.
    - ``max_combined`` (1 to 6, 3): how many installments one payment may pay.
    - ``lang`` (``zh`` | ``en``): the language of the reports. ``--lang``.
    - ``unverified`` (False): also report findings from a statement that was not read reliably, each marked
      unverified. ``--unverified``.
    - ``options`` (dict): settings for plugins, passed through unchanged.
    """

    tolerance: Decimal = Decimal("0.01")  # amounts within this are equal
    window: int = 3  # days after a due date a payment still counts as on time for matching
    grace: int = 0  # contractual grace days before an installment is overdue
    cap: str = "auto"  # auto | 4x-lpr | 24 | 36
    lender_type: str = "consumer-finance"  # bank | consumer-finance | micro-lender | private | card
    aliases: tuple[str, ...] = ()  # extra texts naming the lender in payment records (--lender)
    deferrals: tuple[Deferral, ...] = ()
    as_of: date | None = None
    max_split: int = 4  # payments combined to pay one installment, at most
    max_combined: int = 3  # installments one payment may cover, at most
    lang: str = "zh"
    unverified: bool = False  # report findings from statements not read reliably, marked unverified
    options: dict[str, Any] = field(default_factory=dict)

    def settings(self) -> dict[str, Any]:
        """The settings as plain JSON values, for the outputs' record of how a check was run."""
        return {
            "tolerance": f"{self.tolerance:f}",
            "window": self.window,
            "grace": self.grace,
            "cap": self.cap,
            "lender_type": self.lender_type,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "aliases": list(self.aliases),
            "deferrals": [
                {"start": d.start.isoformat(), "end": d.end.isoformat(), "kind": d.kind}
                for d in self.deferrals
            ],
            "max_split": self.max_split,
            "max_combined": self.max_combined,
            "unverified": self.unverified,
        }

    def __post_init__(self) -> None:
        """Every setting within its bounds, whether it came from the command line, a config file or code."""
        tol = self.tolerance
        if not isinstance(tol, Decimal) or not tol.is_finite() or tol < 0 or tol > MAX_TOLERANCE:
            raise ConfigError(
                f"tolerance {tol} must be a number from 0 to {MAX_TOLERANCE}",
                hint="amounts within the tolerance count as equal; the default is 0.01",
            )
        for name, low, high in (
            ("window", 0, 60),
            ("grace", 0, 60),
            ("max_split", 1, 8),
            ("max_combined", 1, 6),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ConfigError(f"{name} {value!r} must be a whole number from {low} to {high}")
        for name, allowed in (("cap", CAPS), ("lender_type", LENDER_TYPES), ("lang", ("zh", "en"))):
            if getattr(self, name) not in allowed:
                raise ConfigError(f"{name} {getattr(self, name)!r} must be one of {', '.join(allowed)}")


def parse_deferral(text: str) -> Deferral:
    """``2024-05-01:2024-07-31`` or ``2024-05-01:2024-07-31:stop-collection``."""
    parts = text.split(":")
    if len(parts) < 2:
        raise ConfigError(f"--deferral {text!r}: expected START:END, e.g. 2024-05-01:2024-07-31")
    try:
        start, end = parse_date(parts[0]), parse_date(parts[1])
    except ParseError as exc:
        raise ConfigError(f"--deferral {text!r}: {exc}") from exc
    if end < start:
        raise ConfigError(f"--deferral {text!r}: the end is before the start")
    return Deferral(start, end, parts[2] if len(parts) > 2 else "deferral")


def load_config(path: str | Path, base: Config | None = None) -> Config:
    """A JSON or TOML file with the keys of `Config` (deferrals as ``[{"start", "end", "kind"}]``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the config file ({exc.strerror or exc})", path=str(path)) from exc
    try:
        if p.suffix.lower() == ".toml":
            import importlib

            try:
                toml = importlib.import_module("tomllib")
            except ImportError as exc:
                raise ConfigError(
                    "TOML config files need Python 3.11 or newer; use JSON", path=str(path)
                ) from exc
            data = toml.loads(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # json and toml raise different error types
        raise ConfigError(
            f"not valid {'TOML' if p.suffix.lower() == '.toml' else 'JSON'} ({exc})", path=str(path)
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError("the config must be an object of settings", path=str(path))
    return apply(base or Config(), data, source=str(path))


def apply(config: Config, data: dict[str, Any], source: str = "config") -> Config:
    known = {
        "tolerance",
        "window",
        "grace",
        "cap",
        "lender_type",
        "aliases",
        "deferrals",
        "as_of",
        "max_split",
        "max_combined",
        "lang",
        "unverified",
    }
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(unknown)}", path=source)
    changes: dict[str, Any] = {}
    try:
        if "tolerance" in data:
            changes["tolerance"] = Decimal(str(data["tolerance"]))
        for key in ("window", "grace", "max_split", "max_combined"):
            if key in data:
                changes[key] = int(data[key])
        for key in ("cap", "lender_type", "lang"):
            if key in data:
                changes[key] = str(data[key])
        if "unverified" in data:
            if not isinstance(data["unverified"], bool):
                raise TypeError("unverified must be true or false")
            changes["unverified"] = data["unverified"]
        if "aliases" in data:
            changes["aliases"] = tuple(str(a) for a in data["aliases"])
        if data.get("as_of"):
            changes["as_of"] = parse_date(str(data["as_of"]))
        if "deferrals" in data:
            changes["deferrals"] = tuple(
                Deferral(
                    parse_date(str(d["start"])),
                    parse_date(str(d["end"])),
                    str(d.get("kind", "deferral")),
                    str(d.get("note", "")),
                )
                for d in data["deferrals"]
            )
    except (InvalidOperation, ValueError, KeyError, TypeError, ParseError) as exc:
        raise ConfigError(f"bad setting ({exc})", path=source) from exc
    try:
        return replace(config, **changes)
    except ConfigError as exc:
        raise ConfigError(str(exc.args[0]) if exc.args else str(exc), path=source) from exc
