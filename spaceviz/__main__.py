"""`python -m spaceviz`: the command line (see spaceviz.cli)."""

import sys

from spaceviz.cli import main

sys.exit(main())
