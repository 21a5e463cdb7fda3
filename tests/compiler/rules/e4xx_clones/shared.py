"""Contracts the E4xx tests build on (with `tests.helpers.PRELUDE`: org `acme`, accounts
central/workspace1/workspace2, a contracts_lib enver in us-east-1)."""

NETWORK = """
build network : cdk {
  repo = "acme/network"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { vpc-id: string }
  }
  enver v1 = tag "v1.0.0" in workspace1 "us-east-1" {
    produces { vpc-id: string }
  }
}
"""

ORDERS = NETWORK + """
build orders : cdk {
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { vpc-id = network.main.vpc-id }
    produces { api: url { schema-url: schema } }
  }
  enver v1 = tag "v1.0.0" in workspace1 "us-east-1" {
    consumes { vpc-id = network.v1.vpc-id }
  }
}
"""


def clones(origin: str, n: int, prefix: str = "feature") -> str:
    return "".join(f'clone {prefix}-{i} of {origin} = branch "{prefix}-{i}"\n' for i in range(n))
