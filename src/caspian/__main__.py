"""Allow ``python -m caspian``."""

from caspian.cli import main

main()
