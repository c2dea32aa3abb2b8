package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.Objects;

/**
 * What identifies a forward on a tunnel: the relay port and protocol. At most one forward per key,
 * since the kernel can send one port/protocol of an address to one place only.
 */
public record ForwardKey(int port, Protocol protocol) {

    public ForwardKey {
        Objects.requireNonNull(protocol, "protocol");
        Validators.port(port).ifPresent(reason -> {
            throw new IllegalArgumentException("port " + reason);
        });
    }

    /** {@code 8888/tcp}, the form used in rule tags. */
    @Override
    public String toString() {
        return port + "/" + protocol.keyword();
    }
}
