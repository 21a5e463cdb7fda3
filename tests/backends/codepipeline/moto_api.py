"""Talking to the session's moto server (tests/backends/conftest.py) as one account."""

from __future__ import annotations

import urllib.request
from typing import Any

import boto3
from botocore.config import Config


def reset(url: str) -> None:
    urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST"),
                           timeout=10).read()


def client(service: str, url: str, region: str, account: str) -> Any:
    c = boto3.client(service, endpoint_url=url, region_name=region,
                     config=Config(retries={"max_attempts": 1}))

    def as_account(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account

    c.meta.events.register("before-sign", as_account)
    return c
