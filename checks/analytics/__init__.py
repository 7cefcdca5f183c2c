"""LL6xx: analytics stores: Redshift (and Serverless), Timestream.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
