"""mgz-sim: discrete-event simulation of regional demand for medisch-generalistische zorg."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mgz-sim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
