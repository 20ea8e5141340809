"""`python -m checkpoint_spec.catalogue`: see session.py."""

import sys

from .session import main

sys.exit(main())
