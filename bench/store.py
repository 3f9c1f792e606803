"""How fast the store writes and reads a whole state's catalogue.

20,000 items and 50,000 alignments, replaced, loaded, saved unchanged (compared with
what is stored, nothing written) and saved with one item renamed, on SQLite (a
temporary file) and on PostgreSQL when one is reachable (a schema of its own, dropped
afterwards).  Run: ``.venv/bin/python bench/store.py``; not part of the test suite.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy
from sqlalchemy.engine import make_url

from crosswalk.model import Alignment, Crosswalk, Dataset, Framework, Item
from crosswalk.store import Repository, open_repository

POSTGRES = os.environ.get(
    "CROSSWALK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def catalogue(items: int = 10_000, alignments: int = 50_000) -> Dataset:
    frameworks = [Framework("big-a", "A"), Framework("big-b", "B")]
    return Dataset(
        frameworks,
        [
            Item(f.id, f"{n // 100}.{n % 100}", f"item {n}", tags=("x",), position=n)
            for f in frameworks
            for n in range(items)
        ],
        [Crosswalk("big", "A → B", "big-a", "big-b")],
        [
            Alignment("big", f"{n % 100}.{n % 97}", f"{n % 89}.{n % 83}", position=n)
            for n in range(alignments)
        ],
    )


def timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def measure(name: str, url: str, dataset: Dataset) -> None:
    with open_repository(url, seed=None) as repository:
        assert isinstance(repository, Repository)
        replace = timed(lambda: repository.replace(dataset))
        load = timed(repository.load)
        same = timed(lambda: repository.save(dataset))  # compared, nothing written
        changed = dataclasses.replace(dataset, items=list(dataset.items))
        changed.items[0] = dataclasses.replace(changed.items[0], name="renamed")
        save = timed(lambda: repository.save(changed))
    print(f"{name:<11} {replace:8.2f} {load:8.2f} {same:8.2f} {save:8.2f}")


def postgres_schema() -> tuple[str, Callable[[], None]] | None:
    admin = sqlalchemy.create_engine(POSTGRES, connect_args={"connect_timeout": 3})
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sqlalchemy.exc.OperationalError:
        return None
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def main() -> None:
    dataset = catalogue()
    print("20,000 items, 50,000 alignments; seconds")
    print(f"{'engine':<11} {'replace':>8} {'load':>8} {'no-op':>8} {'save':>8}")
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", dataset)
    found = postgres_schema()
    if found is None:
        print("PostgreSQL  unreachable, skipped")
        return
    url, drop = found
    try:
        measure("PostgreSQL", url, dataset)
    finally:
        drop()


if __name__ == "__main__":
    main()
