"""`python -m checkpoint_spec.parity.interop`."""

import sys

from .command import main

sys.exit(main())
