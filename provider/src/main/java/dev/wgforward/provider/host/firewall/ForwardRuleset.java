package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the relay needs to forward for one tunnel interface. Applying it replaces whatever
 * wgforward had for that interface before, so it always lists all of the interface's forwards.
 *
 * @param tunnelInterface the relay's WireGuard interface, e.g. {@code wgf0}
 * @param relayTunnelIp the relay's address on the tunnel, the one the client connects to
 * @param clientTunnelIp the client's address on the tunnel; only packets from it are forwarded
 * @param forwards the forwards, at most one per port and protocol; may be empty (then every
 *     forwarded packet from the tunnel is dropped)
 */
public record ForwardRuleset(String tunnelInterface, String relayTunnelIp, String clientTunnelIp, List<Forward> forwards) {

    public ForwardRuleset {
        forwards = List.copyOf(forwards);
        Validators.interfaceName(tunnelInterface).ifPresent(reason -> reject("tunnel interface " + reason));
        Validators.tunnelIp(relayTunnelIp).ifPresent(reason -> reject("relay tunnel address " + reason));
        Validators.tunnelIp(clientTunnelIp).ifPresent(reason -> reject("client tunnel address " + reason));
        Validators.clientTunnelIpBesides(clientTunnelIp, relayTunnelIp, "the relay tunnel address").ifPresent(reason -> reject("client tunnel address " + reason));
        Set<ForwardKey> seen = new HashSet<>();
        for (Forward forward : forwards) {
            Objects.requireNonNull(forward, "forward");
            if (!seen.add(forward.key())) {
                reject("only one forward per port and protocol is possible, but " + forward.key() + " appears twice");
            }
            Validators.forwardTargetIsNotATunnelAddress(forward.targetHost(), relayTunnelIp, clientTunnelIp)
                    .ifPresent(reason -> reject("forward " + forward.key() + " target host " + reason));
        }
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
