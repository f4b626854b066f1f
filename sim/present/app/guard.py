"""Who may talk to the what-if app, and how much: the app has no login, so it protects
itself at the door.

- Host header check (DNS rebinding): a web page on another site that resolves its own
  name to 127.0.0.1 could otherwise drive the app from the user's browser; only the
  address the app was started on and the loopback names, with its port, are answered
  (400 otherwise).
- Request size: a real callback body is under 2 KiB; anything above MAX_BODY is refused
  (413) before Dash parses it. Only the callback of the region upload (upload.py) may
  carry more, up to MAX_UPLOAD_BODY (8 MiB: a file over 1 MB then gets a sentence in the
  page); a larger body, or a large body to any other callback, is refused with 413 too.
- Request shape: a callback body must be a JSON object of the shape Dash's page sends,
  nested at most MAX_JSON_DEPTH levels (Python's JSON parser recurses); anything else (a
  JSON array, `{}`, a bare NaN, 30,000 nested brackets) is refused with 400 before Dash
  reads it. Whatever Dash itself still cannot handle in a request to its own routes (a
  callback body it cannot match, a static URL of no file it serves) is a 400 too, never a
  500: our callbacks turn their own errors into a message in the page (server.py), so an
  exception that reaches Flask there comes from the request.
- A clear warning when the app listens beyond this machine.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from flask import Flask, abort, request
from werkzeug.exceptions import BadRequest, HTTPException

from sim.reading import json_depth

MAX_BODY = 64 * 1024  # bytes
MAX_UPLOAD_BODY = 8 * 1024 * 1024  # bytes, the region upload's callback only: room for a file the page refuses
# with a sentence (checks.MAX_FILE) up to what the browser sends at all (checks.BROWSER_MAX), in base64
UPLOAD_OUTPUT = "upload-result.data"  # the first output of that callback, as its body names it
MAX_JSON_DEPTH = 20  # a real callback body nests 5 levels
CALLBACK = "/_dash-update-component"
DASH_ROUTES = ("/_dash-", "/_reload-hash", "/_favicon.ico")
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
    server.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BODY  # werkzeug's own bound, also without Content-Length
    allowed = allowed_hosts(host, port)

    @server.before_request
    def check_size() -> None:
        n = request.content_length
        callback = request.method == "POST" and request.path.endswith(CALLBACK)
        if n is not None and (n > MAX_UPLOAD_BODY or (n > MAX_BODY and not callback)):
            abort(413)

    @server.before_request
    def check_host() -> None:
        given = (request.host or "").lower()
        if port is None:
            given = given.rsplit(":", 1)[0] if not given.endswith("]") else given
        if given not in allowed:
            abort(400, "unexpected Host header: open the app at the address it printed")

    @server.before_request
    def check_callback_body() -> None:
        if request.method == "POST" and request.path.endswith(CALLBACK):
            body = request.get_data(cache=True, as_text=False)
            problem = callback_problem(body)
            if len(body) > MAX_BODY and (problem is not None or not _is_upload(body)):
                abort(413)  # only the upload may be large, and only when it is well formed
            if problem is not None:
                abort(400, f"malformed callback request: {problem}")

    @server.errorhandler(Exception)
    def refuse_malformed(exc: Exception) -> Any:
        if isinstance(exc, HTTPException):
            return exc
        if request.path.startswith(DASH_ROUTES) or request.path.endswith(CALLBACK):
            print(f"mgz-sim app: refused a malformed request to {request.path[:200]} ({type(exc).__name__})",
                  file=sys.stderr)
            return BadRequest("malformed request")
        raise exc


def _is_upload(body: bytes) -> bool:
    """Whether a callback body (already bounded by MAX_UPLOAD_BODY and of the right shape)
    is the region upload's: its "output" names the upload's result first."""
    import json
    try:
        output = json.loads(body).get("output")
    except (ValueError, AttributeError):
        return False
    return isinstance(output, str) and output.startswith(f"..{UPLOAD_OUTPUT}...")


def _entries_ok(items: Any) -> bool:
    """Inputs or state as the page sends them: a list of {id, property, value} objects, or
    of lists of them (pattern-matching callbacks)."""
    if not isinstance(items, list):
        return False
    for item in items:
        group = item if isinstance(item, list) else [item]
        if not all(isinstance(e, dict) and "id" in e and isinstance(e.get("property"), str) for e in group):
            return False
    return True


def callback_problem(body: bytes) -> str | None:
    """What is wrong with a callback request body, or None if it has the shape Dash's page
    sends: {output: str, outputs: object or list, inputs: [...], state: [...],
    changedPropIds: [str]}. Nesting is measured before the body is parsed."""
    import json
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if json_depth(text) > MAX_JSON_DEPTH:
        return f"nested more than {MAX_JSON_DEPTH} levels"
    try:
        data = json.loads(text)
    except ValueError:
        return "not JSON"
    if not isinstance(data, dict):
        return "not a JSON object"
    if not isinstance(data.get("output"), str):
        return "no output"
    outputs = data.get("outputs")
    if not (isinstance(outputs, dict) or (isinstance(outputs, list) and all(isinstance(o, (dict, list))
                                                                             for o in outputs))):
        return "no outputs"
    if not _entries_ok(data.get("inputs")) or not _entries_ok(data.get("state", [])):
        return "inputs or state of the wrong shape"
    changed = data.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds of the wrong shape"
    return None


def exposure_warning(host: str) -> str | None:
    """A warning for stderr when the app listens on more than this machine."""
    if host.strip("[]").lower() in LOOPBACK:
        return None
    return (f"warning: the app listens on {host}, so it is reachable from other machines; it has no login. "
            "Anyone who can reach this port can start calculations. Use --host 127.0.0.1 unless that is intended.")
