"""Splitting a piece of text that lists competency codes into the codes it names.

People write code lists every which way: ``"2.1; 4.1"``, ``"CKC 2.1, 4.1"``,
``"2.1 4.1"``, ``"1.3 / 1.4"``, ``"CKC2.1"``, ``"CKC 2.3 IECMHC 6B.2"``, or
knowledge-area names such as ``"Attachment, separation, trauma & loss"``.  This module
turns such text into codes, and notes the framework a prefix names, without knowing the
catalog: resolving a code is the caller's job.

The rules:

* ``;``, ``|`` and line breaks always separate.
* Commas, ``/`` and whitespace separate only between code-like pieces (``2.1``,
  ``6B.2``, ``1.10``), so a name with a comma or a slash in it stays whole
  ("Attachment, separation, trauma & loss") — unless the caller, who knows the
  names, says the whole is no name while its comma-separated parts are
  (``is_name``): "Observation & listening, Self Awareness" is then two names, and
  "Attachment, separation, trauma & loss, Self Awareness" is two as well.
* A framework prefix — ``CKC`` (also ``WV CKC``, ``WV CKC 2015``), ``IECMHC``, ``IMH``,
  with or without a space (``CKC2.1``) or a ``:`` / ``#`` / ``-`` after it — names the
  framework of its code and of the codes after it in the same text, until the next
  prefix.
* Codes are returned as written (``1.10`` stays ``1.10``; text is never turned into a
  number).

Use :func:`split_codes` for the bare codes and :func:`split_code_refs` when the
framework hint matters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "PREFIX_FRAMEWORKS",
    "SplitCode",
    "framework_of_prefix",
    "split_code_refs",
    "split_codes",
]

# How a prefix names a framework (normalised: lower case, words joined by one space).
PREFIX_FRAMEWORKS: dict[str, str] = {
    "ckc": "wv-ckc-2015",
    "wv ckc": "wv-ckc-2015",
    "wv ckc 2015": "wv-ckc-2015",
    "ckc 2015": "wv-ckc-2015",
    "iecmhc": "iecmhc",
    "imh": "imh",
}

_PREFIX_WORDS = r"(?:wv[\s-]*)?ckc(?:[\s-]*2015(?=[\s:#\-]+\d))?|iecmhc|imh"
_CODE = r"\d+[A-Za-z]?(?:\.\d+)*"

# One code, perhaps with a prefix glued on ("CKC2.1") or spaced ("CKC: 2.1").
_TOKEN = re.compile(
    rf"(?P<prefix>{_PREFIX_WORDS})?(?(prefix)\s*[:#\-]?\s*|)(?P<code>{_CODE})(?=$|[\s/])",
    re.IGNORECASE,
)
# A prefix before a name ("IMH Attachment, separation, trauma & loss").
_NAME_PREFIX = re.compile(rf"^(?P<prefix>{_PREFIX_WORDS})\b\s*[:#\-]?\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"[\s/]*")
_ALWAYS = re.compile(r"[;|\n\r]+")


@dataclass(frozen=True, slots=True)
class SplitCode:
    """One code as found in the text, with the framework its prefix names (if any).

    ``framework`` is a framework id (``"wv-ckc-2015"``, ``"iecmhc"``, ``"imh"``) when a
    prefix in the text applies to this code, else ``None``: the caller decides.
    """

    text: str  # as written, e.g. "CKC 2.1"
    code: str  # without the prefix: "2.1"
    framework: str | None


def framework_of_prefix(prefix: str) -> str | None:
    """The framework id a prefix such as ``"CKC"`` or ``"WV-CKC 2015"`` names, if any."""
    return PREFIX_FRAMEWORKS.get(" ".join(re.findall(r"[a-z0-9]+", prefix.lower())))


def split_codes(text: str) -> list[str]:
    """The codes (or knowledge-area names) listed in ``text``, prefixes removed.

    >>> split_codes("CKC 2.1; 4.1")
    ['2.1', '4.1']
    >>> split_codes("CKC 2.3 IECMHC 6B.2")
    ['2.3', '6B.2']
    >>> split_codes("1.3 / 1.4, Attachment, separation, trauma & loss")
    ['1.3', '1.4', 'Attachment, separation, trauma & loss']
    """
    return [ref.code for ref in split_code_refs(text)]


def split_code_refs(text: str, is_name: IsName | None = None) -> list[SplitCode]:
    """Like :func:`split_codes`, keeping each code's text and its prefix's framework.

    ``is_name`` (text → whether it names an item) lets a comma-separated list of names
    be split where the list as a whole names nothing (see the module's rules).

    >>> split_code_refs("CKC2.1 IECMHC 6B.2")  # doctest: +NORMALIZE_WHITESPACE
    [SplitCode(text='CKC2.1', code='2.1', framework='wv-ckc-2015'),
     SplitCode(text='IECMHC 6B.2', code='6B.2', framework='iecmhc')]
    >>> names = {"observation & listening", "self awareness"}
    >>> [r.code for r in split_code_refs("Observation & listening, Self Awareness",
    ...                                  lambda t: t.lower() in names)]
    ['Observation & listening', 'Self Awareness']
    """
    refs: list[SplitCode] = []
    current: str | None = None
    for piece in _ALWAYS.split(text):
        name: list[str] = []  # comma-separated parts of a name being collected
        name_framework: str | None = None
        for raw in piece.split(","):
            part = raw.strip()
            if not part:
                continue
            tokens = _code_tokens(part)
            if tokens is not None:
                _add_name(refs, name, name_framework, is_name)
                for written, prefix, code in tokens:
                    if prefix:
                        current = framework_of_prefix(prefix)
                    refs.append(SplitCode(written, code, current))
                continue
            match = _NAME_PREFIX.match(part)
            if match:  # a prefixed name starts afresh: "…, IMH Self-awareness"
                _add_name(refs, name, name_framework, is_name)
                current = framework_of_prefix(match["prefix"])
            if not name:
                name_framework = current
            name.append(part)
        _add_name(refs, name, name_framework, is_name)
    return refs


# Whether a piece of text names an item (the caller knows the catalog; this module not).
IsName = Callable[[str], bool]

# A name spans at most this many comma-separated parts ("Attachment, separation, trauma
# & loss" has three): it bounds the search for a split of a long list.
_MOST_PARTS = 6


def _add_name(
    refs: list[SplitCode], name: list[str], framework: str | None, is_name: IsName | None
) -> None:
    """Add the name collected in ``name`` (its comma-separated parts) and empty it: one
    name, or several where ``is_name`` knows the parts but not the whole."""
    if not name:
        return
    match = _NAME_PREFIX.match(name[0])
    parts = [name[0][match.end() :].strip() if match else name[0], *name[1:]]
    groups = [parts]
    if is_name is not None and len(parts) > 1 and not is_name(", ".join(parts)):
        groups = _names_in(parts, is_name) or groups
    for n, group in enumerate(groups):
        code = ", ".join(group)
        if code:
            written = ", ".join(name[: len(group)]) if n == 0 else code
            refs.append(SplitCode(written, code, framework))
    name.clear()


def _names_in(parts: list[str], is_name: IsName) -> list[list[str]] | None:
    """``parts`` cut into runs that each name an item, fewest runs first; None if no cut
    names an item with every run."""
    best: dict[int, list[list[str]]] = {0: []}  # parts consumed → the runs that did it
    for end in range(1, len(parts) + 1):
        for start in range(max(0, end - _MOST_PARTS), end):
            if start in best and is_name(", ".join(parts[start:end])):
                runs = [*best[start], parts[start:end]]
                if end not in best or len(runs) < len(best[end]):
                    best[end] = runs
    return best.get(len(parts))


def _code_tokens(part: str) -> list[tuple[str, str, str]] | None:
    """``(written, prefix, code)`` per code when ``part`` holds only codes, else None."""
    tokens: list[tuple[str, str, str]] = []
    position = 0
    while True:
        between = _BETWEEN.match(part, position)
        position = between.end() if between else position
        if position >= len(part):
            return tokens or None
        match = _TOKEN.match(part, position)
        if match is None:
            return None
        tokens.append((match[0], match["prefix"] or "", match["code"]))
        position = match.end()
