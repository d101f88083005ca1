"""``python -m pyreasoner``: the same as the ``pyreasoner`` command."""

from .cli import main

raise SystemExit(main())
