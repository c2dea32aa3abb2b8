package dev.wgforward.provider.resources;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.check.Ipv6Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ComponentResource.Child;
import dev.wgforward.provider.framework.ComponentResource.Children;
import dev.wgforward.provider.framework.ComponentResource.Inputs;
import dev.wgforward.provider.framework.ComponentResource.PendingChild;
import dev.wgforward.provider.framework.EngineValue;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.framework.WireObject;
import dev.wgforward.provider.host.wireguard.WgQrCode;
import dev.wgforward.provider.resources.PortForward.Args;
import dev.wgforward.provider.resources.PortForward.HubClientArgs;
import dev.wgforward.provider.resources.PortForward.RelayArgs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link PortForward} with {@code clients}: one relay, many clients. The relay has one WireGuard
 * interface with every client as a peer; each client has its own key pair, its tunnel address
 * (given, or assigned once by a {@link TunnelAddresses} child and never renumbered), its own
 * interface when it is reachable over SSH, and its own forwards, which the relay's rules key on
 * the client's tunnel address. Adding or removing a client changes that client's children, the
 * relay's peer list (applied with {@code wg syncconf}: other peers' sessions go on) and the rules
 * (rewritten in one transaction); other clients' hosts are not contacted.
 */
final class PortForwardHub {
    private PortForwardHub() {}

    /** Check of the hub form; {@code checked} holds the relay's failures already. */
    static List<CheckFailure> check(Args args, RelayArgs relay, Ipv4Cidr network, Ipv6Cidr network6, Unknowns unknowns,
            CheckFailures checked) {
        if (args.client() != null || unknowns.at("client")) {
            checked.add("client", "give either client and forwards (one client) or clients (several), not both: drop client"
                    + " (make it an entry of clients, with a name)");
        }
        if (args.forwards() != null || unknowns.at("forwards")) {
            checked.add("forwards", "give either client and forwards (one client) or clients (several), not both: drop forwards"
                    + " (each entry of clients has forwards of its own)");
        }
        List<HubClientArgs> clients = args.clients();
        if (clients == null) {
            return checked.list(); // unknown until preview ends
        }
        if (clients.isEmpty()) {
            checked.add("clients", "needs at least one client ({name, forwards}); for none, remove the PortForward");
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        Map<String, Integer> addresses6 = new HashMap<>();
        Map<String, Integer> hostInterfaces = new HashMap<>();
        List<CheckFailure> forwardFailures = new ArrayList<>();
        String relayIp = network == null ? null : network.hostAddress();
        for (int i = 0; i < clients.size(); i++) {
            HubClientArgs c = clients.get(i);
            String path = "clients[" + i + "]";
            if (c == null) {
                continue;
            }
            checked.check(path + ".name", c.name(), Validators::clientName);
            if (c.name() != null) {
                Integer first = names.putIfAbsent(c.name(), i);
                if (first != null) {
                    checked.add(path + ".name", "client " + c.name() + " is also clients[" + first + "]; each client needs its own name");
                }
            }
            if (c.connection() != null) {
                checked.addAll(c.connection().check(path + ".connection", unknowns));
            }
            checked.check(path + ".interfaceName", c.interfaceName(), Validators::interfaceName)
                    .check(path + ".persistentKeepalive", c.persistentKeepalive(), k -> Validators.persistentKeepalive(k));
            String address = checkAddress(path + ".address", c.address(), network, checked);
            if (address != null) {
                Integer first = addresses.putIfAbsent(address, i);
                if (first != null) {
                    checked.add(path + ".address", address + " is also clients[" + first + "]'s; each client needs its own tunnel address"
                            + " (or leave it out for a free one)");
                }
            }
            String address6 = PortForward.checkClientAddress6(path + ".address6", c.address6(), path + ".address", address, network,
                    network6, checked);
            if (address6 != null && c.address6() != null) { // a derived one differs where the IPv4 addresses do
                Integer first = addresses6.putIfAbsent(address6, i);
                if (first != null) {
                    checked.add(path + ".address6", address6 + " is also clients[" + first + "]'s; each client needs its own tunnel"
                            + " IPv6 address (give address6, or leave both out for free ones)");
                }
            }
            if (c.connection() != null && c.connection().host() != null && c.interfaceName() != null) {
                String key = c.connection().endpoint() + "/" + c.interfaceName();
                Integer first = hostInterfaces.putIfAbsent(key, i);
                if (first != null) {
                    checked.add(path + ".interfaceName", "clients[" + first + "] has interface " + c.interfaceName() + " on the same host;"
                            + " give them different interface names");
                }
                if (relay.connection() != null && relay.connection().host() != null
                        && relay.connection().endpoint().equals(c.connection().endpoint()) && c.interfaceName().equals(relay.interfaceName())) {
                    checked.add(path + ".interfaceName", "the client and the relay are the same host; give them different interface names");
                }
            }
            if (c.forwards() == null && !unknowns.at(path + ".forwards")) {
                checked.add(path + ".forwards", "is required: the ports client " + c.name() + " forwards");
            }
            forwardFailures.addAll(ForwardRules.checkForwards(path + ".forwards", c.forwards(),
                    PortForward.tunnel(relay, unknowns, network, network6, address, address6)));
            forwardFailures.addAll(PortForward.targetsInsideTheTunnel(path + ".forwards", c.forwards(), network, address,
                    "where only the relay and its clients are"));
            forwardFailures.addAll(PortForward.targetsInsideTheTunnel6(path + ".forwards", c.forwards(), network6, address6,
                    "where only the relay and its clients are"));
        }
        List<CheckFailure> failures = new ArrayList<>(checked.list());
        failures.addAll(forwardFailures);
        return failures;
    }

    /** A client's given tunnel address, checked against the relay's network; returns it when known and valid. */
    private static String checkAddress(String path, String address, Ipv4Cidr network, CheckFailures failures) {
        if (address == null) {
            return null;
        }
        if (Validators.tunnelIp(address).isPresent()) {
            failures.check(path, address, a -> Validators.tunnelIp(a).map(r -> r + " (the client's tunnel address, without prefix;"
                    + " leave it out for a free one)"));
            return null;
        }
        if (network == null) {
            return address;
        }
        String cidr = network.networkAddress() + "/" + network.prefix();
        if (!network.contains(address)) {
            failures.add(path, address + " is outside the relay's tunnel network " + cidr + " (relay.address); pick an address inside it,"
                    + " or leave it out for a free one");
        } else if (address.equals(network.hostAddress())) {
            failures.add(path, address + " is the relay's own tunnel address; pick another one in " + cidr);
        } else if (new Ipv4Cidr(Ipv4Cidr.parseAddress(address), network.prefix()).isNetworkOrBroadcastAddress()) {
            failures.add(path, address + " is the network or broadcast address of " + cidr);
        } else {
            return address;
        }
        return null;
    }

    /** The children and outputs of a hub; the inputs passed {@link #check}. */
    static JsonObject construct(ResourceContext ctx, Inputs<Args> inputs, Children children) {
        Args args = inputs.values();
        List<HubClientArgs> clients = args.clients();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            HubClientArgs c = clients.get(i);
            if (c == null || c.name() == null) {
                throw new ProviderException("clients[" + i + "].name must be known when the program runs: it names the client's"
                        + " resources and outputs (give it as a plain value, not another resource's output)");
            }
            names.add(c.name());
        }
        HostClaims.claim(ctx.urn(), args.relay(), Unknowns.in(inputs.wire().toWire()), clients.stream()
                .map(c -> new HostClaims.ClientHost(c.connection(), c.interfaceName())).toList());
        EngineValue<JsonElement> relay = inputs.wire().field("relay");
        EngineValue<JsonElement> clientsWire = inputs.wire().field("clients");
        String name = ctx.name();

        // Key pairs (one per end) and the tunnel addresses need nothing of each other: started together.
        JsonObject keyInputs = PortForward.keyInputs(inputs);
        PendingChild relayKeyPending = children.start(KeyPair.TOKEN, name + "-relay-key", keyInputs, List.of());
        Map<String, PendingChild> clientKeysPending = new LinkedHashMap<>();
        for (String client : names) {
            clientKeysPending.put(client, children.start(KeyPair.TOKEN, childName(name, client) + "-key", keyInputs, List.of()));
        }
        WireObject requested = new WireObject();
        for (int i = 0; i < names.size(); i++) {
            requested.put(names.get(i), clientsWire.item(i).field("address").as(String.class).orElse(EngineValue.of("")));
        }
        JsonObject addressInputs = new WireObject()
                .put("network", relay.field("address"))
                .put("requested", requested)
                .json();
        PendingChild addressesPending = children.start(TunnelAddresses.TOKEN, name + "-addresses", addressInputs, List.of());
        Child relayKey = relayKeyPending.await();
        Map<String, Child> clientKeys = new LinkedHashMap<>();
        clientKeysPending.forEach((client, pending) -> clientKeys.put(client, pending.await()));
        Child addresses = addressesPending.await();

        EngineValue<Ipv4Cidr> network = relay.field("address").as(String.class).apply(Ipv4Cidr::parse);
        EngineValue<String> relayIp = network.apply(Ipv4Cidr::hostAddress);
        EngineValue<Ipv6Cidr> network6 = PortForward.network6(args.relay(), relay);
        EngineValue<String> relayIp6 = network6.apply(Ipv6Cidr::hostAddress);
        Map<String, EngineValue<String>> clientIps = new LinkedHashMap<>();
        Map<String, EngineValue<String>> clientIps6 = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String client = names.get(i);
            EngineValue<String> ip = addresses.output("addresses").field(client).as(String.class).absentIsUnknown();
            clientIps.put(client, ip);
            // The IPv6 address follows the IPv4 one (same host number): no second allocation to keep.
            clientIps6.put(client, PortForward.clientAddress6(clientsWire.item(i).field("address6").as(String.class), ip, network,
                    network6));
        }

        // The relay: one interface, every client a peer (no endpoint: a client may sit behind NAT).
        List<WireObject> relayPeers = new ArrayList<>();
        for (String client : names) {
            relayPeers.add(new WireObject()
                    .put("publicKey", clientKeys.get(client).output("publicKey"))
                    .put("allowedIps", PortForward.hostRoutes(clientIps.get(client), clientIps6.get(client))));
        }
        List<Child> keysAndAddresses = new ArrayList<>(List.of(relayKey, addresses));
        keysAndAddresses.addAll(clientKeys.values());
        keysAndAddresses.addAll(PortForward.openRelayFirewall(args.relay(), relay, name, children));
        JsonObject relayIfInputs = PortForward.relayInterfaceInputs(relay, network6, relayKey, relayPeers).json();
        // The clients' interfaces follow the relay's, as in PortForward: new keys (keyRotation) reach
        // the relay first, so that each client's first handshake with them succeeds.
        // A preview creates nothing: there the clients' interfaces and the rules need not wait for it.
        PendingChild relayIfPending = children.start(WireGuardInterface.TOKEN, name + "-relay", relayIfInputs, keysAndAddresses);
        Child relayIf = ctx.preview() ? relayIfPending.dependency() : relayIfPending.await();

        // Each client: its interface where it is managed, its wg-quick file in any case.
        EngineValue<String> endpoint = PortForward.endpoint(relay);
        EngineValue<String> relayPublicKey = relayKey.output("publicKey").as(String.class);
        List<PendingChild> clientIfs = new ArrayList<>();
        Map<String, EngineValue<String>> configs = new LinkedHashMap<>();
        Map<String, EngineValue<String>> publicKeys = new LinkedHashMap<>();
        List<WireObject> ruleClients = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String client = names.get(i);
            EngineValue<JsonElement> wire = clientsWire.item(i);
            Child key = clientKeys.get(client);
            EngineValue<Integer> keepalive = wire.field("persistentKeepalive").as(Integer.class);
            EngineValue<String> cidr = EngineValue.combine(clientIps.get(client), network, (ip, net) -> ip + "/" + net.prefix());
            EngineValue<String> cidr6 = EngineValue.combine(clientIps6.get(client), network6, (ip, net) -> ip + "/" + net.prefix());
            EngineValue<String> interfaceName = wire.field("interfaceName").as(String.class);
            if (!wire.field("connection").isAbsent()) {
                WireObject peer = new WireObject()
                        .put("publicKey", relayKey.output("publicKey"))
                        .put("allowedIps", PortForward.hostRoutes(relayIp, relayIp6))
                        .put("endpoint", endpoint)
                        .put("persistentKeepalive", keepalive);
                JsonObject ifInputs = new WireObject()
                        .put("connection", wire.field("connection"))
                        .put("interfaceName", wire.field("interfaceName"))
                        .put("address", cidr)
                        .put("address6", cidr6)
                        .put("privateKey", key.output("privateKey"))
                        .put("peers", List.of(peer))
                        .json();
                clientIfs.add(children.start(WireGuardInterface.TOKEN, childName(name, client), ifInputs,
                        List.of(relayKey, key, addresses, relayIf)));
            }
            configs.put(client, PortForward.clientConfig(interfaceName, cidr, cidr6, key.output("privateKey").as(String.class),
                    relayPublicKey, PortForward.hostRoutes(relayIp, relayIp6), endpoint, keepalive.orElse(EngineValue.of(0))));
            publicKeys.put(client, key.output("publicKey").as(String.class));
            ruleClients.add(new WireObject()
                    .put("name", EngineValue.of(client))
                    .put("address", clientIps.get(client))
                    .put("address6", clientIps6.get(client))
                    .put("forwards", wire.field("forwards")));
        }

        JsonObject rulesInputs = new WireObject()
                .put("connection", relay.field("connection"))
                .put("interfaceName", relay.field("interfaceName"))
                .put("relayAddress", relayIp)
                .put("relayAddress6", relayIp6)
                .put("clients", ruleClients)
                .json();
        // The rules name the relay's interface: they follow it in (and precede it out).
        Child rules = children.register(ForwardRules.TOKEN, name + "-forwards", rulesInputs, List.of(relayIf, addresses));
        clientIfs.forEach(PendingChild::await);
        relayIfPending.await();

        EngineValue<Map<String, String>> clientConfigs = byName(configs);
        // The same files as QR codes, for the WireGuard mobile apps to scan from a terminal.
        Map<String, EngineValue<String>> qrCodes = new LinkedHashMap<>();
        configs.forEach((client, config) -> qrCodes.put(client, config.apply(WgQrCode::render)));
        return new WireObject()
                .put("relayPublicKey", relayKey.output("publicKey"))
                .put("relayTunnelIp", relayIp)
                .put("accessPoints", rules.output("accessPoints"))
                .put("clientConfigs", clientConfigs.absentIsUnknown().asSecret())
                .put("clientQrCodes", byName(qrCodes).absentIsUnknown().asSecret())
                .put("clientPublicKeys", byName(publicKeys).absentIsUnknown())
                .put("clientTunnelIps", byName(clientIps).absentIsUnknown())
                .put("relayTunnelIp6", relayIp6)
                .put("clientTunnelIps6", network6.isAbsent() ? EngineValue.absent() : byName(clientIps6).absentIsUnknown())
                .json();
    }

    /** A client's children are named after it, apart from the relay's ({@code <name>-relay...}) whatever the client's name. */
    private static String childName(String component, String client) {
        return component + "-client-" + client;
    }

    /** The values by client name, in name order: unknown while any is, secret if any is. */
    private static EngineValue<Map<String, String>> byName(Map<String, EngineValue<String>> values) {
        List<String> names = new ArrayList<>(values.keySet());
        return EngineValue.all(known -> {
            Map<String, String> map = new TreeMap<>();
            names.forEach(n -> map.put(n, known.get(values.get(n))));
            return map;
        }, values.values().toArray(EngineValue<?>[]::new));
    }
}
