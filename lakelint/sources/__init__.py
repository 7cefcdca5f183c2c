"""Sources fill the inventory: CloudFormation templates on disk, or a live AWS account."""
