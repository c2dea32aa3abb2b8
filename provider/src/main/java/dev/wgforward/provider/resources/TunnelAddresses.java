package dev.wgforward.provider.resources;

import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.TypedResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code wgforward:index:TunnelAddresses}: tunnel addresses for named peers (the clients of a
 * relay), assigned once and kept in the state. A peer asks for a given address, or for any: it
 * gets the lowest free one in the network, and keeps it while others come and go, so no client is
 * ever renumbered under its feet. Nothing lives on a host. The assignment is computed the same way
 * in preview and in `up`, so a preview already shows each new peer's address.
 */
public final class TunnelAddresses extends TypedResource<TunnelAddresses.Inputs, TunnelAddresses.Outputs> {
    static final String TOKEN = "wgforward:index:TunnelAddresses";

    /**
     * @param network the tunnel network as the relay's address with its prefix ({@code 10.77.42.1/24})
     * @param reserved addresses never given out (the relay's own is always reserved)
     * @param requested by peer name: the address it asks for, or empty for any
     */
    public record Inputs(String network, List<String> reserved, Map<String, String> requested) {}

    public record Outputs(Map<String, String> addresses) {}

    public TunnelAddresses() {
        super(TOKEN, Inputs.class, Outputs.class);
    }

    @Override
    public List<CheckFailure> check(Inputs in) {
        CheckFailures failures = new CheckFailures();
        failures.check("network", in.network(), n -> Validators.relayTunnelAddress(n));
        if (in.network() == null || Validators.relayTunnelAddress(in.network()).isPresent()) {
            return failures.list();
        }
        Ipv4Cidr network = Ipv4Cidr.parse(in.network());
        Map<String, String> owners = new HashMap<>();
        owners.put(network.hostAddress(), "the relay");
        for (String r : in.reserved() == null ? List.<String>of() : in.reserved()) {
            failures.check("reserved", r, a -> Validators.tunnelIp(a));
            if (r != null && Validators.tunnelIp(r).isEmpty()) {
                owners.put(r, "a reserved address");
            }
        }
        Map<String, String> requested = in.requested() == null ? Map.of() : new TreeMap<>(in.requested());
        int wanted = 0;
        for (Map.Entry<String, String> e : requested.entrySet()) {
            String path = "requested." + e.getKey();
            Validators.peerName(e.getKey()).ifPresent(reason -> failures.add(path, "the peer's name " + reason));
            String address = e.getValue();
            if (address == null || address.isEmpty()) {
                wanted++;
                continue;
            }
            Optional<String> bad = Validators.tunnelIp(address).or(() -> Validators.addressInNetwork(address, network));
            if (bad.isPresent()) {
                failures.add(path, bad.get());
            } else if (owners.containsKey(address)) {
                failures.add(path, address + " is already " + owners.get(address) + "'s; pick another, or leave it empty for any free one");
            } else {
                owners.put(address, "peer " + e.getKey());
            }
        }
        long free = capacity(network) - owners.size();
        if (wanted > free) {
            failures.add("requested", wanted + " peers ask for any address but the network " + network.networkAddress() + "/"
                    + network.prefix() + " has only " + Math.max(0, free) + " left; use a larger one (a smaller prefix)");
        }
        return failures.list();
    }

    @Override
    public Created<Outputs> create(ResourceContext ctx, Inputs inputs) {
        if (inputs.network() == null || inputs.requested() == null) {
            return new Created<>("addresses", new Outputs(null)); // a preview with the network (or a name) not known yet
        }
        return new Created<>("addresses", new Outputs(assign(inputs, Map.of())));
    }

    @Override
    public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        return Optional.of(state);
    }

    @Override
    public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
        Map<String, String> before = olds.outputs() == null || olds.outputs().addresses() == null ? Map.of() : olds.outputs().addresses();
        if (news.network() == null || news.requested() == null) {
            return new Outputs(null); // a preview with the network (or a name) not known yet
        }
        return new Outputs(assign(news, before));
    }

    @Override
    public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        // Nothing outside the state.
    }

    /**
     * Given addresses first, then each peer that had one keeps it (if still free and inside the
     * network), then the others in name order get the lowest free addresses.
     */
    static Map<String, String> assign(Inputs in, Map<String, String> before) {
        Ipv4Cidr network = Ipv4Cidr.parse(in.network());
        Set<String> taken = new HashSet<>();
        taken.add(network.hostAddress());
        if (in.reserved() != null) {
            taken.addAll(in.reserved());
        }
        Map<String, String> requested = in.requested() == null ? Map.of() : new TreeMap<>(in.requested());
        Map<String, String> result = new TreeMap<>();
        requested.forEach((name, address) -> {
            if (address != null && !address.isEmpty()) {
                result.put(name, address);
                taken.add(address);
            }
        });
        List<String> waiting = new ArrayList<>();
        for (String name : requested.keySet()) {
            if (result.containsKey(name)) {
                continue;
            }
            String kept = before.get(name);
            if (kept != null && !taken.contains(kept) && Validators.addressInNetwork(kept, network).isEmpty()) {
                result.put(name, kept);
                taken.add(kept);
            } else {
                waiting.add(name);
            }
        }
        int first = network.address() & network.mask();
        long size = 1L << (32 - network.prefix());
        int next = 1;
        for (String name : waiting) {
            String address = null;
            for (; next < size - 1; next++) {
                String candidate = Ipv4Cidr.formatAddress(first + next);
                if (!taken.contains(candidate)) {
                    address = candidate;
                    next++;
                    break;
                }
            }
            if (address == null) {
                throw new ProviderException("the tunnel network " + network.networkAddress() + "/" + network.prefix()
                        + " has no free address left for peer " + name + "; use a larger one (a smaller prefix)");
            }
            result.put(name, address);
            taken.add(address);
        }
        return result;
    }

    /** Host addresses in the network (without network and broadcast addresses). */
    private static long capacity(Ipv4Cidr network) {
        long size = 1L << (32 - network.prefix());
        return network.prefix() >= 31 ? size : size - 2;
    }
}
