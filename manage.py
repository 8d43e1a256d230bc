#!/usr/bin/env python
"""Same as the `bangfu` console script."""

from bangfu.cli import main

if __name__ == "__main__":
    main()
