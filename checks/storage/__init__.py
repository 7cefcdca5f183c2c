"""LL4xx: file and block storage: EFS, EBS, FSx for Lustre.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
