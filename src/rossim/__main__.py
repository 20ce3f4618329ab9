"""``python -m rossim ARGS``: the ``rossim`` command (:func:`rossim.cli.main.main`), for
environments where the console script is not on ``PATH``; entered, as the console script is,
through ``_rossim_entry`` (a Ctrl-C while the command is imported is one line, exit 130; the
package's own ``__init__``, run before this file, is kept light for it)."""

import sys

from _rossim_entry import main

if __name__ == "__main__":
    sys.exit(main())
