package dev.wgforward.provider.resources;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.wire.Values;
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
    private record Claim(String component, String host, String interfaceName, Integer listenPort, Ipv4Cidr network) {}

    private static final Map<String, List<Claim>> BY_HOST = new ConcurrentHashMap<>();

    /**
     * Records what {@code component} claims on its relay and client (known values only) and fails,
     * naming the field and the other component, when another component of this run holds it.
     */
    static synchronized void claim(String component, JsonObject relay, JsonObject client) {
        List<Claim> mine = new ArrayList<>();
        mine.add(claimOf(component, relay, "relay"));
        if (client != null && known(client.get("connection")) != null) {
            mine.add(claimOf(component, client, "client"));
        }
        for (Claim claim : mine) {
            if (claim == null || claim.host() == null) {
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
                }
                if (clash != null) {
                    throw new ProviderException("this PortForward and " + other.component() + " both use " + clash + " on host "
                            + claim.host() + ": each tunnel on a host needs its own interfaceName, listenPort and address range"
                            + " (set relay.interfaceName, relay.listenPort and relay.address, or client.interfaceName, on one of them)");
                }
            }
        }
        for (Claim claim : mine) {
            if (claim != null && claim.host() != null) {
                BY_HOST.computeIfAbsent(claim.host(), h -> new ArrayList<>()).removeIf(c -> c.component().equals(component));
                BY_HOST.get(claim.host()).add(claim);
            }
        }
    }

    private static Claim claimOf(String component, JsonObject side, String role) {
        JsonObject connection = known(side.get("connection")) instanceof JsonObject c ? c : null;
        String host = connection == null ? null : string(connection.get("host"));
        if (host == null) {
            return null;
        }
        JsonElement port = known(connection.get("port"));
        String endpoint = host + ":" + (port != null && port.isJsonPrimitive() ? port.getAsInt() : 22);
        String interfaceName = string(side.get("interfaceName"));
        JsonElement listen = role.equals("relay") ? known(side.get("listenPort")) : null;
        Integer listenPort = listen != null && listen.isJsonPrimitive() ? listen.getAsInt() : null;
        String address = role.equals("relay") ? string(side.get("address")) : null;
        Ipv4Cidr network = address != null && Validators.ipv4Cidr(address).isEmpty() ? Ipv4Cidr.parse(address) : null;
        return new Claim(component, endpoint, interfaceName, listenPort, network);
    }

    private static boolean overlap(Ipv4Cidr a, Ipv4Cidr b) {
        int prefix = Math.min(a.prefix(), b.prefix());
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (a.address() & mask) == (b.address() & mask);
    }

    /** The value inside secret wrappers; null when absent or unknown (preview). */
    private static JsonElement known(JsonElement value) {
        JsonElement plain = value == null ? null : Values.unwrapSecret(value);
        return plain == null || plain.isJsonNull() || Values.isUnknown(plain) ? null : plain;
    }

    private static String string(JsonElement value) {
        JsonElement v = known(value);
        return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
    }
}
