"""The `aelint` command and `python -m aelint`: SIGINT is handled before anything heavy is imported."""

from aelint.output import interrupts_end_cleanly


def run() -> None:
    with interrupts_end_cleanly():
        from aelint.cli import main

        main()


if __name__ == "__main__":
    run()
