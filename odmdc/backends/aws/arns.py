"""ARNs of the resources the generated policies name, one formula each."""

from __future__ import annotations


def parameter_arn(partition: str, region: str, account: str, name: str) -> str:
    """A Parameter Store parameter; its name starts with `/`, so the ARN reads `parameter/…`."""
    return f"arn:{partition}:ssm:{region}:{account}:parameter{name}"


def stack_arn(partition: str, region: str, account: str, stack: str) -> str:
    """Every stack of that name, whatever its id."""
    return f"arn:{partition}:cloudformation:{region}:{account}:stack/{stack}/*"


def repository_arn(partition: str, region: str, account: str, repository: str) -> str:
    return f"arn:{partition}:ecr:{region}:{account}:repository/{repository}"


def pipeline_arn(partition: str, region: str, account: str, pipeline: str) -> str:
    return f"arn:{partition}:codepipeline:{region}:{account}:{pipeline}"


def project_arn(partition: str, region: str, account: str, project: str) -> str:
    return f"arn:{partition}:codebuild:{region}:{account}:project/{project}"


def log_group_arn(partition: str, region: str, account: str, group: str) -> str:
    return f"arn:{partition}:logs:{region}:{account}:log-group:{group}:*"


def bucket_arn(partition: str, bucket: str) -> str:
    return f"arn:{partition}:s3:::{bucket}"


def topic_arn(partition: str, region: str, account: str, topic: str) -> str:
    return f"arn:{partition}:sns:{region}:{account}:{topic}"


def secret_arn(partition: str, region: str, account: str, name: str) -> str:
    """Secrets Manager appends `-` and six random characters to a secret's name in its ARN."""
    return f"arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-??????"


def connection_action(connection_arn: str) -> str:
    """`codestar-connections:UseConnection` or `codeconnections:UseConnection`: the action's
    prefix is the service the connection's ARN names."""
    return f"{connection_arn.split(':')[2]}:UseConnection"
