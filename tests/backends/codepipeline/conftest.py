"""Fixtures of the codepipeline backend's tests: cfn-lint runners (one per region, reused:
building one costs ~0.8 s) and a moto server for the CodePipeline and IAM APIs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest


@cache
def _runner(region: str) -> Any:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=[region]))


def lint(text: str, region: str) -> list[str]:
    """cfn-lint findings (errors, warnings and informational) of a template, one line each."""
    from cfnlint.decode.decode import decode_str

    template, errors = decode_str(text)
    matches = errors if errors else list(_runner(region).validate_template(template))
    return [f"{m.rule.id} {m.linenumber}:{m.columnnumber} {m.message}" for m in matches]


@pytest.fixture(scope="session")
def cfn_lint() -> Callable[[str, str], list[str]]:
    return lint


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server on a free loopback port, for the whole session (TOOLING §6)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = os.path.join(os.path.dirname(sys.executable), "moto_server")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 30
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("moto_server died")
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
