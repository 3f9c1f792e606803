"""What every document shares: item references, pages of lists, errors."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from crosswalk.model import Item

T = TypeVar("T")


class ItemRef(BaseModel):
    framework: str
    code: str
    name: str

    @classmethod
    def of(cls, item: Item) -> ItemRef:
        return cls(framework=item.framework, code=item.code, name=item.name)


def _ref(item: Item | None) -> ItemRef | None:
    return ItemRef.of(item) if item is not None else None


class Page(BaseModel, Generic[T]):
    """One page of a list: ``next``/``previous`` are ready-made relative URLs."""

    total: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[T]


class ErrorOut(BaseModel):
    detail: str
    errors: list[dict[str, str]] = Field(
        default_factory=list, description="One entry per wrong parameter: parameter, in, message"
    )
