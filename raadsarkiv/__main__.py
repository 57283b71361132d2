"""`python -m raadsarkiv …`: the same command as `raadsarkiv …`."""

import sys

from .cli import main

sys.exit(main())
