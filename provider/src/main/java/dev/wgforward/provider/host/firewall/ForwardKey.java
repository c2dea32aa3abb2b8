package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.Objects;

/**
 * What identifies a forward on a tunnel: the relay port and protocol, and on a relay serving
 * several clients (a hub) also the client's tunnel address, since each client may send the same
 * port to a target of its own. At most one forward per key: the kernel can send one port/protocol
 * of an address, from one source, to one place only.
 *
 * @param client the client's tunnel address on a hub's rules; null for a single client's rules
 *     (their tags keep the form they had before hubs existed)
 */
public record ForwardKey(int port, Protocol protocol, String client) {

    public ForwardKey {
        Objects.requireNonNull(protocol, "protocol");
        Validators.port(port).ifPresent(reason -> {
            throw new IllegalArgumentException("port " + reason);
        });
        if (client != null) {
            Validators.tunnelIp(client).ifPresent(reason -> {
                throw new IllegalArgumentException("client tunnel address " + reason);
            });
        }
    }

    public ForwardKey(int port, Protocol protocol) {
        this(port, protocol, null);
    }

    /** {@code 8888/tcp}, or {@code 8888/tcp@10.77.42.2} on a hub: the form used in rule tags. */
    @Override
    public String toString() {
        return port + "/" + protocol.keyword() + (client == null ? "" : "@" + client);
    }
}
