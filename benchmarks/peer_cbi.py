"""The peer figure: china-bean-importers' Alipay importer (a beancount importer for the same export) reading a
file, run by `bench_check.py --peer-python PYTHON` in an environment that has it:

    python -m venv peer && peer/bin/pip install china-bean-importers==0.0.8 "beancount<3"

Usage: ``PYTHON benchmarks/peer_cbi.py FILE`` prints the number of entries it made. Its per-row warnings go to
stderr (silenced by the benchmark).
"""

from __future__ import annotations

import sys

from china_bean_importers.alipay_mobile import Importer

CONFIG = {
    "importers": {
        "alipay": {
            "account": "Assets:Alipay",
            "huabei_account": "Liabilities:Huabei",
            "yuebao_account": "Assets:Yuebao",
            "xiaohebao_account": "Assets:Xiaohebao",
            "red_packet_income_account": "Income:RedPacket",
            "red_packet_expense_account": "Expenses:RedPacket",
            "douyin_monthly_payment_account": "Liabilities:Douyin",
            "category_mapping": {},
        },
        "card_narration_whitelist": [],
        "card_narration_blacklist": [],
    },
    "card_accounts": {"Assets:Card": {"CMB": ["8705"]}, "Liabilities:Card": {"BOCOM": ["7449"]}},
    "detail_mappings": [],
    "unknown_expense_account": "Expenses:Unknown",
    "unknown_income_account": "Income:Unknown",
    "pdf_passwords": [],
}


class _File:
    def __init__(self, name: str) -> None:
        self.name = name


def main() -> None:
    importer = Importer(CONFIG)
    file = _File(sys.argv[1])
    if not importer.identify(file):
        raise SystemExit("the peer importer did not identify the file")
    print(len(importer.extract(file)))


if __name__ == "__main__":
    main()
