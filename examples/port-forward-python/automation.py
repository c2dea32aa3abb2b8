"""Runs port_forward.py without a language host.

The Automation API's inline program runs in this process and hands the engine its address, so
only the `pulumi` CLI is needed on PATH. The project (Pulumi.yaml) and the stack's configuration
are those of the working directory.

    python automation.py STACK preview|up|refresh|destroy [--expect-no-changes]
"""

import os
import sys

from pulumi import automation as auto

from port_forward import port_forward


def main(argv: list[str]) -> None:
    stack_name, operation, *flags = argv
    expect_no_changes = "--expect-no-changes" in flags
    stack = auto.select_stack(
        stack_name=stack_name,
        project_name="wgforward-port-forward-python",
        program=port_forward,
        opts=auto.LocalWorkspaceOptions(work_dir=os.getcwd()),
    )
    on_output = lambda out: print(out, flush=True)  # noqa: E731
    if operation == "preview":
        stack.preview(on_output=on_output, expect_no_changes=expect_no_changes)
    elif operation == "up":
        stack.up(on_output=on_output, expect_no_changes=expect_no_changes)
    elif operation == "refresh":
        stack.refresh(on_output=on_output, expect_no_changes=expect_no_changes)
    elif operation == "destroy":
        stack.destroy(on_output=on_output)
    else:
        raise SystemExit(f"unknown operation {operation}: preview, up, refresh or destroy")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except auto.CommandError as e:
        print(e, file=sys.stderr)
        sys.exit(1)
