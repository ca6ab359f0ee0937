"""``python -m vault_renderer.check``: see :mod:`vault_renderer.check.cli`."""

import sys

from vault_renderer.check.cli import main

sys.exit(main())
