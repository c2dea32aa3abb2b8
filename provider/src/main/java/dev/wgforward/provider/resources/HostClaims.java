package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.check.Ipv6Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.Unknowns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The obvious clash inside one program, caught at preview before any host is contacted: two
 * PortForward components with the same interface name, UDP port or an overlapping address range on
 * the same host. One engine run talks to one plugin process, so the components of one program all
 * register here. (Clashes with other stacks are caught on the host, by the owner marks.)
 */
final class HostClaims {
    private HostClaims() {}

    /** What a component holds on a host, by the host's {@code host:port}. */
    private record Claim(String component, String host, String interfaceName, Integer listenPort, Ipv4Cidr network, Ipv6Cidr network6) {}

    private static final Map<String, List<Claim>> BY_HOST = new ConcurrentHashMap<>();

    /**
     * Records what {@code component} claims on its relay and client (known values only: null is
     * absent or not known yet) and fails, naming the field and the other component, when another
     * component of this run holds it.
     */
    static void claim(String component, PortForward.RelayArgs relay, Unknowns unknowns, PortForward.ClientArgs client) {
        claim(component, relay, unknowns,
                client == null ? List.of() : List.of(new ClientHost(client.connection(), client.interfaceName())));
    }

    /** A managed client's host and interface. */
    record ClientHost(ConnectionArgs connection, String interfaceName) {}

    /** {@link #claim} for a component with several clients (a hub). */
    static synchronized void claim(String component, PortForward.RelayArgs relay, Unknowns unknowns, List<ClientHost> clients) {
        List<Claim> mine = new ArrayList<>();
        // The IPv6 range as the relay gets it: relay.address6, or its default that follows relay.address.
        mine.add(claimOf(component, relay.connection(), relay.interfaceName(), relay.listenPort(), relay.address(),
                PortForward.relayNetwork6(relay, unknowns)));
        for (ClientHost client : clients) {
            if (client.connection() != null) {
                mine.add(claimOf(component, client.connection(), client.interfaceName(), null, null, null));
            }
        }
        for (Claim claim : mine) {
            if (claim == null) {
                continue;
            }
            for (Claim other : BY_HOST.getOrDefault(claim.host(), List.of())) {
                if (other.component().equals(component)) {
                    continue;
                }
                String clash = null;
                if (claim.interfaceName() != null && claim.interfaceName().equals(other.interfaceName())) {
                    clash = "interfaceName '" + claim.interfaceName() + "'";
                } else if (claim.listenPort() != null && claim.listenPort().equals(other.listenPort())) {
                    clash = "listenPort " + claim.listenPort();
                } else if (claim.network() != null && other.network() != null && overlap(claim.network(), other.network())) {
                    clash = "address range " + claim.network().networkAddress() + "/" + claim.network().prefix();
                } else if (claim.network6() != null && other.network6() != null && overlap(claim.network6(), other.network6())) {
                    clash = "IPv6 address range " + claim.network6().network();
                }
                if (clash != null) {
                    throw new ProviderException("this PortForward and " + other.component() + " both use " + clash + " on host "
                            + claim.host() + ": each tunnel on a host needs its own interfaceName, listenPort and address range"
                            + " (set relay.interfaceName, relay.listenPort, relay.address and relay.address6, or client.interfaceName,"
                            + " on one of them)");
                }
            }
        }
        // All of this component's claims replace its earlier ones (a relay and a client, or two clients, may share a host).
        BY_HOST.values().forEach(claims -> claims.removeIf(c -> c.component().equals(component)));
        for (Claim claim : mine) {
            if (claim != null) {
                BY_HOST.computeIfAbsent(claim.host(), h -> new ArrayList<>()).add(claim);
            }
        }
    }

    private static Claim claimOf(String component, ConnectionArgs connection, String interfaceName, Integer listenPort, String address,
            Ipv6Cidr network6) {
        if (connection == null || connection.host() == null) {
            return null;
        }
        Ipv4Cidr network = address != null && Validators.ipv4Cidr(address).isEmpty() ? Ipv4Cidr.parse(address) : null;
        return new Claim(component, connection.endpoint(), interfaceName, listenPort, network, network6);
    }

    /** Two IPv6 networks overlap when the shorter prefix's network holds the other's address. */
    private static boolean overlap(Ipv6Cidr a, Ipv6Cidr b) {
        Ipv6Cidr wider = a.prefix() <= b.prefix() ? a : b;
        Ipv6Cidr narrower = wider == a ? b : a;
        return wider.contains(narrower.hostAddress());
    }

    private static boolean overlap(Ipv4Cidr a, Ipv4Cidr b) {
        int prefix = Math.min(a.prefix(), b.prefix());
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (a.address() & mask) == (b.address() & mask);
    }
}
