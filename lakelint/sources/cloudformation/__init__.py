"""The CloudFormation source: find, parse, locate and resolve templates."""
