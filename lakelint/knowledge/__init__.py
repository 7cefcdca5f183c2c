"""What lakelint knows about AWS that several checks share: the IAM policy model, KMS key references,
password rules, service facts and S3 locations. Checks import it; it never imports a source."""
