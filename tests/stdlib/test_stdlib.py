"""The standard library contracts (`odmdc/stdlib_contracts/*.odmd`, docs/stdlib.md).

They are read the way every command reads them (through `importlib.resources`), must parse
without a diagnostic, and declare exactly the platform's types with the platform's product
names: orgs compiled by odmdc interoperate with ONDEMANDENV envers through these names, so a
rename here is a breaking change and has to show up as a failing test.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from odmdc.compiler import ast
from odmdc.compiler.grammar import parse
from odmdc.compiler.sources import STDLIB_PREFIX, stdlib_sources

PRODUCT_TYPES = {"string", "url", "arn", "cidr", "account", "region", "number", "bool", "json",
                 "secret", "schema", "image_repo", "image_digest"}
NAME = re.compile(r"[A-Za-z0-9_-]+")

# What each type consumes and produces, as published by the platform (odmd-contracts-base:
# lib/repos/__contracts, __user-auth, __networking, _default-vpc-rds, _default-kube-eks and
# lib/odmd-model/contracts-enver-eks-cluster.ts), with the types odmdc gives the values.
SHAPES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "contracts_lib": ({}, {"contractsLibLatest": "string"}),
    "user_auth": ({}, {
        "id-provider-name": "string", "id-provider-clientId": "string",
        "appsyncGraphqlUrl": "url", "IdentityPoolId": "string",
    }),
    "networking": ({}, {
        "central-Vpc-Cidr": "cidr", "share-pool": "string", "share-tgw": "string",
        "nat-pub-ip": "string", "hosted-zone-id": "string", "hosted-zone-name": "string",
    }),
    "eks_cluster": (
        {"ipamPoolName": "string", "transitGatewayShareName": "string", "natPublicIP": "string"},
        {"clusterEndpoint": "url", "oidcProviderArn": "arn", "kubectlRoleArn": "arn",
         "defaultNodeGroupRoleArn": "arn", "vpcCidr": "cidr"},
    ),
    "vpc_rds": (
        {"centralVpcCidr": "cidr", "share-pool": "string", "tgw": "string"},
        {"vpcIpv4Cidr": "cidr", "clusterHostname": "string", "clusterPort": "number",
         "clusterSocketAddress": "string", "clusterMasterRoleArn": "arn", "rootSecret": "secret"},
    ),
    "ecr_eks": (
        {"imageRepo": "image_repo", "imageDigest": "image_digest",
         "targetEksClusterEndpoint": "url", "kubectlRoleArn": "arn"},
        {},
    ),
}
KIND = dict.fromkeys(SHAPES, "cdk") | {"contracts_lib": "cmd"}
SINGLETONS = {"contracts_lib", "user_auth"}


def parsed() -> list[tuple[str, ast.SourceFile]]:
    out = []
    for src in stdlib_sources():
        tree, diagnostics = parse(src.path, src.text)
        assert diagnostics == [], src.path
        out.append((src.path.removeprefix(STDLIB_PREFIX).removesuffix(".odmd"), tree))
    return out


def the_type(tree: ast.SourceFile) -> ast.EnverType:
    (item,) = tree.items
    assert isinstance(item, ast.EnverType)
    return item


def test_stdlib_is_spec_list_read_through_importlib_resources() -> None:
    sources = stdlib_sources()
    assert all(s.stdlib and s.path.startswith(STDLIB_PREFIX) for s in sources)
    assert sorted(name for name, _ in parsed()) == sorted(SHAPES)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_one_documented_type_per_file(name: str) -> None:
    tree = dict(parsed())[name]
    t = the_type(tree)
    assert t.name.text == name
    assert t.base.text == KIND[name]
    assert t.singleton is (name in SINGLETONS)
    # a leading comment says what the type is for
    assert tree.comments and tree.comments[0].span.start == 0
    assert tree.comments[0].span.end < t.span.start


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_shape_keeps_the_platform_names(name: str) -> None:
    t = the_type(dict(parsed())[name])
    slots = {s.name.text: s.type.text for s in t.slots}
    products: dict[str, str] = {}

    def flatten(prefix: str, ps: Iterable[ast.Product]) -> None:
        for p in ps:
            products[prefix + p.name.text] = p.type.text
            flatten(prefix + p.name.text + ".", p.children)

    flatten("", t.products)
    assert (slots, products) == SHAPES[name]
    for n, ty in {**slots, **products}.items():
        assert ty in PRODUCT_TYPES, n
        assert all(NAME.fullmatch(part) for part in n.split(".")), n


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_attributes_are_the_allowed_ones(name: str) -> None:
    t = the_type(dict(parsed())[name])
    for a in t.attributes:
        assert a.name.text in ("stacks", "docs"), a.name.text
        if a.name.text == "stacks":
            assert KIND[name] == "cdk" and isinstance(a.value, ast.ListValue)
            for template in a.value.items:
                assert isinstance(template, ast.Str)
                assert re.sub(r"\{build\}|\{rev\}", "", template.value).count("{") == 0
                assert "{build}" in template.value and "{rev}" in template.value


def test_networking_deploys_the_platform_stacks() -> None:
    t = the_type(dict(parsed())["networking"])
    (stacks,) = (a.value for a in t.attributes if a.name.text == "stacks")
    assert isinstance(stacks, ast.ListValue)
    assert [s.value for s in stacks.items if isinstance(s, ast.Str)] == [
        "{build}--{rev}", "{build}-share-nat--{rev}",
    ]
