"""The names `naming` makes for the codepipeline backend fit their AWS limits for any pipeline
name the checker lets through, stay distinct when they are cut, and keep their readable start."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from odmdc.backends.codepipeline import names as cp_names
from odmdc.compiler import naming

BUILD = st.from_regex(r"[A-Za-z0-9_-]{1,60}", fullmatch=True)
REV = st.from_regex(r"[bt]\.\.[A-Za-z0-9_.-]{1,60}(-_[bt]\.\.[A-Za-z0-9_.-]{1,30})?",
                    fullmatch=True)
ALIAS = st.from_regex(r"[A-Za-z0-9_-]{1,20}|[0-9]{12}", fullmatch=True)

ROLE = re.compile(r"[\w+=,.@-]{1,64}")
PROJECT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{1,149}")
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,256}")
# S3 general purpose bucket rules: 3-63 of [a-z0-9.-], letter or digit at both ends, no `..`,
# no reserved prefix or suffix
BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


@given(BUILD, REV, ALIAS, st.sampled_from(["pipeline", "codebuild", "approve", "approve12"]))
def test_role_names_fit_iam(build: str, rev: str, alias: str, purpose: str) -> None:
    pipeline = cp_names.pipeline_name(build, rev, alias)
    role = cp_names.pipeline_role_name(pipeline, purpose)
    assert ROLE.fullmatch(role), role
    assert role.endswith(f"-{purpose}")
    assert len(naming.role_arn_at("aws", "1" * 12, cp_names.pipeline_role_path(build), role)) \
        <= 2048


@given(BUILD, REV, ALIAS, st.sampled_from(["Build", "Deploy", "Publish", "Run"]))
def test_projects_and_topics_fit(build: str, rev: str, alias: str, stage: str) -> None:
    pipeline = cp_names.pipeline_name(build, rev, alias)
    assert PROJECT.fullmatch(cp_names.codebuild_project(pipeline, stage))
    assert TOPIC.fullmatch(cp_names.approval_topic(pipeline, "approve2"))


@given(BUILD, REV, ALIAS, st.sampled_from(["111111111111", "590184031795"]),
       st.sampled_from(["us-east-1", "eu-west-1", "cn-north-1"]))
def test_buckets_fit_s3(build: str, rev: str, alias: str, account: str, region: str) -> None:
    bucket = cp_names.pipeline_artifact_bucket(account, region,
                                             cp_names.pipeline_name(build, rev, alias))
    assert BUCKET.fullmatch(bucket), bucket
    assert ".." not in bucket and "--" not in bucket
    assert not bucket.startswith(("xn--", "sthree-", "amzn-s3-demo-"))
    assert re.search(r"-[0-9a-f]{10}$", bucket)  # never a reserved suffix


def test_bounded_keeps_short_names_and_cuts_long_ones_apart() -> None:
    assert cp_names.bounded("short", 10) == "short"
    a, b = "x" * 70 + "a", "x" * 70 + "b"
    ca, cb = cp_names.bounded(a, 64), cp_names.bounded(b, 64)
    assert len(ca) <= 64 and len(cb) <= 64
    assert ca != cb
    assert ca.startswith("x" * 50)


def test_names_of_the_shop_order_manager() -> None:
    p = cp_names.pipeline_name("coffeeShopOrderManager", "b..master-_b..feature-loyalty",
                             "workspace1")
    assert p == "ODMD_coffeeShopOrderManager-b..master-_b..feature-loyalty-workspace1"
    assert cp_names.codebuild_project(p, "Build") == \
        "ODMD_coffeeShopOrderManager-b--master-_b--feature-loyalty-workspace1-Build"
    role = cp_names.pipeline_role_name(p, "codebuild")
    assert len(role) == 64 and role.startswith("ODMD_coffeeShopOrderManager-b..master-_b..")
    assert cp_names.release_pipeline_name("coffee-shop") == "ODMD_coffee-shop-release"
    assert naming.product_output_key(("bus-src", "ev-src")) == "busSrcEvSrc"
    assert naming.product_output_key(("central-Vpc-Cidr",)) == "centralVpcCidr"
