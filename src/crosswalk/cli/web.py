"""``crosswalk serve``: the web explorer and JSON API on this machine.

The database comes from the global ``--database`` option (or
``CROSSWALK_DATABASE_URL``), like every other command; ``serve --database`` is accepted
too, because that is where people look for it.  The app opens the database itself on
the first request, so a new user's empty database is set up and filled then.
"""

from __future__ import annotations

import typer

from crosswalk.cli.session import Session


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

    session = ctx.find_object(Session)
    url = database or (session.database_url if session else None)
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
    )
