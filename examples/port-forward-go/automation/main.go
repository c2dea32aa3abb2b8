// Command automation runs the program without a language host: the Automation API's inline
// program runs in this process and hands the engine its address, so only the `pulumi` CLI is
// needed on PATH. The project (Pulumi.yaml) and the stack's configuration are those of the
// working directory.
//
//	go run ./automation STACK preview|up|refresh|destroy [--expect-no-changes]
package main

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/wgforward/wgforward/examples/port-forward-go/portforward"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: automation STACK preview|up|refresh|destroy [--expect-no-changes]")
	}
	stackName, operation := args[0], args[1]
	expectNoChanges := slices.Contains(args[2:], "--expect-no-changes")
	workDir, err := os.Getwd()
	if err != nil {
		return err
	}
	stack, err := auto.SelectStackInlineSource(ctx, stackName, "wgforward-port-forward-go", portforward.Program,
		auto.WorkDir(workDir))
	if err != nil {
		return err
	}
	switch operation {
	case "preview":
		opts := []optpreview.Option{optpreview.ProgressStreams(os.Stdout)}
		if expectNoChanges {
			opts = append(opts, optpreview.ExpectNoChanges())
		}
		_, err = stack.Preview(ctx, opts...)
	case "up":
		opts := []optup.Option{optup.ProgressStreams(os.Stdout)}
		if expectNoChanges {
			opts = append(opts, optup.ExpectNoChanges())
		}
		_, err = stack.Up(ctx, opts...)
	case "refresh":
		opts := []optrefresh.Option{optrefresh.ProgressStreams(os.Stdout)}
		if expectNoChanges {
			opts = append(opts, optrefresh.ExpectNoChanges())
		}
		_, err = stack.Refresh(ctx, opts...)
	case "destroy":
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
	default:
		return fmt.Errorf("unknown operation %s: preview, up, refresh or destroy", operation)
	}
	return err
}
