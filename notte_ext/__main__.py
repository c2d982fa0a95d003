"""`python -m notte_ext` is the `notte-ext` command line."""

from notte_ext.cli import main

if __name__ == "__main__":
    main()
