"""The ``rossim`` command. Each sub-command lives in its own module here and exposes
``register(subparsers)``; :mod:`rossim.cli.main` discovers them."""
