package hub;

import com.pulumi.Config;
import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import com.wgforward.wgforward.PortForward;
import com.wgforward.wgforward.PortForwardArgs;
import com.wgforward.wgforward.inputs.ConnectionArgs;
import com.wgforward.wgforward.inputs.ForwardArgs;
import com.wgforward.wgforward.inputs.HubClientArgs;
import com.wgforward.wgforward.inputs.RelayArgs;

/**
 * One relay, many clients: the program of {@code examples/port-forward-hub-yaml}, in Java (the
 * same configuration keys, resource and stack outputs). The laptop and the desktop are managed
 * over SSH; the phone is not: its wg-quick file and QR code come out as secret outputs.
 */
public final class App {

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    static void stack(Context ctx) {
        Config config = ctx.config();
        String sshUser = config.get("sshUser").orElse("root");
        Output<String> sshPrivateKey = config.requireSecret("sshPrivateKey");
        String targetHost = config.require("targetHost");

        RelayArgs relay = RelayArgs.builder()
                .connection(connection(config, "relay", sshUser, sshPrivateKey))
                .endpoint(config.require("relayEndpoint"))
                .build();

        HubClientArgs laptop = HubClientArgs.builder()
                .name("laptop")
                .connection(connection(config, "laptop", sshUser, sshPrivateKey))
                .forwards(ForwardArgs.builder().port(8888).targetHost(targetHost).targetPort(22).build())
                .build();
        // The same port of the relay's tunnel address as the laptop's, to another target.
        HubClientArgs desktop = HubClientArgs.builder()
                .name("desktop")
                .connection(connection(config, "desktop", sshUser, sshPrivateKey))
                .forwards(ForwardArgs.builder().port(8888).targetHost(targetHost).targetPort(7001).build())
                .build();
        // No connection: nothing is installed on the phone; scan its QR code in the WireGuard app.
        HubClientArgs phone = HubClientArgs.builder()
                .name("phone")
                .forwards(ForwardArgs.builder().port(8080).targetHost(targetHost).targetPort(7002).build())
                .build();

        PortForward hub = new PortForward("hub", PortForwardArgs.builder()
                .relay(relay)
                .clients(laptop, desktop, phone)
                .build());

        ctx.export("relayTunnelIp", hub.relayTunnelIp());
        ctx.export("relayPublicKey", hub.relayPublicKey());
        ctx.export("accessPoints", hub.accessPoints());
        ctx.export("clientTunnelIps", hub.clientTunnelIps());
        ctx.export("clientPublicKeys", hub.clientPublicKeys());
        // Secrets: they hold the clients' private keys.
        ctx.export("clientConfigs", hub.clientConfigs());
        ctx.export("clientQrCodes", hub.clientQrCodes());
    }

    /** The SSH connection to host {@code name} ({@code <name>Host}, {@code <name>Port}, {@code <name>HostKey}). */
    private static ConnectionArgs connection(Config config, String name, String user, Output<String> privateKey) {
        return ConnectionArgs.builder()
                .host(config.require(name + "Host"))
                .port(config.getInteger(name + "Port").orElse(22))
                .user(user)
                .privateKey(privateKey)
                .hostKey(config.require(name + "HostKey"))
                .build();
    }
}
