package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.Objects;

/**
 * One forward: connections that come through the tunnel to the relay's tunnel address on {@code
 * port}/{@code protocol} go on to {@code targetHost:targetPort}.
 *
 * @param port the port on the relay's tunnel address, 1 to 65535
 * @param protocol tcp or udp
 * @param targetHost the IPv4 address of the target, as the relay reaches it (a unicast address:
 *     {@link Validators#forwardTargetHost})
 * @param targetPort the port on the target, 1 to 65535
 */
public record Forward(int port, Protocol protocol, String targetHost, int targetPort) {

    public Forward {
        Objects.requireNonNull(protocol, "protocol");
        Validators.port(port).ifPresent(reason -> reject("forward port " + reason));
        Validators.forwardTargetHost(targetHost).ifPresent(reason -> reject("forward target host " + reason));
        Validators.port(targetPort).ifPresent(reason -> reject("forward target port " + reason));
    }

    public ForwardKey key() {
        return new ForwardKey(port, protocol);
    }

    /** {@code 8888/tcp -> 10.200.0.2:22}. */
    @Override
    public String toString() {
        return key() + " -> " + targetHost + ":" + targetPort;
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
