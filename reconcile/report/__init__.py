"""Rendering only: turns model objects into text, JSON, CSV and (later) workbooks. No business logic."""
