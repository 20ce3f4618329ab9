"""``python -m rossim ARGS``: the ``rossim`` command (:func:`rossim.cli.main.main`), for
environments where the console script is not on ``PATH``."""

import sys

from rossim.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
