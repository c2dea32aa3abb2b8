// Package portforward is the program of examples/port-forward-yaml in Go: the same configuration
// keys, the same resource and the same stack outputs.
//
// Safe port forwarding: client (A) -> WireGuard -> relay (B) -> DNAT -> target (C). After
// `pulumi up`, `ssh -p 8888 <relayTunnelIp>` on the client lands on the target.
package portforward

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	"github.com/wgforward/wgforward/sdk/go/wgforward"
)

// Program declares the port forward.
func Program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	// wgforward logs in to both hosts over SSH. The private key is a secret: it stays encrypted
	// in the stack's configuration and state.
	sshUser := or(cfg.Get("sshUser"), "root")
	sshPrivateKey := cfg.RequireSecret("sshPrivateKey")
	tunnelInterface := or(cfg.Get("tunnelInterface"), "wgf0")

	forward, err := wgforward.NewPortForward(ctx, "forward", &wgforward.PortForwardArgs{
		// B, the relay: a host the client can reach. `endpoint` is the address the client's
		// WireGuard dials; the host key pins the SSH server, so no other machine can stand in.
		Relay: &wgforward.RelayArgs{
			Connection: &wgforward.ConnectionArgs{
				Host:       pulumi.String(cfg.Require("relayHost")),
				Port:       pulumi.Int(orInt(cfg.GetInt("relayPort"), 22)),
				User:       pulumi.String(sshUser),
				PrivateKey: sshPrivateKey,
				HostKey:    pulumi.String(cfg.Require("relayHostKey")),
			},
			Endpoint: pulumi.String(cfg.Require("relayEndpoint")),
			// Each tunnel on a host needs its own interface, UDP port and address range.
			InterfaceName: pulumi.String(tunnelInterface),
			ListenPort:    pulumi.Int(orInt(cfg.GetInt("listenPort"), 51820)),
			Address:       pulumi.String(or(cfg.Get("relayTunnelAddress"), "10.77.42.1/24")),
		},
		// A, the client: where you will run `ssh -p 8888 <relayTunnelIp>`.
		Client: &wgforward.ClientArgs{
			Connection: &wgforward.ConnectionArgs{
				Host:       pulumi.String(cfg.Require("clientHost")),
				Port:       pulumi.Int(orInt(cfg.GetInt("clientPort"), 22)),
				User:       pulumi.String(sshUser),
				PrivateKey: sshPrivateKey,
				HostKey:    pulumi.String(cfg.Require("clientHostKey")),
			},
			InterfaceName: pulumi.String(tunnelInterface),
			Address:       pulumi.String(or(cfg.Get("clientTunnelAddress"), "10.77.42.2")),
		},
		// C, the target: a port of the relay's tunnel address forwards to targetHost:targetPort,
		// and only for packets that came through the tunnel.
		Forwards: wgforward.ForwardArray{
			&wgforward.ForwardArgs{
				Port:       pulumi.Int(orInt(cfg.GetInt("forwardPort"), 8888)),
				TargetHost: pulumi.String(cfg.Require("targetHost")),
				TargetPort: pulumi.Int(orInt(cfg.GetInt("targetPort"), 22)),
			},
		},
	})
	if err != nil {
		return err
	}
	ctx.Export("relayTunnelIp", forward.RelayTunnelIp)
	ctx.Export("clientTunnelIp", forward.ClientTunnelIp)
	ctx.Export("relayPublicKey", forward.RelayPublicKey)
	ctx.Export("clientPublicKey", forward.ClientPublicKey)
	ctx.Export("accessPoints", forward.AccessPoints)
	// A complete wg-quick file for the client; a secret, as it holds the client's private key.
	ctx.Export("clientConfig", forward.ClientConfig)
	return nil
}

func or(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func orInt(value, fallback int) int {
	if value == 0 {
		return fallback
	}
	return value
}
