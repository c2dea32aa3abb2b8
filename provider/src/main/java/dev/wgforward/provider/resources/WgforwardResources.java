package dev.wgforward.provider.resources;

import dev.wgforward.provider.framework.Registry;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.host.ssh.SshConnector;

/** Every resource type wgforward serves, wired into one registry. */
public final class WgforwardResources {
    private WgforwardResources() {}

    public static Registry registry(Schema schema, SshConnector ssh) {
        return new Registry(schema)
                .add(new KeyPair())
                .add(new WireGuardInterface(ssh))
                .add(new ForwardRules(ssh))
                .add(new FirewallOpening(ssh))
                .add(new TunnelAddresses())
                .add(new PortForward())
                .add(new TunnelStatus(ssh));
    }
}
