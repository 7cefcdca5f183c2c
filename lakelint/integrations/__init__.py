"""Bridges to other tools: cfn-lint in both directions."""
