"""``python -m leptodx`` runs the command-line interface."""

from leptodx.cli import main

main()
