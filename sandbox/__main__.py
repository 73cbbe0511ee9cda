"""``python -m sandbox`` runs the same CLI as ``potato-sandbox``."""

from sandbox.cli import main

raise SystemExit(main())
