"""python -m treatypress: the same as the treatypress command."""

import sys

from .cli import main

sys.exit(main())
