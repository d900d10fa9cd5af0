"""`python -m netjournal.cli`: the same as the `netjournal` command."""
import sys

from netjournal.cli import main

if __name__ == "__main__":
    sys.exit(main())
