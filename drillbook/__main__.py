import sys

from drillbook.cli import main

sys.exit(main())
