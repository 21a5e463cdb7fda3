"""The properties of every bucket a backend makes (the cloudformation backend's artefact
bucket, the codepipeline backend's pipeline buckets): private, owner-enforced, encrypted with
S3-managed keys and versioned. Only the lifecycle rule differs; both templates add a TLS-only
bucket policy in their own policy helpers."""

from __future__ import annotations

from typing import Any


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
