"""The properties of every bucket a backend makes (the cloudformation backend's artefact
bucket, the codepipeline backend's pipeline buckets): private, owner-enforced, encrypted with
S3-managed keys and versioned, reachable only over TLS. Only the lifecycle rule differs."""

from __future__ import annotations

from typing import Any

from odmdc.backends.aws.cfn import Json
from odmdc.backends.aws.iam import statement


def private_bucket(name: str, lifecycle_rule: dict[str, Any]) -> dict[str, Any]:
    """`AWS::S3::Bucket` properties for bucket `name`, with one lifecycle rule."""
    return {
        "BucketName": name,
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "LifecycleConfiguration": {"Rules": [{"Status": "Enabled", **lifecycle_rule}]},
    }


def tls_only(bucket_arn: str) -> dict[str, Json]:
    """The bucket policy statement refusing every request that is not over TLS."""
    return statement("TlsOnly", ["s3:*"], [bucket_arn, f"{bucket_arn}/*"], effect="Deny",
                     principal={"AWS": "*"},
                     condition={"Bool": {"aws:SecureTransport": "false"}})
