"""Lenders' statements and repayment plans: the terms, the schedule table, one-off charges and credited
repayments, settlement certificates, and the checks a statement must pass against itself."""
