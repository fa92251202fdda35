"""``python -m workbench.cli``: the ``workbench`` command."""

import sys

from workbench.cli.commands import main

sys.exit(main())
