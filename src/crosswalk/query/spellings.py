"""How each item may be written: one index per framework for lookups and suggestions.

People name items by code, name or alias, in any case and punctuation
(:func:`~crosswalk.query.text.normalise`).  Scanning every item for each name typed is
fine for the bundled frameworks (a few dozen items) and hopeless for an imported one
of 20,000: a map question of a hundred codes would compare two million spellings.  So
each framework's spellings are indexed once per catalog: the strict readings are
dictionary reads, and a "did you mean" scores only the spellings that share the most
character pairs with the text — every spelling in a small framework, so that there
the answer is exactly the full comparison's, and in a large one the spellings sharing most of the
text's rarest three-letter runs, at a bounded cost per text.
"""

from __future__ import annotations

import difflib
import heapq
from collections import Counter
from dataclasses import dataclass, field

from crosswalk.catalog import Catalog
from crosswalk.model import Item
from crosswalk.query.text import normalise, strip_tag

# Below this many spellings every one is scored; above, the CANDIDATES sharing most
# runs with the text are, counted over its rarest runs until BUDGET entries are read.
FULL_SCAN = 2_000
CANDIDATES = 200
BUDGET = 30_000
# A spelling this close (difflib ratio) or closer is worth suggesting.
CLOSE_ENOUGH = 0.5


def _runs(text: str) -> set[str]:
    """The text's three-letter runs, padded so that short codes have some too."""
    padded = f" {text} "
    return {padded[n : n + 3] for n in range(len(padded) - 2)}


@dataclass
class Spellings:
    """One framework's items by every way of writing them."""

    items: list[Item]  # tree order
    position: dict[tuple[str, str], int] = field(default_factory=dict)  # item key → order
    codes: dict[str, list[int]] = field(default_factory=dict)  # lower-case code → items
    names: dict[str, list[int]] = field(default_factory=dict)  # normalised name → items
    aliases: dict[str, list[int]] = field(default_factory=dict)  # normalised alias → items
    forms: list[tuple[str, int]] = field(default_factory=list)  # (fuzzy form, item)
    runs: dict[str, list[int]] = field(default_factory=dict)  # run → forms (large only)
    sizes: list[int] = field(default_factory=list)  # runs per form
    lengths: list[int] = field(default_factory=list)  # characters per form

    def _found(self, index: dict[str, list[int]], keys: set[str]) -> list[Item]:
        found = sorted({n for key in keys for n in index.get(key, ())})
        return [self.items[n] for n in found]

    def by_code(self, text: str) -> list[Item]:
        """Items whose code is ``text`` ignoring case."""
        return self._found(self.codes, {text.lower()})

    def by_name(self, text: str) -> list[Item]:
        """Items whose name reads as ``text`` (case, punctuation, level tag ignored)."""
        return self._found(self.names, _readings(text)[1])

    def by_alias(self, text: str) -> list[Item]:
        """Items with an alias (statements aside) that reads as ``text``."""
        return self._found(self.aliases, _readings(text)[1])

    def ranked(self, text: str) -> list[tuple[float, Item]]:
        """(closeness, item) of the items whose code, name or alias reads closest to
        ``text``, best first (ties in tree order); none below :data:`CLOSE_ENOUGH`."""
        wanted = normalise(strip_tag(text)) or text.lower()
        matcher = difflib.SequenceMatcher(None, wanted)
        best: dict[int, float] = {}
        size = len(wanted)
        for form, item in self._candidates(wanted):
            if 2 * min(size, len(form)) < CLOSE_ENOUGH * (size + len(form)):
                continue  # too short or too long to come close (difflib's own bound)
            matcher.set_seq2(form)
            score = matcher.ratio()
            if score >= CLOSE_ENOUGH and score > best.get(item, 0.0):
                best[item] = score
        ranked = sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))
        return [(score, self.items[n]) for n, score in ranked]

    def _candidates(self, wanted: str) -> list[tuple[str, int]]:
        if not self.runs:
            return self.forms
        asked = _runs(wanted)
        shared: Counter[int] = Counter()
        read = 0
        for run in sorted(asked, key=lambda r: len(self.runs.get(r, ()))):
            forms = self.runs.get(run, ())
            if read and read + len(forms) > BUDGET:
                break
            shared.update(forms)
            read += len(forms)
        # Only spellings of a length that can reach CLOSE_ENOUGH (difflib's own bound),
        # the most alike first by the Dice coefficient of their runs.
        size = len(wanted)
        fits = [
            (number, count)
            for number, count in shared.items()
            if 2 * min(size, self.lengths[number]) >= CLOSE_ENOUGH * (size + self.lengths[number])
        ]
        closest = heapq.nlargest(
            CANDIDATES,
            fits,
            key=lambda entry: (2 * entry[1] / (len(asked) + self.sizes[entry[0]]), -entry[0]),
        )
        return [self.forms[n] for n, _ in closest]


def _readings(text: str) -> tuple[str, set[str]]:
    """The fuzzy form of a name and the normalised readings it is found by."""
    plain = normalise(text)
    bare = strip_tag(text)
    readings = {plain, normalise(bare) if bare != text else plain} - {""}
    return plain or text.lower(), readings


def _build(catalog: Catalog, framework: str) -> Spellings:
    index = Spellings(catalog.items_of(framework))
    for n, item in enumerate(index.items):
        index.position[item.key] = n
        index.codes.setdefault(item.code.lower(), []).append(n)
        index.forms.append((normalise(item.code) or item.code.lower(), n))
        for table, texts in (
            (index.names, [item.name]),
            (index.aliases, [a.text for a in item.aliases if a.kind != "statement"]),
        ):
            for text in texts:
                form, readings = _readings(text)
                index.forms.append((form, n))
                for key in readings:
                    table.setdefault(key, []).append(n)
    if len(index.forms) > FULL_SCAN:
        for number, (form, _) in enumerate(index.forms):
            runs = _runs(form)
            index.sizes.append(len(runs))
            index.lengths.append(len(form))
            for run in runs:
                index.runs.setdefault(run, []).append(number)
    return index


def spellings(catalog: Catalog, framework: str) -> Spellings:
    """The index of ``framework``'s spellings, built once per catalog."""
    return catalog.derived(("spellings", framework), lambda: _build(catalog, framework))
