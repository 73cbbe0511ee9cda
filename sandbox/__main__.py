"""``python -m sandbox`` runs the same CLI as ``potato-sandbox``."""

from sandbox.cli import main

__all__: list[str] = []

raise SystemExit(main())
