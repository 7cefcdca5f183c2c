"""lakelint: policy checks for AWS data-lake configurations.

One set of checks runs on two sources: CloudFormation templates on disk and a live AWS account.
"""

__version__ = "0.1.0"
