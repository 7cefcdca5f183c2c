"""lakelint's built-in checks: one module per check, discovered by walking this folder."""
