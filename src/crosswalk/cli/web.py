"""``crosswalk serve``: the web explorer and JSON API on this machine.

The database comes from the global ``--database`` option (or
``CROSSWALK_DATABASE_URL``), like every other command; ``serve --database`` is accepted
too, because that is where people look for it.  The database is opened (set up and,
when empty, filled) before the server starts, so a database that cannot be used — a
full disk, a read-only file with an old schema, a wrong URL — ends the command with
one line saying why, not with a server traceback.
"""

from __future__ import annotations

import typer

from crosswalk.cli import output
from crosswalk.cli.session import Session, database_problem


@output.reports_errors
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    database: str | None = typer.Option(
        None, "--database", metavar="URL", help="Database URL (overrides the global option)."
    ),
    reload: bool = typer.Option(False, "--reload", help="Restart when the code changes."),
) -> None:
    """Start the web explorer and JSON API (http://127.0.0.1:8000 by default)."""
    import os

    import uvicorn

    from crosswalk.store import open_repository
    from crosswalk.web.app import SERVER_OPTIONS

    session = ctx.find_object(Session)
    url = database or (session.database_url if session else None)
    try:
        with open_repository(url):
            pass
    except Exception as error:  # the store's errors differ per engine and driver
        raise database_problem(url, error) from None
    if url:
        # The factory runs in the server process (and in reload workers): pass by env.
        os.environ["CROSSWALK_DATABASE_URL"] = url
    address = f"http://{host}:{port}"
    if not os.environ.get("CROSSWALK_BASE_URL", "").strip():
        # CASE URIs are absolute: without a configured public address, this one.
        listening_everywhere = host in ("0.0.0.0", "::")
        local = "127.0.0.1" if listening_everywhere else f"[{host}]" if ":" in host else host
        os.environ["CROSSWALK_BASE_URL"] = f"http://{local}:{port}"
        if listening_everywhere:
            typer.echo("CASE URIs name this address; set CROSSWALK_BASE_URL to the public one")
    typer.echo(f"Competency crosswalk at {address}  (Ctrl+C to stop)")
    uvicorn.run(
        "crosswalk.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        proxy_headers=True,
        log_level="info",
        **SERVER_OPTIONS,
    )
