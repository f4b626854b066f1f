"""mgz-sim: discrete-event simulation of regional demand for medisch-generalistische zorg."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`sim.__version__`, looked up when first asked for: `import sim` stays instant, so the
    command line's first lines run (and catch a Ctrl-C) before any library loads."""
    if name != "__version__":
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version
    try:
        found = version("mgz-sim")
    except PackageNotFoundError:  # running from a source tree without installing
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found

