"""Reading machinery shared by every format: what is on a PDF page, and how a table is laid out on it."""
