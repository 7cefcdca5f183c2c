"""Fixes: ``lakelint --fix`` edits templates in place, keeping every comment and the author's layout.

A check that can repair what it reports attaches a fix to its verdict (``fail(..., fix=...)``) and says
in its metadata how safe that fix is (``@check(..., fix="safe" | "unsafe")``, ruff's terms: a safe fix
keeps the stack's behaviour apart from the problem it fixes; an unsafe one may change it, such as a new
encryption key or a replacement of the resource). The fix is an *intent* (intents.py): "set this
property to this value", "make sure this mapping has these keys", "append this item", "add this
resource". The intents are resolved against the file's own text (locate.py finds the nodes with their
exact character offsets) and written in its own style (render.py: indentation, block or flow, quoting,
JSON, line endings) as text edits (edit.py); nothing else of the file changes, comments included.

A fix is only offered where it is safe to guess (intents.py, ``blocked_by``): never under an
``Fn::If``, on a value from a parameter or written as an intrinsic, or on a resource made by
``Fn::ForEach`` or the SAM transform.
After fixing, the file is parsed again and linted again (apply.py): a fix whose finding does not go
away, or that brings a new finding, is not written, and the finding says why.
"""
