"""Who may talk to the what-if app, and how much: the app has no login, so it protects
itself at the door.

- Host header check (DNS rebinding): a web page on another site that resolves its own
  name to 127.0.0.1 could otherwise drive the app from the user's browser; only the
  address the app was started on and the loopback names, with its port, are answered
  (400 otherwise).
- Request size: a real callback body is under 2 KiB; anything above MAX_BODY is refused
  (413) before Dash parses it.
- A clear warning when the app listens beyond this machine.
"""

from __future__ import annotations

import socket

from flask import Flask, abort, request

MAX_BODY = 64 * 1024  # bytes
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")  # every interface: then this machine's own names count too


def _host_form(host: str) -> str:
    """A host as it appears in a Host header: IPv6 addresses in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(host: str, port: int | None) -> set[str]:
    """The Host headers the app answers: the bound host and the loopback names, with the
    port (browsers leave out port 80). Without a port (an app not started by serve) only
    the names are checked."""
    names = {_host_form(h).lower() for h in (host, *LOOPBACK, *(_own_names() if host in WILDCARD else ()))}
    if port is None:
        return names
    out = {f"{n}:{port}" for n in names}
    return out | names if port == 80 else out


def _own_names() -> list[str]:
    """This machine's name and addresses, as another machine would type them (best effort)."""
    names = [socket.gethostname(), socket.getfqdn()]
    try:
        names += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    return [n for n in names if n]


def guard(server: Flask, host: str = "127.0.0.1", port: int | None = None) -> None:
    """Install the size limit and the Host check on the app's Flask server."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    allowed = allowed_hosts(host, port)

    @server.before_request
    def check_host() -> None:
        given = (request.host or "").lower()
        if port is None:
            given = given.rsplit(":", 1)[0] if not given.endswith("]") else given
        if given not in allowed:
            abort(400, "unexpected Host header: open the app at the address it printed")


def exposure_warning(host: str) -> str | None:
    """A warning for stderr when the app listens on more than this machine."""
    if host.strip("[]").lower() in LOOPBACK:
        return None
    return (f"warning: the app listens on {host}, so it is reachable from other machines; it has no login. "
            "Anyone who can reach this port can start calculations. Use --host 127.0.0.1 unless that is intended.")
