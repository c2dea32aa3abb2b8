package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.host.Ipv6Text;
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
 * @param relayTunnelIp6 the relay's IPv6 address on the tunnel (where IPv6 forwards listen), in
 *     canonical text; null for an IPv4-only tunnel, which then has no client IPv6 addresses and no
 *     IPv6 forwards. With it the relay gets IPv6 rules too (nftables {@code table ip6}, ip6tables),
 *     whose isolation drop keeps the tunnel's IPv6 traffic from being forwarded anywhere else.
 * @param clients each client's tunnel address and its forwards; only packets from a client's
 *     address use its forwards. A client's forwards may be empty (then every forwarded packet from
 *     it is dropped)
 * @param hub whether the rules are keyed by client (tags name the client's address): a relay with
 *     a {@code clients} list. A single client's rules keep tags without the address.
 */
public record ForwardRuleset(String tunnelInterface, String relayTunnelIp, String relayTunnelIp6, List<ClientForwards> clients,
        boolean hub) {

    /**
     * One client's tunnel addresses and forwards.
     *
     * @param tunnelIp6 the client's IPv6 tunnel address (canonical text), present exactly when the
     *     relay has one; IPv6 forwards accept packets from this address only
     */
    public record ClientForwards(String tunnelIp, String tunnelIp6, List<Forward> forwards) {
        public ClientForwards {
            forwards = List.copyOf(forwards);
            if (tunnelIp6 != null) {
                Validators.ipv6(tunnelIp6).ifPresent(reason -> reject("client tunnel IPv6 address " + reason));
                tunnelIp6 = Ipv6Text.canonical(tunnelIp6);
            }
        }

        /** An IPv4-only client. */
        public ClientForwards(String tunnelIp, List<Forward> forwards) {
            this(tunnelIp, null, forwards);
        }
    }

    /**
     * One forward of one client, as the rules are written. The key (and so the tags) names the
     * client by its IPv4 tunnel address in either family: one forward per port and protocol per
     * client, whatever the target's family.
     */
    public record Entry(String clientTunnelIp, String clientTunnelIp6, Forward forward, boolean hub) {
        public Entry(String clientTunnelIp, Forward forward, boolean hub) {
            this(clientTunnelIp, null, forward, hub);
        }

        public ForwardKey key() {
            return new ForwardKey(forward.port(), forward.protocol(), hub ? clientTunnelIp : null);
        }

        /** The client's address in the forward's family: where its packets come from. */
        public String clientAddress() {
            return forward.isIpv6() ? clientTunnelIp6 : clientTunnelIp;
        }

        @Override
        public String toString() {
            return key() + " -> " + forward.target();
        }
    }

    public ForwardRuleset {
        clients = List.copyOf(clients);
        Validators.interfaceName(tunnelInterface).ifPresent(reason -> reject("tunnel interface " + reason));
        Validators.tunnelIp(relayTunnelIp).ifPresent(reason -> reject("relay tunnel address " + reason));
        if (relayTunnelIp6 != null) {
            Validators.ipv6(relayTunnelIp6).ifPresent(reason -> reject("relay tunnel IPv6 address " + reason));
            relayTunnelIp6 = Ipv6Text.canonical(relayTunnelIp6);
            String relay6 = relayTunnelIp6;
            Ipv6Text.notUnicast(relay6).ifPresent(why -> reject("relay tunnel IPv6 address must be a unicast address such as"
                    + " fd77:42::1, but " + relay6 + " is " + why));
        }
        if (clients.isEmpty()) {
            reject("needs at least one client");
        }
        if (!hub && clients.size() != 1) {
            reject("rules not keyed by client are for exactly one client, got " + clients.size());
        }
        Set<String> addresses = new HashSet<>();
        Set<String> addresses6 = new HashSet<>();
        for (ClientForwards client : clients) {
            String clientTunnelIp = client.tunnelIp();
            Validators.tunnelIp(clientTunnelIp).ifPresent(reason -> reject("client tunnel address " + reason));
            Validators.clientTunnelIpBesides(clientTunnelIp, relayTunnelIp, "the relay tunnel address")
                    .ifPresent(reason -> reject("client tunnel address " + reason));
            if (!addresses.add(clientTunnelIp)) {
                reject("two clients have the tunnel address " + clientTunnelIp);
            }
            String clientTunnelIp6 = client.tunnelIp6();
            if ((clientTunnelIp6 == null) != (relayTunnelIp6 == null)) {
                reject(relayTunnelIp6 == null
                        ? "client " + clientTunnelIp + " has a tunnel IPv6 address (" + clientTunnelIp6 + ") but the relay has none:"
                                + " an IPv4-only tunnel has no IPv6 addresses"
                        : "client " + clientTunnelIp + " has no tunnel IPv6 address, but the tunnel has IPv6 (relay " + relayTunnelIp6
                                + "): every client of a dual-stack tunnel needs one");
            }
            if (clientTunnelIp6 != null) {
                Validators.clientTunnelIpBesides(clientTunnelIp6, relayTunnelIp6, "the relay tunnel IPv6 address")
                        .ifPresent(reason -> reject("client tunnel IPv6 address " + reason));
                if (!addresses6.add(clientTunnelIp6)) {
                    reject("two clients have the tunnel IPv6 address " + clientTunnelIp6);
                }
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
                if (forward.isIpv6()) {
                    if (relayTunnelIp6 == null) {
                        reject("forward " + forward + " targets an IPv6 address, but the tunnel has no IPv6 address to listen on"
                                + " (the relay's tunnel IPv6 address is missing)");
                    }
                    Validators.forwardTargetIsNotATunnelAddress(target, relayTunnelIp6, client.tunnelIp6())
                            .ifPresent(reason -> reject("forward " + forward.key() + " target host " + reason));
                    if (addresses6.contains(target)) {
                        reject("forward " + forward.key() + " target host " + target + " is a client's tunnel IPv6 address");
                    }
                } else {
                    Validators.forwardTargetIsNotATunnelAddress(target, relayTunnelIp, client.tunnelIp())
                            .ifPresent(reason -> reject("forward " + forward.key() + " target host " + reason));
                    if (addresses.contains(target)) {
                        reject("forward " + forward.key() + " target host " + target + " is a client's tunnel address");
                    }
                }
            }
        }
    }

    /** An IPv4-only tunnel's rules (the form from before IPv6). */
    public ForwardRuleset(String tunnelInterface, String relayTunnelIp, List<ClientForwards> clients, boolean hub) {
        this(tunnelInterface, relayTunnelIp, null, clients, hub);
    }

    /** A single client's rules (tags without the client's address), IPv4-only. */
    public ForwardRuleset(String tunnelInterface, String relayTunnelIp, String clientTunnelIp, List<Forward> forwards) {
        this(tunnelInterface, relayTunnelIp, null, List.of(new ClientForwards(clientTunnelIp, forwards)), false);
    }

    /** A single client's rules on a tunnel that may have IPv6 (both IPv6 addresses null for IPv4-only). */
    public ForwardRuleset(String tunnelInterface, String relayTunnelIp, String relayTunnelIp6, String clientTunnelIp,
            String clientTunnelIp6, List<Forward> forwards) {
        this(tunnelInterface, relayTunnelIp, relayTunnelIp6, List.of(new ClientForwards(clientTunnelIp, clientTunnelIp6, forwards)),
                false);
    }

    /** Whether the tunnel has IPv6: then the relay has IPv6 rules too (at least the isolation drop). */
    public boolean hasIpv6() {
        return relayTunnelIp6 != null;
    }

    /** Whether any forward targets IPv6: then the relay must forward IPv6. */
    public boolean hasIpv6Forwards() {
        return entries().stream().anyMatch(entry -> entry.forward().isIpv6());
    }

    /** Every client's forwards, client by client. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (ClientForwards client : clients) {
            for (Forward forward : client.forwards()) {
                entries.add(new Entry(client.tunnelIp(), client.tunnelIp6(), forward, hub));
            }
        }
        return entries;
    }

    /** The entries of one family: IPv6 forwards, or IPv4 ones. */
    public List<Entry> entries(boolean ipv6) {
        return entries().stream().filter(entry -> entry.forward().isIpv6() == ipv6).toList();
    }

    /** The same rules as seen by one client: what the forward-path check walks for that client's packets. */
    public ForwardRuleset forClient(ClientForwards client) {
        return new ForwardRuleset(tunnelInterface, relayTunnelIp, relayTunnelIp6, List.of(client), hub);
    }

    /** The first client's tunnel address: the only one, unless this is a hub. */
    public String clientTunnelIp() {
        return clients.get(0).tunnelIp();
    }

    /** The first client's tunnel IPv6 address (null on an IPv4-only tunnel). */
    public String clientTunnelIp6() {
        return clients.get(0).tunnelIp6();
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
