import sys

from xl766.cli import main

sys.exit(main())
