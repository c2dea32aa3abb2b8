// The program's entry point for `pulumi up` with the go language host.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/wgforward/wgforward/examples/port-forward-go/portforward"
)

func main() {
	pulumi.Run(portforward.Program)
}
