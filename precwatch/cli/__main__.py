"""`python -m precwatch.cli`: the same as the `precwatch` command."""

from precwatch.cli import main

main()
