"""What every backend that writes AWS artefacts shares: CloudFormation templates and intrinsic
functions (`cfn`), IAM policy documents (`iam`), ARNs (`arns`), service quotas and how AWS
measures policies against them (`quotas`), and private S3 buckets (`s3`). Not a backend: the
backends import it, and it imports no backend."""
