"""The FITT-VP engine: pure Python, no Django.

Everything here takes and returns frozen dataclasses so that the clinical rules can be
tested fast, exhaustively and without a database.
"""
