"""Every generated name of docs/names.md, with its examples, and every limit of E106 at
and just past its boundary."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler import name_limits, naming
from odmdc.compiler.name_limits import NameKind, limit_problems
from odmdc.compiler.regions import partition_of
from tests.helpers import compile_ok


# ---- revision paths ------------------------------------------------------------------------
def test_revision_paths() -> None:
    assert naming.revision_path("branch", "master") == "b..master"
    assert naming.revision_path("tag", "v1.0.0") == "t..v1.0.0"


def test_clone_revision_paths() -> None:
    assert naming.clone_revision_path("b..master", "branch", "feature-x") == \
        "b..master-_b..feature-x"
    assert naming.clone_revision_path("b..master", "tag", "rc1") == "b..master-_t..rc1"
    assert naming.clone_revision_path("t..v1.0.0", "branch", "hotfix") == \
        "t..v1.0.0-_b..hotfix"


# ---- config store --------------------------------------------------------------------------
def test_product_paths() -> None:
    assert naming.product_path("orders", "b..master", ("api",)) == \
        "/odmd-share/orders/b..master/api"
    assert naming.product_path("orders", "b..master", ("api", "schema-url")) == \
        "/odmd-share/orders/b..master/api/schema-url"
    assert naming.product_path("orders", "b..master-_b..feature-x", ("api",)) == \
        "/odmd-share/orders/b..master-_b..feature-x/api"


def test_artifact_bucket_parameters() -> None:
    assert naming.artifact_bucket_parameter("orders") == \
        "/odmd-config/orders/buildArtifactBucketName"
    assert naming.artifact_bucket_parameter("orders", "222222222222") == \
        "/odmd-config/orders/buildArtifactBucketName/222222222222"


@given(build=st.from_regex(r"[A-Za-z0-9_-]{1,100}", fullmatch=True),
       account=st.from_regex(r"[0-9]{12}", fullmatch=True),
       region=st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-4", "us-gov-west-1",
                               "cn-north-1"]))
def test_artifact_buckets_fit_s3(build: str, account: str, region: str) -> None:
    bucket = naming.build_artifact_bucket(build, account, region)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]", bucket), bucket
    assert "--" not in bucket and not bucket.startswith(("xn--", "sthree-", "amzn-s3-demo-"))
    assert bucket.startswith("odmd-") and f"-{region}-" in bucket
    assert re.search(r"-[0-9a-f]{10}$", bucket)  # never one of S3's reserved suffixes
    # one bucket per build, account and region
    assert bucket != naming.build_artifact_bucket(build, str(int(account[0]) ^ 1) + account[1:],
                                                  region)


def test_artifact_bucket_example() -> None:
    assert naming.build_artifact_bucket("coffeeShopOrderManager", "590184130740",
                                        "us-west-1").startswith(
        "odmd-coffeeshopordermanager-us-west-1-")


# ---- what clones made at run time are named, as IAM patterns --------------------------------
def test_clone_patterns() -> None:
    assert naming.clone_records_pattern("orders") == "/odmd-config/orders/clones/*"
    assert naming.clone_product_pattern("orders", "b..master", ("api", "schema-url")) == \
        "/odmd-share/orders/b..master-_b..*/api/schema-url"
    assert naming.clone_product_pattern("orders", "t..v1.0.0", ("api",)) == \
        "/odmd-share/orders/t..v1.0.0-_b..*/api"
    assert naming.clone_repository_pattern("Orders_x", "b..master", "Web.UI") == \
        "ordersx/bmaster-b*/webui"
    assert naming.clone_stack_pattern("{build}--{rev}", "orders") == "orders--*"
    assert naming.clone_stack_pattern("{build}--{rev}-addons", "a_b") == "a-b--*-addons"
    # the sanitiser's edges: a leading `-` becomes `A`, a trailing one `Z`, where fixed text
    # is at the edge; where `{rev}` is, the branch decides (and `*` covers either)
    assert naming.clone_stack_pattern("-{rev}-", "x") == "A*Z"
    assert naming.clone_stack_pattern("{rev}.{build}_", "x") == "*-xZ"
    assert naming.clone_stack_pattern("{rev}", "x") == "*"
    assert naming.clone_stack_pattern("{build}", "x") is None  # such an enver has no clones


# ---- stack names ---------------------------------------------------------------------------
def test_stack_name_spec_example() -> None:
    rev = naming.stack_rev("branch", "ipam_west1_le", "b..ipam_west1_le")
    assert naming.stack_name("{build}--{rev}", "networking", rev) == "networking--ipam-west1-le"


def test_stack_rev_is_the_branch_value_for_branches_and_branch_clones() -> None:
    assert naming.stack_rev("branch", "master", "b..master") == "master"
    # a clone `b..master-_b..feature-x` is named by its own branch
    assert naming.stack_rev("branch", "feature-x", "b..master-_b..feature-x") == "feature-x"
    assert naming.stack_name("{build}--{rev}", "orders", "feature-x") == "orders--feature-x"


def test_stack_rev_is_the_whole_revision_path_for_tags_and_tag_clones() -> None:
    rev = naming.stack_rev("tag", "v1.0.0", "t..v1.0.0")
    assert rev == "t..v1.0.0"
    assert naming.stack_name("{build}--{rev}", "orders", rev) == "orders--t--v1-0-0"
    clone_rev = naming.stack_rev("tag", "rc1", "b..master-_t..rc1")
    assert clone_rev == "b..master-_t..rc1"
    assert naming.stack_name("{build}--{rev}", "orders", clone_rev) == "orders--b--master--t--rc1"


@pytest.mark.parametrize(
    ("raw", "sanitised"),
    [
        ("-abc", "Aabc"),  # one leading `-` → `A`
        ("_abc", "Aabc"),  # … after `_` became `-`
        ("abc-", "abcZ"),  # one trailing `-` → `Z`
        ("abc.", "abcZ"),
        ("--x--", "A-x-Z"),  # only one of each, and no collapsing
        ("a__b..c", "a--b--c"),
        ("-", "A"),  # leading wins; the result no longer ends with `-`
        ("a b/c@d", "a-b-c-d"),
        ("Ünï", "AnZ"),  # non-ASCII letters are outside [A-Za-z0-9] too
    ],
)
def test_stack_name_sanitising(raw: str, sanitised: str) -> None:
    assert naming.sanitise_stack_name(raw) == sanitised


def test_stack_templates() -> None:
    assert naming.stack_name("{build}-db-{rev}", "orders", "main") == "orders-db-main"
    assert naming.stack_name("{rev}", "orders", "_x") == "Ax"
    assert naming.stack_name("static", "orders", "main") == "static"


# ---- IAM -----------------------------------------------------------------------------------
def test_role_names_and_paths() -> None:
    assert naming.build_role_name("orders", "us-west-1", "222222222222") == \
        "orders-us-west-1222222222222-buildRole"
    assert naming.center_role_name("orders", "us-west-1", "222222222222") == \
        "orders-us-west-1222222222222-centerRole"
    assert naming.role_path("orders") == "/orders/"


@pytest.mark.parametrize(
    ("region", "partition"),
    [("us-west-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
     ("eu-west-2", "aws")],
)
def test_role_arns_take_the_partition_from_the_region(region: str, partition: str) -> None:
    assert partition_of(region) == partition
    name = naming.build_role_name("orders", region, "222222222222")
    assert naming.role_arn(partition_of(region), "222222222222", "orders", name) == \
        f"arn:{partition}:iam::222222222222:role/orders/{name}"


# ---- GitHub --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "tag"),
    [("cdk", "CdkGH"), ("container_image", "ContainerImageEcr"), ("cmd", "CmdsGH"),
     ("npm_package", "NpmPackGH")],
)
def test_workflow_file_and_secret_for_every_kind(kind: str, tag: str) -> None:
    assert naming.workflow_file("orders", kind, "us-west-1", "workspace1") == \
        f"ODMD_orders-{tag}us-west-1-workspace1.yaml"
    assert naming.workflow_secret("orders", kind, "us-west-1", "workspace1") == \
        f"ODMD_SECRETS_ODMD_orders_{tag}us_west_1_workspace1"


def test_workflow_secret_replaces_every_non_alphanumeric() -> None:
    assert naming.workflow_secret("coffee-shop_x", "cdk", "eu-west-2", "ws-1") == \
        "ODMD_SECRETS_ODMD_coffee_shop_x_CdkGHeu_west_2_ws_1"


# ---- ECR -----------------------------------------------------------------------------------
def test_ecr_repositories() -> None:
    assert naming.ecr_repository("app-image", "b..master", "img-repo") == \
        "app-image/bmaster/img-repo"
    assert naming.ecr_repository("App_Image", "b..Feature.X", "My_Repo") == \
        "appimage/bfeaturex/myrepo"
    assert naming.ecr_repository("app", "b..master-_b..feature-x", "web") == \
        "app/bmaster-bfeature-x/web"
    assert naming.ecr_repository("app", "t..v1.0.0", "web") == "app/tv100/web"


# ---- every name through the compiler -------------------------------------------------------
def test_the_ir_carries_every_name() -> None:
    ir = compile_ok("""
        build orders : cdk {
          repo = "acme/orders"
          enver master = branch "master" in workspace1 "us-east-1" {
            produces { api: url { schema-url: schema } }
          }
          enver v1 = tag "v1.0.0" in "333333333333" "us-east-1"
        }
        build app : container_image {
          repo = "acme/app"
          enver master = branch "master" in workspace2 "us-east-1" {
            image img-repo = "app:1.0"
          }
        }
        clone feature-x of orders.master = branch "feature-x"
    """)
    master = ir.enver("orders.master")
    n = master.names
    assert n.revision_path == "b..master"
    assert n.stacks == ("orders--master",)
    assert n.build_role_name == "orders-us-east-1222222222222-buildRole"
    assert n.build_role_path == "/orders/"
    assert n.build_role_arn == \
        "arn:aws:iam::222222222222:role/orders/orders-us-east-1222222222222-buildRole"
    assert n.center_role_name == "orders-us-east-1222222222222-centerRole"
    assert n.center_role_arn == \
        "arn:aws:iam::111111111111:role/orders/orders-us-east-1222222222222-centerRole"
    assert n.workflow_file == "ODMD_orders-CdkGHus-east-1-workspace1.yaml"
    assert n.workflow_secret == "ODMD_SECRETS_ODMD_orders_CdkGHus_east_1_workspace1"
    assert n.artifact_bucket_parameter == "/odmd-config/orders/buildArtifactBucketName"
    assert n.artifact_bucket_parameter_for_account == \
        "/odmd-config/orders/buildArtifactBucketName/222222222222"
    assert [(p.name, p.path) for p in master.products] == [
        ("api", "/odmd-share/orders/b..master/api"),
        ("api.schema-url", "/odmd-share/orders/b..master/api/schema-url"),
    ]

    # the tag enver: `{rev}` is the whole path; a quoted id the org knows gets its alias
    tag = ir.enver("orders.v1")
    assert tag.names.stacks == ("orders--t--v1-0-0",)
    assert tag.account_alias == "workspace2"
    assert tag.names.workflow_file == "ODMD_orders-CdkGHus-east-1-workspace2.yaml"

    # a clone: its own paths and stacks, its origin's roles and artefact parameter
    clone = ir.enver("orders.feature-x")
    assert clone.names.revision_path == "b..master-_b..feature-x"
    assert clone.names.stacks == ("orders--feature-x",)
    assert [p.path for p in clone.products] == [
        "/odmd-share/orders/b..master-_b..feature-x/api",
        "/odmd-share/orders/b..master-_b..feature-x/api/schema-url",
    ]
    for field in ("build_role_name", "build_role_arn", "center_role_name", "workflow_file",
                  "artifact_bucket_parameter_for_account"):
        assert getattr(clone.names, field) == getattr(n, field)

    # an image: its products and its ECR repository
    app = ir.enver("app.master")
    assert app.names.stacks == ()
    assert [(i.name, i.repository) for i in app.images] == [("img-repo", "app/bmaster/img-repo")]
    assert [p.path for p in app.products] == [
        "/odmd-share/app/b..master/img-repo", "/odmd-share/app/b..master/img-repo/latestSha"]
    assert app.names.workflow_file == "ODMD_app-ContainerImageEcrus-east-1-workspace2.yaml"


# ---- limits at and just past each boundary -------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "ok", "too_long", "limit"),
    [
        ("stack name", "a" * 128, "a" * 129, 128),
        ("role name", "r" * 64, "r" * 65, 64),
        ("role path", "/" + "p" * 510 + "/", "/" + "p" * 511 + "/", 512),
        ("parameter name", "/" + "p" * 1010, "/" + "p" * 1011, 1011),
        ("ECR repository", "e" * 256, "e" * 257, 256),
        ("workflow file", "w" * 250 + ".yaml", "w" * 251 + ".yaml", 255),
    ],
)
def test_length_limits(kind: NameKind, ok: str, too_long: str, limit: int) -> None:
    assert len(ok) == limit and len(too_long) == limit + 1
    assert limit_problems(kind, ok) is None
    why = limit_problems(kind, too_long)
    assert why is not None
    assert f"{limit + 1} characters" in why and f"more than the {limit}" in why


def test_parameter_levels() -> None:
    fifteen = "/" + "/".join(["l"] * 15)
    assert limit_problems("parameter name", fifteen) is None
    assert limit_problems("parameter name", fifteen + "/m") == \
        "has 16 levels, more than the 15 Parameter Store allows"


@pytest.mark.parametrize(
    ("kind", "name", "why"),
    [
        ("stack name", "", "is empty"),
        ("stack name", "1abc", "starts with `1`; CloudFormation stack names start with a letter"),
        ("stack name", "ab_c", "holds `_`; CloudFormation allows only letters, digits and `-`"),
        ("role name", "a b", "holds ` `, which IAM does not allow in a role name"),
        ("role path", "//", "must be `/`, or printable ASCII starting and ending with `/`"),
        ("role path", "/a", "must be `/`, or printable ASCII starting and ending with `/`"),
        ("parameter name", "/a b", "holds ` `, which Parameter Store does not allow"),
        ("parameter name", "/aws/x", "starts with `aws`, a prefix Parameter Store reserves"),
        ("parameter name", "SSM-x", "starts with `SSM`, a prefix Parameter Store reserves"),
        ("ECR repository", "a", "is 1 characters long; ECR needs at least 2"),
        ("ECR repository", "app/bmain-/web", "is not a valid ECR repository name: each "
         "`/`-separated part must start and end with a letter or digit"),
        ("ECR repository", "app//web", "is not a valid ECR repository name: each "
         "`/`-separated part must start and end with a letter or digit"),
        ("workflow file", "a b.yaml", "holds ` `; workflow file names are letters, digits and "
         "`._-`"),
        ("workflow file", "ab.json", "must end with `.yaml`"),
        ("secret name", "1ODMD", "must start with a letter or `_`"),
        ("secret name", "github_token", "starts with `GITHUB_`, a prefix GitHub reserves"),
        ("secret name", "A-B", "holds `-`; GitHub secret names are letters, digits and `_`"),
    ],
)
def test_pattern_limits(kind: NameKind, name: str, why: str) -> None:
    assert limit_problems(kind, name) == why


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("stack name", "A"),
        ("stack name", "orders--t--v1-0-0"),
        ("stack name", "a-"),  # CloudFormation allows a trailing `-` (the `Z` is ODMD's)
        ("role name", "orders-us-east-1222222222222-buildRole"),
        ("role name", "a+=,.@_-"),
        ("role path", "/"),
        ("role path", "/orders/"),
        ("parameter name", "/odmd-share/orders/b..master-_b..feature-x/api"),
        ("ECR repository", "app/bmaster-bfeature-x/web"),
        ("ECR repository", "a--b/c__d/e.f"),  # botocore allows `-+`, `__` and `.`
        ("workflow file", "ODMD_orders-CdkGHus-east-1-workspace1.yaml"),
        ("secret name", "ODMD_SECRETS_ODMD_orders_CdkGHus_east_1_workspace1"),
    ],
)
def test_valid_names_pass(kind: NameKind, name: str) -> None:
    assert limit_problems(kind, name) is None


def test_every_kind_has_a_description() -> None:
    assert set(name_limits.LIMITS) == set(get_args(NameKind))
    assert set(name_limits.MAX_LENGTH) <= set(name_limits.LIMITS)
