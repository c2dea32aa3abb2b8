package portforward;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.wgforward.wgforward.PortForward;
import com.wgforward.wgforward.PortForwardArgs;
import com.wgforward.wgforward.inputs.ClientArgs;
import com.wgforward.wgforward.inputs.ConnectionArgs;
import com.wgforward.wgforward.inputs.ForwardArgs;
import com.wgforward.wgforward.inputs.RelayArgs;

/**
 * Safe port forwarding: client (A) -> WireGuard -> relay (B) -> DNAT -> target (C).
 *
 * <p>After {@code pulumi up}, {@code ssh -p 8888 <relayTunnelIp>} on the client lands on the
 * target. This is the program of {@code examples/port-forward-yaml}, in Java: the same
 * configuration keys, the same resource and the same stack outputs.
 */
public final class App {

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    static void stack(Context ctx) {
        Config config = ctx.config();

        // wgforward logs in to both hosts over SSH. The private key is a secret: it stays
        // encrypted in the stack's configuration and state.
        String sshUser = config.get("sshUser").orElse("root");
        Output<String> sshPrivateKey = config.requireSecret("sshPrivateKey");

        // B, the relay: a host the client can reach. `endpoint` is the address the client's
        // WireGuard dials; the host key pins the SSH server, so no other machine can stand in.
        RelayArgs relay = RelayArgs.builder()
                .connection(ConnectionArgs.builder()
                        .host(config.require("relayHost"))
                        .port(config.getInteger("relayPort").orElse(22))
                        .user(sshUser)
                        .privateKey(sshPrivateKey)
                        .hostKey(config.require("relayHostKey"))
                        .build())
                .endpoint(config.require("relayEndpoint"))
                // Each tunnel on a host needs its own interface, UDP port and address range.
                .interfaceName(config.get("tunnelInterface").orElse("wgf0"))
                .listenPort(config.getInteger("listenPort").orElse(51820))
                .address(config.get("relayTunnelAddress").orElse("10.77.42.1/24"))
                .build();

        // A, the client: where you will run `ssh -p 8888 <relayTunnelIp>`.
        ClientArgs client = ClientArgs.builder()
                .connection(ConnectionArgs.builder()
                        .host(config.require("clientHost"))
                        .port(config.getInteger("clientPort").orElse(22))
                        .user(sshUser)
                        .privateKey(sshPrivateKey)
                        .hostKey(config.require("clientHostKey"))
                        .build())
                .interfaceName(config.get("tunnelInterface").orElse("wgf0"))
                .address(config.get("clientTunnelAddress").orElse("10.77.42.2"))
                .build();

        // C, the target: a port of the relay's tunnel address forwards to targetHost:targetPort,
        // and only for packets that came through the tunnel.
        ForwardArgs toTarget = ForwardArgs.builder()
                .port(config.getInteger("forwardPort").orElse(8888))
                .targetHost(config.require("targetHost"))
                .targetPort(config.getInteger("targetPort").orElse(22))
                .build();

        PortForward forward = new PortForward("forward", PortForwardArgs.builder()
                .relay(relay)
                .client(client)
                .forwards(toTarget)
                // Change it to give both ends new keys in one `pulumi up`; empty keeps the first ones.
                .keyRotation(config.get("keyRotation").orElse(""))
                .build());

        ctx.export("relayTunnelIp", forward.relayTunnelIp());
        ctx.export("clientTunnelIp", forward.clientTunnelIp());
        ctx.export("relayPublicKey", forward.relayPublicKey());
        ctx.export("clientPublicKey", forward.clientPublicKey());
        ctx.export("accessPoints", forward.accessPoints());
        // A complete wg-quick file for the client; a secret, as it holds the client's private key.
        ctx.export("clientConfig", forward.clientConfig());
    }
}
