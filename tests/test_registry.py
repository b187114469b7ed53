from __future__ import annotations

import pytest

from reconcile.errors import AmbiguousFormat, BadFile, UnknownFormat
from reconcile.extractor import Extractor, Sniff
from reconcile.extractors import BUILTIN, identify, registry
from reconcile.inputs import InputFile
from reconcile.model import Extraction, Role

from .conftest import FIXTURES


class _ClaimsEverything(Extractor):
    name = "claims-everything"
    role = Role.PAYMENTS
    file_types = ("csv",)
    description = "test double"

    @classmethod
    def identify(cls, sniff: Sniff) -> bool:
        return True

    def extract(self, inp: InputFile) -> Extraction:  # pragma: no cover - never called
        raise NotImplementedError


class _AlsoClaims(_ClaimsEverything):
    name = "also-claims"


def _alipay_input() -> InputFile:
    path = FIXTURES / "payments/alipay/alipay-c-2026.csv"
    return InputFile(str(path), path.read_bytes())


def test_two_claims_raise_ambiguous_naming_both() -> None:
    with pytest.raises(AmbiguousFormat) as info:
        identify(_alipay_input(), extractors=[_ClaimsEverything, _AlsoClaims])
    assert "claims-everything" in str(info.value) and "also-claims" in str(info.value)


def test_real_extractor_plus_greedy_one_is_ambiguous() -> None:
    with pytest.raises(AmbiguousFormat, match="alipay"):
        identify(_alipay_input(), extractors=[*BUILTIN, _ClaimsEverything])


def test_no_claim_is_unknown_listing_formats() -> None:
    inp = InputFile("x.csv", "日期,金额\n2024-01-01,5\n".encode())
    with pytest.raises(UnknownFormat) as info:
        identify(inp)
    assert "alipay" in str(info.value)


def test_empty_file_is_bad() -> None:
    with pytest.raises(BadFile, match="empty"):
        identify(InputFile("e.csv", b""))


def test_each_builtin_claims_only_its_own_fixtures() -> None:
    """Every good fixture is claimed by exactly one built-in extractor (no cross-claims)."""
    for path in sorted((FIXTURES / "payments").rglob("*")):
        if path.suffix in (".csv", ".xlsx", ".xls", ".pdf", ".txt") and path.is_file():
            cls = identify(InputFile(str(path), path.read_bytes(), ("123456", "654321")))
            assert cls in BUILTIN


def test_declarations_are_validated_at_import() -> None:
    with pytest.raises(TypeError, match="kebab-case"):

        class _Bad(_ClaimsEverything):
            name = "Bad Name"

    with pytest.raises(TypeError, match="file_types"):

        class _Bad2(_ClaimsEverything):
            name = "bad-types"
            file_types = ("docx",)


def test_registry_names_are_unique_and_complete() -> None:
    reg = registry()
    assert list(reg) == [cls.name for cls in BUILTIN]
