"""lakelint's built-in checks: one module per check, in a folder per area of the code ranges (DESIGN
section 3), discovered by walking the folders. Modules whose name starts with ``_`` are helpers."""
