"""odmdc — the ONDEMANDENV contracts compiler."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("odmdc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
