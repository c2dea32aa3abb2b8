package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.host.Ipv6Text;
import java.util.Objects;

/**
 * One forward: connections that come through the tunnel to the relay's tunnel address on {@code
 * port}/{@code protocol} go on to {@code targetHost:targetPort}.
 *
 * @param port the port on the relay's tunnel address, 1 to 65535
 * @param protocol tcp or udp
 * @param targetHost the IPv4 or IPv6 address of the target, as the relay reaches it (a unicast
 *     address: {@link Validators#forwardTargetHost}, {@link Ipv6Text#notUnicast}); an IPv6 address is
 *     kept in canonical text (RFC 5952), as nft and ip print it. The target's family is the
 *     forward's: an IPv6 forward listens on the relay's tunnel IPv6 address.
 * @param targetPort the port on the target, 1 to 65535
 */
public record Forward(int port, Protocol protocol, String targetHost, int targetPort) {

    public Forward {
        Objects.requireNonNull(protocol, "protocol");
        Validators.port(port).ifPresent(reason -> reject("forward port " + reason));
        if (Ipv6Text.isIpv6(targetHost)) {
            Validators.ipv6(targetHost).ifPresent(reason -> reject("forward target host " + reason));
            targetHost = Ipv6Text.canonical(targetHost);
            String canonical = targetHost;
            Ipv6Text.notUnicast(canonical).ifPresent(why -> reject("forward target host must be the unicast address of a host the"
                    + " relay reaches over its network, such as 2001:db8:200::2, but " + canonical + " is " + why));
        } else {
            Validators.forwardTargetHost(targetHost).ifPresent(reason -> reject("forward target host " + reason));
        }
        Validators.port(targetPort).ifPresent(reason -> reject("forward target port " + reason));
    }

    public ForwardKey key() {
        return new ForwardKey(port, protocol);
    }

    /** Whether the target (and so the forward) is IPv6. */
    public boolean isIpv6() {
        return Ipv6Text.isIpv6(targetHost);
    }

    /**
     * The target as DNAT rules name it and {@link FirewallState#dnatTarget} reads it back: {@code
     * 10.200.0.2:22}, or {@code [2001:db8:200::2]:22} for an IPv6 target.
     */
    public String target() {
        return (isIpv6() ? "[" + targetHost + "]" : targetHost) + ":" + targetPort;
    }

    /** {@code 8888/tcp -> 10.200.0.2:22}, {@code 8888/tcp -> [2001:db8:200::2]:22}. */
    @Override
    public String toString() {
        return key() + " -> " + target();
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
