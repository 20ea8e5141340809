"""`python -m checkpoint_spec.databases -- CMD [ARGS...]`: run CMD against PostgreSQL (see postgres_server)."""

import sys

from .postgres_server import main

sys.exit(main())
