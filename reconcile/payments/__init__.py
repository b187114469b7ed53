"""Payment formats: what a borrower exports from a wallet or a bank (Alipay, WeChat Pay, JD, banks)."""
