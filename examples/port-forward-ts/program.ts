import * as pulumi from "@pulumi/pulumi";
import * as wgforward from "@wgforward/wgforward";

/**
 * Safe port forwarding: client (A) -> WireGuard -> relay (B) -> DNAT -> target (C).
 *
 * After `pulumi up`, `ssh -p 8888 <relayTunnelIp>` on the client lands on the target. The
 * program of examples/port-forward-yaml, in TypeScript: the same configuration keys, the same
 * resource and the same stack outputs (the object it returns).
 */
export async function portForward() {
    const config = new pulumi.Config();

    // wgforward logs in to both hosts over SSH. The private key is a secret: it stays encrypted
    // in the stack's configuration and state.
    const sshUser = config.get("sshUser") ?? "root";
    const sshPrivateKey = config.requireSecret("sshPrivateKey");
    const tunnelInterface = config.get("tunnelInterface") ?? "wgf0";

    const forward = new wgforward.PortForward("forward", {
        // B, the relay: a host the client can reach. `endpoint` is the address the client's
        // WireGuard dials; the host key pins the SSH server, so no other machine can stand in.
        relay: {
            connection: {
                host: config.require("relayHost"),
                port: config.getNumber("relayPort") ?? 22,
                user: sshUser,
                privateKey: sshPrivateKey,
                hostKey: config.require("relayHostKey"),
            },
            endpoint: config.require("relayEndpoint"),
            // Each tunnel on a host needs its own interface, UDP port and address range.
            interfaceName: tunnelInterface,
            listenPort: config.getNumber("listenPort") ?? 51820,
            address: config.get("relayTunnelAddress") ?? "10.77.42.1/24",
        },
        // A, the client: where you will run `ssh -p 8888 <relayTunnelIp>`.
        client: {
            connection: {
                host: config.require("clientHost"),
                port: config.getNumber("clientPort") ?? 22,
                user: sshUser,
                privateKey: sshPrivateKey,
                hostKey: config.require("clientHostKey"),
            },
            interfaceName: tunnelInterface,
            address: config.get("clientTunnelAddress") ?? "10.77.42.2",
        },
        // C, the target: a port of the relay's tunnel address forwards to targetHost:targetPort,
        // and only for packets that came through the tunnel.
        forwards: [{
            port: config.getNumber("forwardPort") ?? 8888,
            targetHost: config.require("targetHost"),
            targetPort: config.getNumber("targetPort") ?? 22,
        }],
    });

    return {
        relayTunnelIp: forward.relayTunnelIp,
        clientTunnelIp: forward.clientTunnelIp,
        relayPublicKey: forward.relayPublicKey,
        clientPublicKey: forward.clientPublicKey,
        accessPoints: forward.accessPoints,
        // A complete wg-quick file for the client; a secret, as it holds the client's private key.
        clientConfig: forward.clientConfig,
    };
}
