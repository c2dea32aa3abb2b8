package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the relay needs to forward for one tunnel interface. Applying it replaces whatever
 * wgforward had for that interface before, so it always lists all of the interface's forwards.
 *
 * @param tunnelInterface the relay's WireGuard interface, e.g. {@code wgf0}
 * @param relayTunnelIp the relay's address on the tunnel, the one the clients connect to
 * @param clients each client's tunnel address and its forwards; only packets from a client's
 *     address use its forwards. A client's forwards may be empty (then every forwarded packet from
 *     it is dropped)
 * @param hub whether the rules are keyed by client (tags name the client's address): a relay with
 *     a {@code clients} list. A single client's rules keep tags without the address.
 */
public record ForwardRuleset(String tunnelInterface, String relayTunnelIp, List<ClientForwards> clients, boolean hub) {

    /** One client's tunnel address and forwards. */
    public record ClientForwards(String tunnelIp, List<Forward> forwards) {
        public ClientForwards {
            forwards = List.copyOf(forwards);
        }
    }

    /** One forward of one client, as the rules are written. */
    public record Entry(String clientTunnelIp, Forward forward, boolean hub) {
        public ForwardKey key() {
            return new ForwardKey(forward.port(), forward.protocol(), hub ? clientTunnelIp : null);
        }

        @Override
        public String toString() {
            return key() + " -> " + forward.targetHost() + ":" + forward.targetPort();
        }
    }

    public ForwardRuleset {
        clients = List.copyOf(clients);
        Validators.interfaceName(tunnelInterface).ifPresent(reason -> reject("tunnel interface " + reason));
        Validators.tunnelIp(relayTunnelIp).ifPresent(reason -> reject("relay tunnel address " + reason));
        if (clients.isEmpty()) {
            reject("needs at least one client");
        }
        if (!hub && clients.size() != 1) {
            reject("rules not keyed by client are for exactly one client, got " + clients.size());
        }
        Set<String> addresses = new HashSet<>();
        for (ClientForwards client : clients) {
            String clientTunnelIp = client.tunnelIp();
            Validators.tunnelIp(clientTunnelIp).ifPresent(reason -> reject("client tunnel address " + reason));
            Validators.clientTunnelIpBesides(clientTunnelIp, relayTunnelIp, "the relay tunnel address")
                    .ifPresent(reason -> reject("client tunnel address " + reason));
            if (!addresses.add(clientTunnelIp)) {
                reject("two clients have the tunnel address " + clientTunnelIp);
            }
        }
        for (ClientForwards client : clients) {
            Set<ForwardKey> seen = new HashSet<>();
            for (Forward forward : client.forwards()) {
                Objects.requireNonNull(forward, "forward");
                if (!seen.add(forward.key())) {
                    reject("only one forward per port and protocol is possible, but " + forward.key() + " appears twice");
                }
                String target = forward.targetHost();
                Validators.forwardTargetIsNotATunnelAddress(target, relayTunnelIp, client.tunnelIp())
                        .ifPresent(reason -> reject("forward " + forward.key() + " target host " + reason));
                if (addresses.contains(target)) {
                    reject("forward " + forward.key() + " target host " + target + " is a client's tunnel address");
                }
            }
        }
    }

    /** A single client's rules (tags without the client's address). */
    public ForwardRuleset(String tunnelInterface, String relayTunnelIp, String clientTunnelIp, List<Forward> forwards) {
        this(tunnelInterface, relayTunnelIp, List.of(new ClientForwards(clientTunnelIp, forwards)), false);
    }

    /** Every client's forwards, client by client. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (ClientForwards client : clients) {
            for (Forward forward : client.forwards()) {
                entries.add(new Entry(client.tunnelIp(), forward, hub));
            }
        }
        return entries;
    }

    /** The same rules as seen by one client: what the forward-path check walks for that client's packets. */
    public ForwardRuleset forClient(ClientForwards client) {
        return new ForwardRuleset(tunnelInterface, relayTunnelIp, List.of(client), hub);
    }

    /** The first client's tunnel address: the only one, unless this is a hub. */
    public String clientTunnelIp() {
        return clients.get(0).tunnelIp();
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
