"""Every shared name of one enver, computed from the resolved model (docs/names.md).

`Names` is the one record of them: the IR's `Enver.names` is the very object the rules
E105/E106 read here (the IR is only built when there are no errors, but the rules must see
the names of a model that still has some). The formulas live in `naming`; this module only
decides which inputs each name is made of, so that IR and rules can never disagree about a
name. A new shared name is a field of `Names` and a line of `enver_names`. Names only one
backend uses are that backend's (e.g. `odmdc/backends/codepipeline/names.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from odmdc.compiler import ast, naming
from odmdc.compiler.checker.model import ConsumerDef, EnverDef, ProductDef
from odmdc.compiler.regions import partition_of


class Names(BaseModel):
    """An enver's names that the platform defines and several backends share."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    revision_path: str
    stacks: tuple[str, ...]  # cdk envers only
    build_role_name: str
    build_role_path: str
    build_role_arn: str
    center_role_name: str
    center_role_arn: str
    workflow_file: str
    workflow_secret: str
    #: the build's artefact bucket in the enver's account and region (the cloudformation
    #: backend's target template makes it and publishes its name at both parameters below,
    #: in that account and region)
    artifact_bucket: str
    artifact_bucket_parameter: str
    artifact_bucket_parameter_for_account: str


@dataclass(frozen=True, slots=True)
class StackName:
    template: str  # as written, e.g. "{build}--{rev}"
    name: str


@dataclass(frozen=True, slots=True)
class ProductPath:
    product: ProductDef
    path: str
    output_key: str  # the stack output a cdk enver gives it in


@dataclass(frozen=True, slots=True)
class ImageRepository:
    image: ast.Image  # the origin's declaration, for a clone
    repository: str


@dataclass(frozen=True, slots=True)
class EnverNames:
    """`Names`, and what the rules need besides: the declarations each name comes from."""

    kind: str  # the build's kind; `cdk` when its type does not resolve
    account_id: str  # "" when the account does not resolve
    account_alias: str  # the org's alias for the account, else the account id
    partition: str
    names: Names
    stacks: tuple[StackName, ...]  # cdk envers only: `names.stacks` with their templates
    products: tuple[ProductPath, ...]  # in the enver's product order
    images: tuple[ImageRepository, ...]  # container_image envers only


def enver_names(e: EnverDef, central_id: str) -> EnverNames:
    """The names of `e`; `central_id` is the org's central account id ("" if unknown)."""
    b = e.build.id
    account = e.account_id or ""
    alias = e.account_alias or account
    kind = e.kind or "cdk"
    partition = partition_of(e.region)
    rev = naming.stack_rev(e.revision_kind, e.revision_value, e.rev_path)
    build_role = naming.build_role_name(b, e.region, account)
    center_role = naming.center_role_name(b, e.region, account)
    stacks = tuple(StackName(t, naming.stack_name(t, b, rev)) for t in e.stacks) \
        if kind == "cdk" else ()
    return EnverNames(
        kind=kind,
        account_id=account,
        account_alias=alias,
        partition=partition,
        names=Names(
            revision_path=e.rev_path,
            stacks=tuple(s.name for s in stacks),
            build_role_name=build_role,
            build_role_path=naming.role_path(b),
            build_role_arn=naming.role_arn(partition, account, b, build_role),
            center_role_name=center_role,
            center_role_arn=naming.role_arn(partition, central_id, b, center_role),
            workflow_file=naming.workflow_file(b, kind, e.region, alias),
            workflow_secret=naming.workflow_secret(b, kind, e.region, alias),
            artifact_bucket=naming.build_artifact_bucket(b, account, e.region),
            artifact_bucket_parameter=naming.artifact_bucket_parameter(b),
            artifact_bucket_parameter_for_account=naming.artifact_bucket_parameter(b, account),
        ),
        stacks=stacks,
        products=tuple(ProductPath(p, naming.product_path(b, e.rev_path, p.path),
                                   naming.product_output_key(p.path))
                       for p in e.products.values()),
        images=_images(e) if kind == "container_image" else (),
    )


def _images(e: EnverDef) -> tuple[ImageRepository, ...]:
    """A clone pushes its origin's images to repositories of its own revision path."""
    node = e.origin.node if e.origin is not None else e.node
    if not isinstance(node, ast.Enver):
        return ()
    return tuple(
        ImageRepository(i, naming.ecr_repository(e.build.id, e.rev_path, image_part(i)))
        for i in node.images
    )


def image_part(image: ast.Image) -> str:
    """The repository part an image is pushed under: its `repo "PART"`, else its name."""
    return image.repo.value if image.repo is not None else image.name.text


def reads_path(c: ConsumerDef) -> str | None:
    """The config-store path a consumer reads; None while it is unresolved."""
    if c.producer is None or c.product is None:
        return None
    return naming.product_path(c.producer.build.id, c.producer.rev_path, c.product.path)
