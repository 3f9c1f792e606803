"""A framework's tree as a browser shows it: only the path to one item is open.

A framework of 20,000 items cannot be drawn whole on every page, so the tree opens the
areas on the way to the selected item and the selected item itself, and shows each
open list a page at a time (the page that holds the path, or the one asked for under
the selected item).  Everything else stays closed, one line per area, so a page of the
browser holds at most ``depth × page size`` nodes whatever the framework's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswalk.catalog import Catalog
from crosswalk.model import Item

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class TreeNode:
    """One item in the tree: how many links it has, how many children, and — when it is
    on the path to the selected item — its children, one page of them."""

    item: Item
    links: int  # alignments into and out of the item, in every crosswalk
    children: int
    selected: bool = False
    open: TreeLevel | None = None


@dataclass(frozen=True, slots=True)
class TreeLevel:
    """One page of the children of ``parent`` (None: the framework's top level)."""

    parent: Item | None
    nodes: tuple[TreeNode, ...]
    page: int  # 1-based
    pages: int
    total: int
    first: int  # 1-based position of the first node shown

    @property
    def last(self) -> int:
        return self.first + len(self.nodes) - 1


def framework_tree(
    catalog: Catalog,
    framework: str,
    selected: Item | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> TreeLevel:
    """The top of ``framework``'s tree with the path to ``selected`` open.

    ``page`` pages the children of ``selected`` (or the top level when nothing is
    selected); every list on the path shows the page that holds the path.  A page past
    the last shows the last.
    """
    catalog.framework(framework)
    path: list[Item] = []
    at = selected
    while at is not None:
        path.insert(0, at)
        at = catalog.parent_of(at)
    return _level(catalog, framework, None, path, page, size, selected)


def _level(
    catalog: Catalog,
    framework: str,
    parent: Item | None,
    path: list[Item],
    asked: int,
    size: int,
    selected: Item | None,
) -> TreeLevel:
    """The children of ``parent``: the page holding ``path[0]``, or page ``asked`` at the
    end of the path (under the selected item)."""
    children = catalog.children.get((framework, parent.code if parent else None), [])
    total = len(children)
    pages = max(1, -(-total // size))
    page = asked
    if path:
        index = next((n for n, c in enumerate(children) if c.key == path[0].key), 0)
        page = index // size + 1
    page = min(max(1, page), pages)
    start = (page - 1) * size
    nodes = []
    for child in children[start : start + size]:
        on_path = bool(path) and child.key == path[0].key
        is_selected = selected is not None and child.key == selected.key
        opened = None
        if on_path:
            opened = _level(catalog, framework, child, path[1:], asked, size, selected)
        nodes.append(
            TreeNode(
                child,
                _links(catalog, child),
                len(catalog.children.get((framework, child.code), [])),
                is_selected,
                opened if opened is not None and opened.total else None,
            )
        )
    return TreeLevel(parent, tuple(nodes), page, pages, total, start + 1 if total else 0)


def _links(catalog: Catalog, item: Item) -> int:
    return len(catalog.outgoing.get(item.key, ())) + len(catalog.incoming.get(item.key, ()))
