"""Small text helpers shared by the seed parsers: codes, whitespace, comparison keys."""

from __future__ import annotations

import re

# A WV CKC code as printed: area 1–7, competency 1–10 ("1.10" must not read as "1.1").
CODE_TOKEN = re.compile(r"(?<![\d.])[1-7]\.(?:10|[1-9])(?![\d])")


def clean(text: str) -> str:
    """Collapse runs of whitespace and strip list bullets and markdown emphasis."""
    text = text.replace("**", "").replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """A comparison key that ignores case, punctuation, hyphenation and '&' vs 'and'."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
