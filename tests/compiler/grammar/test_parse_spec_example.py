"""The product definition's example org (`corpus/spec_example.odmd`) parses into the nodes it
spells out."""

from __future__ import annotations

from odmdc.compiler import ast
from odmdc.compiler.grammar import parse

SPEC_EXAMPLE = """
org sandbox {
  github_app = 377358
  accounts { central = "590184031795" workspace1 = "590184130740" }
  ci = github_actions
  backends = [cloudformation, ssm, github_actions]
}
build orders : cdk {
  repo = "ondemandenv/coffee-shop--order-manager"
  enver master = branch "master" in workspace1 "us-west-1" {
    consumes {
      event-src = coffee-shop-foundation.master.bus-src.ev-src on_change ignore
      eks-api: url = eks.main.cluster-endpoint
                 default "https://example.eks.amazonaws.com"     // placeholder until produced
                 on_change approve("arn:aws:iam::590184031795:role/release-managers")
    }
    produces { api: url { schema-url: schema s3artifact } }
  }
  enver v1 = tag "v1.0.0" in workspace1 "us-west-1"
}
clone feature-x of orders.master = branch "feature-x"
"""


def test_spec_example_parses() -> None:
    tree, diagnostics = parse("spec.odmd", SPEC_EXAMPLE)
    assert diagnostics == []
    org, build, clone = tree.items
    assert isinstance(org, ast.Org) and org.name.text == "sandbox"
    assert [a.name.text for a in org.accounts] == ["central", "workspace1"]
    assert isinstance(build, ast.Build)
    master, v1 = build.envers
    assert master.revision == ast.Revision(master.revision.span, "branch",
                                           ast.Str(master.revision.value.span, "master"))
    event_src, eks_api = master.consumers
    assert event_src.ref.text == "coffee-shop-foundation.master.bus-src.ev-src"
    assert event_src.reaction is not None and event_src.reaction.kind == "ignore"
    assert eks_api.type is not None and eks_api.type.text == "url"
    assert isinstance(eks_api.default, ast.Str)
    assert eks_api.reaction is not None and eks_api.reaction.kind == "approve"
    assert [r.value for r in eks_api.reaction.roles] == [
        "arn:aws:iam::590184031795:role/release-managers"
    ]
    (api,) = master.products
    assert api.children[0].s3artifact and api.children[0].type.text == "schema"
    assert v1.revision.kind == "tag" and v1.body == ()
    assert isinstance(clone, ast.Clone) and clone.origin.text == "master"
    assert [c.text for c in tree.comments] == ["// placeholder until produced"]
    # spans: the consumer covers its three lines, 1-based columns
    assert (eks_api.span.line, eks_api.span.end_line) == (13, 15)
    assert eks_api.name.span.column == 7
