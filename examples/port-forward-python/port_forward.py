"""Safe port forwarding: client (A) -> WireGuard -> relay (B) -> DNAT -> target (C).

After `pulumi up`, `ssh -p 8888 <relayTunnelIp>` on the client lands on the target. The program
of examples/port-forward-yaml, in Python: the same configuration keys, the same resource and the
same stack outputs.
"""

import pulumi
import pulumi_wgforward as wgforward


def port_forward() -> None:
    config = pulumi.Config()

    # wgforward logs in to both hosts over SSH. The private key is a secret: it stays encrypted
    # in the stack's configuration and state.
    ssh_user = config.get("sshUser") or "root"
    ssh_private_key = config.require_secret("sshPrivateKey")
    tunnel_interface = config.get("tunnelInterface") or "wgf0"

    forward = wgforward.PortForward(
        "forward",
        # B, the relay: a host the client can reach. `endpoint` is the address the client's
        # WireGuard dials; the host key pins the SSH server, so no other machine can stand in.
        relay=wgforward.RelayArgs(
            connection=wgforward.ConnectionArgs(
                host=config.require("relayHost"),
                port=config.get_int("relayPort") or 22,
                user=ssh_user,
                private_key=ssh_private_key,
                host_key=config.require("relayHostKey"),
            ),
            endpoint=config.require("relayEndpoint"),
            # Each tunnel on a host needs its own interface, UDP port and address range.
            interface_name=tunnel_interface,
            listen_port=config.get_int("listenPort") or 51820,
            address=config.get("relayTunnelAddress") or "10.77.42.1/24",
        ),
        # A, the client: where you will run `ssh -p 8888 <relayTunnelIp>`.
        client=wgforward.ClientArgs(
            connection=wgforward.ConnectionArgs(
                host=config.require("clientHost"),
                port=config.get_int("clientPort") or 22,
                user=ssh_user,
                private_key=ssh_private_key,
                host_key=config.require("clientHostKey"),
            ),
            interface_name=tunnel_interface,
            address=config.get("clientTunnelAddress") or "10.77.42.2",
        ),
        # C, the target: a port of the relay's tunnel address forwards to targetHost:targetPort,
        # and only for packets that came through the tunnel.
        forwards=[
            wgforward.ForwardArgs(
                port=config.get_int("forwardPort") or 8888,
                target_host=config.require("targetHost"),
                target_port=config.get_int("targetPort") or 22,
            )
        ],
    )

    pulumi.export("relayTunnelIp", forward.relay_tunnel_ip)
    pulumi.export("clientTunnelIp", forward.client_tunnel_ip)
    pulumi.export("relayPublicKey", forward.relay_public_key)
    pulumi.export("clientPublicKey", forward.client_public_key)
    pulumi.export("accessPoints", forward.access_points)
    # A complete wg-quick file for the client; a secret, as it holds the client's private key.
    pulumi.export("clientConfig", forward.client_config)
