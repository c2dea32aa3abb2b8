package dev.wgforward.provider.resources;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.check.Ipv6Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ComponentResource;
import dev.wgforward.provider.framework.EngineValue;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.framework.WireObject;
import dev.wgforward.provider.host.wireguard.WgConfigRenderer;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgPeer;
import dev.wgforward.provider.resources.ForwardRules.ForwardArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code wgforward:index:PortForward}: the whole A → WireGuard → B → DNAT → C setup as one
 * component. Its children are a key pair per side (generated once, kept as secrets), the relay's
 * interface, the client's interface when the client is reachable over SSH, and the relay's
 * forwarding rules — so a change to the forwards touches only the rules, never the tunnel.
 */
public final class PortForward implements ComponentResource<PortForward.Args> {
    static final String TOKEN = "wgforward:index:PortForward";

    record RelayArgs(ConnectionArgs connection, String endpoint, Integer listenPort, String interfaceName, String address,
            String address6, Boolean ipv6, Boolean openFirewall) {
        /** Whether the tunnel has an IPv6 network: {@code ipv6} is not false (it defaults to true). */
        boolean hasIpv6() {
            return !Boolean.FALSE.equals(ipv6);
        }
    }

    record ClientArgs(ConnectionArgs connection, String address, String address6, String interfaceName, Integer persistentKeepalive) {}

    /** One client of a hub ({@code clients}): {@link PortForwardHub}. */
    record HubClientArgs(String name, String address, String address6, ConnectionArgs connection, String interfaceName,
            Integer persistentKeepalive, List<ForwardArgs> forwards) {}

    /** Either {@code client} and {@code forwards} (one client) or {@code clients} (a hub). */
    record Args(RelayArgs relay, ClientArgs client, List<ForwardArgs> forwards, List<HubClientArgs> clients, String keyRotation) {}

    @Override
    public String token() {
        return TOKEN;
    }

    @Override
    public Class<Args> inputType() {
        return Args.class;
    }

    /**
     * An absent client is a client with every default (its tunnel address, interface name,
     * keepalive) — unless the component is a hub ({@code clients}).
     */
    @Override
    public JsonObject implied(JsonObject inputs) {
        boolean hub = inputs.has("clients") && !inputs.get("clients").isJsonNull();
        if (!hub && (!inputs.has("client") || inputs.get("client").isJsonNull())) {
            inputs.add("client", new JsonObject());
        }
        return inputs;
    }

    @Override
    public List<CheckFailure> check(Args args, Unknowns unknowns) {
        // A whole relay or client may be unknown at preview (it comes from another resource).
        RelayArgs relay = args.relay() != null ? args.relay() : new RelayArgs(null, null, null, null, null, null, null, null);
        if (args.clients() != null || unknowns.at("clients")) {
            CheckFailures checked = new CheckFailures();
            Ipv4Cidr network = checkRelay(relay, unknowns, checked);
            Ipv6Cidr network6 = checkRelay6(relay, unknowns, checked);
            return PortForwardHub.check(args, relay, network, network6, unknowns, checked);
        }
        if (args.forwards() == null && !unknowns.at("forwards")) {
            return List.of(new CheckFailure("forwards", "is required with client: the forwarded ports (or give clients, each with its"
                    + " own forwards)"));
        }
        ClientArgs client = args.client() != null ? args.client() : new ClientArgs(null, null, null, null, null);
        CheckFailures checked = new CheckFailures();
        Ipv4Cidr network = checkRelay(relay, unknowns, checked);
        Ipv6Cidr network6 = checkRelay6(relay, unknowns, checked);
        String clientIp = checkClient(client, network, unknowns, checked);
        String clientIp6 = checkClientAddress6("client.address6", client.address6(), "client.address", clientIp, network, network6,
                checked);
        if (client.connection() != null && relay.interfaceName() != null && relay.connection() != null
                && relay.connection().host() != null && relay.connection().endpoint().equals(client.connection().endpoint())
                && relay.interfaceName().equals(client.interfaceName())) {
            checked.add("client.interfaceName", "the client and the relay are the same host; give them different interface names");
        }
        List<CheckFailure> failures = new ArrayList<>(checked.list());
        failures.addAll(ForwardRules.checkForwards("forwards", args.forwards(), tunnel(relay, unknowns, network, network6, clientIp,
                clientIp6)));
        failures.addAll(targetsInsideTheTunnel(args.forwards(), network, clientIp));
        failures.addAll(targetsInsideTheTunnel6("forwards", args.forwards(), network6, clientIp6, "where only the relay and the client are"));
        return failures;
    }

    /** What the forwards of one client are checked against: the tunnel's addresses as far as known, and whether it has IPv6. */
    static ForwardRules.Tunnel tunnel(RelayArgs relay, Unknowns unknowns, Ipv4Cidr network, Ipv6Cidr network6, String clientIp,
            String clientIp6) {
        boolean noIpv6 = !relay.hasIpv6() && !unknowns.within("relay.ipv6");
        return new ForwardRules.Tunnel(network == null ? null : network.hostAddress(), clientIp,
                network6 == null ? null : network6.hostAddress(), clientIp6,
                noIpv6 ? "the tunnel has no IPv6 network (relay.ipv6 is false): set relay.ipv6 to true (or leave it out),"
                        + " or forward to the target's IPv4 address" : null);
    }

    /**
     * Checks relay.address6 when the tunnel has IPv6 and it is given; returns the relay's IPv6
     * network ({@link #relayNetwork6}) when that is on, known and valid.
     */
    static Ipv6Cidr checkRelay6(RelayArgs relay, Unknowns unknowns, CheckFailures failures) {
        if (relay.hasIpv6() && relay.address6() != null) {
            failures.check("relay.address6", relay.address6(), a -> Validators.relayTunnelAddress6(a)
                    .map(r -> r + " (the relay's tunnel IPv6 address with the prefix of the tunnel's IPv6 network, e.g. fd77:42::1/64;"
                            + " or set relay.ipv6 to false for an IPv4-only tunnel)"));
        }
        return relayNetwork6(relay, unknowns);
    }

    /**
     * The relay's tunnel IPv6 address with its network: relay.address6 when given, else
     * {@link #defaultNetwork6} of relay.address; null when the tunnel has no IPv6 (relay.ipv6),
     * or what it comes from is not known yet or not valid.
     */
    static Ipv6Cidr relayNetwork6(RelayArgs relay, Unknowns unknowns) {
        if (!relay.hasIpv6() || unknowns.within("relay.address6")) {
            return null;
        }
        if (relay.address6() != null) {
            return Validators.relayTunnelAddress6(relay.address6()).isPresent() ? null : Ipv6Cidr.parse(relay.address6());
        }
        if (relay.address() == null || unknowns.within("relay.address") || Validators.relayTunnelAddress(relay.address()).isPresent()) {
            return null;
        }
        return defaultNetwork6(Ipv4Cidr.parse(relay.address()));
    }

    /**
     * relay.address6's default, derived from relay.address so that tunnels with distinct IPv4
     * ranges (as a second stack on a shared relay has) get distinct IPv6 ranges: the unique-local
     * /64 {@code fd77:XXXX:YYYY::/64} whose two groups are the 32 bits of the IPv4 network address,
     * with the relay's IPv4 host number — {@code 10.77.42.1/24} gives {@code fd77:a4d:2a00::1/64}.
     * (The clients' default IPv6 addresses follow with their own host numbers.)
     */
    static Ipv6Cidr defaultNetwork6(Ipv4Cidr relayAddress) {
        long networkAddress = Integer.toUnsignedLong(relayAddress.address() & relayAddress.mask());
        long high = (0xfd77L << 48) | (networkAddress << 16);
        return new Ipv6Cidr(high, hostNumber(relayAddress.hostAddress(), relayAddress), 64);
    }

    /**
     * Checks a client's IPv6 tunnel address, given ({@code path}) or derived from its IPv4 one
     * ({@code ipv4Path}); returns it in canonical form when it is known and valid. Without an IPv6
     * network there is none.
     */
    static String checkClientAddress6(String path, String given, String ipv4Path, String clientIp, Ipv4Cidr network, Ipv6Cidr network6,
            CheckFailures failures) {
        if (network6 == null) {
            if (given != null) {
                failures.check(path, given, a -> Validators.tunnelIp6(a).map(r -> r + " (the client's tunnel IPv6 address, without prefix)"));
            }
            return null;
        }
        String cidr = network6.network();
        if (given != null) {
            Optional<String> bad = Validators.tunnelIp6(given).map(r -> r + " (the client's tunnel IPv6 address, without prefix)")
                    .or(() -> Validators.addressInNetwork6(given, network6).map(r -> r + " (relay.address6)"))
                    .or(() -> Validators.clientTunnelIpBesides(given, network6.hostAddress(), "relay.address6")
                            .map(r -> r + "; pick another one in " + cidr));
            bad.ifPresent(reason -> failures.add(path, reason));
            return bad.isPresent() ? null : Ipv6Cidr.canonical(given);
        }
        if (clientIp == null || network == null) {
            return null;
        }
        long hostNumber = hostNumber(clientIp, network);
        if (fits(hostNumber, network6)) {
            String derived = network6.withHostNumber(hostNumber);
            if (!derived.equals(network6.hostAddress())) {
                return derived;
            }
            failures.add(path, "is by default the IPv6 network " + cidr + " with the host number of " + ipv4Path + " (" + clientIp + "): "
                    + derived + ", but that is the relay's own (relay.address6); give " + path + ", or another relay.address6");
            return null;
        }
        failures.add(path, "is by default the IPv6 network " + cidr + " with the host number of " + ipv4Path + " (" + clientIp
                + "), which does not fit in it; give " + path + ", or a larger relay.address6 network such as /64");
        return null;
    }

    /** Whether a host number fits in the host bits of an IPv6 network (an IPv4 host number always fits in a /64). */
    private static boolean fits(long hostNumber, Ipv6Cidr network6) {
        int hostBits = 128 - network6.prefix();
        return hostBits >= 63 || hostNumber < (1L << hostBits);
    }

    /** A tunnel IPv4 address's host number in its network: 2 for 10.77.42.2 in 10.77.42.0/24. */
    static long hostNumber(String ip, Ipv4Cidr network) {
        return Integer.toUnsignedLong(Ipv4Cidr.parseAddress(ip) & ~network.mask());
    }

    /**
     * A client's tunnel IPv6 address: the given one in canonical form, else the relay's IPv6 network
     * with the host number of the client's IPv4 address; absent when the tunnel has no IPv6.
     */
    static EngineValue<String> clientAddress6(EngineValue<String> given, EngineValue<String> clientIp, EngineValue<Ipv4Cidr> network,
            EngineValue<Ipv6Cidr> network6) {
        if (network6.isAbsent()) {
            return EngineValue.absent();
        }
        if (!given.isAbsent()) {
            return given.apply(Ipv6Cidr::canonical);
        }
        return EngineValue.all(k -> derivedAddress6(k.get(clientIp), k.get(network), k.get(network6)), clientIp, network, network6);
    }

    private static String derivedAddress6(String clientIp, Ipv4Cidr network, Ipv6Cidr network6) {
        long hostNumber = hostNumber(clientIp, network);
        if (!fits(hostNumber, network6)) {
            throw new ProviderException("the client with tunnel address " + clientIp + " gets by default the IPv6 network "
                    + network6.network() + " with the same host number, which does not fit in it; give the client's address6,"
                    + " or a larger relay.address6 network such as /64");
        }
        String derived = network6.withHostNumber(hostNumber);
        if (derived.equals(network6.hostAddress())) {
            throw new ProviderException("the client with tunnel address " + clientIp + " gets by default the IPv6 address " + derived
                    + " (relay.address6's network with the same host number), but that is the relay's own tunnel IPv6 address;"
                    + " give the client's address6, or another relay.address6");
        }
        return derived;
    }

    /**
     * The relay's IPv6 network when the tunnel has one (relay.ipv6), else absent: relay.address6, or
     * without it {@link #defaultNetwork6} of relay.address.
     */
    static EngineValue<Ipv6Cidr> network6(RelayArgs relayArgs, EngineValue<JsonElement> relay) {
        if (relayArgs != null && !relayArgs.hasIpv6()) {
            return EngineValue.absent();
        }
        // Absent (not unknown) relay.address6 is the default, unknown while relay.address is.
        return relay.field("address6").as(String.class).apply(Ipv6Cidr::parse)
                .orElse(relay.field("address").as(String.class).apply(a -> defaultNetwork6(Ipv4Cidr.parse(a))));
    }

    /** A host's routes into the tunnel: its IPv4 address as /32 and, with IPv6, its IPv6 address as /128. */
    static EngineValue<List<String>> hostRoutes(EngineValue<String> ip, EngineValue<String> ip6) {
        if (ip6.isAbsent()) {
            return ip.apply(a -> List.of(a + "/32"));
        }
        return EngineValue.combine(ip, ip6, (a, b) -> List.of(a + "/32", b + "/128"));
    }

    /** IPv6 targets inside the tunnel's IPv6 network can't be reached (only the tunnel's ends are there). */
    static List<CheckFailure> targetsInsideTheTunnel6(String path, List<ForwardArgs> forwards, Ipv6Cidr network6, String clientIp6,
            String whoIsThere) {
        List<CheckFailure> failures = new ArrayList<>();
        if (forwards == null || network6 == null) {
            return failures;
        }
        for (int i = 0; i < forwards.size(); i++) {
            ForwardArgs f = forwards.get(i);
            String target = f == null ? null : f.targetHost();
            if (target == null || !Ipv6Cidr.isIpv6(target) || Validators.forwardTargetHost(target).isPresent()
                    || Validators.forwardTargetIsNotATunnelAddress(target, network6.hostAddress(), clientIp6).isPresent()) {
                continue; // unknown, IPv4, or refused already
            }
            if (network6.contains(target)) {
                failures.add(new CheckFailure(path + "[" + i + "].targetHost", "must be a host behind the relay, but " + target
                        + " lies inside the tunnel's IPv6 network " + network6.network() + " (relay.address6), " + whoIsThere + ";"
                        + " give the target's address as the relay reaches it on its own network, or pick another relay.address6"));
            }
        }
        return failures;
    }

    /** Checks the relay's inputs; returns its tunnel network when that is known and valid. */
    static Ipv4Cidr checkRelay(RelayArgs relay, Unknowns unknowns, CheckFailures failures) {
        if (relay.connection() != null) {
            failures.addAll(relay.connection().check("relay.connection", unknowns));
        }
        failures.check("relay.endpoint", relay.endpoint(), Validators::relayEndpoint)
                .check("relay.listenPort", relay.listenPort(), port -> Validators.port(port))
                .check("relay.interfaceName", relay.interfaceName(), Validators::interfaceName)
                .check("relay.address", relay.address(), a -> Validators.relayTunnelAddress(a)
                        .map(r -> r + " (the relay's tunnel address with the prefix of the tunnel network, e.g. 10.77.42.1/24)"));
        if (relay.address() == null || Validators.relayTunnelAddress(relay.address()).isPresent()) {
            return null;
        }
        return Ipv4Cidr.parse(relay.address());
    }

    /**
     * Checks the client's inputs, its address against the relay's tunnel network if known;
     * returns the client's tunnel address when it is known and valid.
     */
    private static String checkClient(ClientArgs client, Ipv4Cidr network, Unknowns unknowns, CheckFailures failures) {
        if (client.connection() != null) {
            failures.addAll(client.connection().check("client.connection", unknowns));
        }
        failures.check("client.interfaceName", client.interfaceName(), Validators::interfaceName)
                .check("client.persistentKeepalive", client.persistentKeepalive(), k -> Validators.persistentKeepalive(k))
                .check("client.address", client.address(), a -> Validators.tunnelIp(a)
                        .map(r -> r + " (the client's tunnel address, without prefix)"));
        String address = client.address();
        if (address == null || Validators.tunnelIp(address).isPresent()) {
            return null;
        }
        if (network == null) {
            return address;
        }
        Optional<String> problem = Validators.addressInNetwork(address, network).map(reason -> reason + " (relay.address)")
                .or(() -> address.equals(network.hostAddress())
                        ? Optional.of(address + " is the relay's own tunnel address; pick another one in " + network.networkAddress()
                                + "/" + network.prefix())
                        : Optional.empty());
        problem.ifPresent(reason -> failures.add("client.address", reason));
        return problem.isPresent() ? null : address;
    }

    /**
     * The relay's tunnel network holds only the relay and the client (the relay's interface has
     * the client as its one peer): a target elsewhere inside it can't be reached.
     */
    private static List<CheckFailure> targetsInsideTheTunnel(List<ForwardArgs> forwards, Ipv4Cidr network, String clientIp) {
        return targetsInsideTheTunnel("forwards", forwards, network, clientIp, "where only the relay and the client are");
    }

    static List<CheckFailure> targetsInsideTheTunnel(String path, List<ForwardArgs> forwards, Ipv4Cidr network, String clientIp,
            String whoIsThere) {
        List<CheckFailure> failures = new ArrayList<>();
        if (forwards == null || network == null) {
            return failures;
        }
        String cidr = network.networkAddress() + "/" + network.prefix();
        for (int i = 0; i < forwards.size(); i++) {
            ForwardArgs f = forwards.get(i);
            String target = f == null ? null : f.targetHost();
            if (target == null || Ipv6Cidr.isIpv6(target) || Validators.forwardTargetHost(target).isPresent()
                    || Validators.forwardTargetIsNotATunnelAddress(target, network.hostAddress(), clientIp).isPresent()) {
                continue; // unknown, IPv6 (targetsInsideTheTunnel6), or refused already
            }
            if (network.contains(target)) {
                failures.add(new CheckFailure(path + "[" + i + "].targetHost", "must be a host behind the relay, but " + target
                        + " lies inside the tunnel network " + cidr + " (relay.address), " + whoIsThere + ";"
                        + " give the target's address as the relay reaches it on its own network, or pick another tunnel network"));
            }
        }
        return failures;
    }

    @Override
    public JsonObject construct(ResourceContext ctx, Inputs<Args> inputs, Children children) {
        Args args = inputs.values();
        if (args.clients() != null) {
            return PortForwardHub.construct(ctx, inputs, children);
        }
        HostClaims.claim(ctx.urn(), args.relay(), Unknowns.in(inputs.wire().toWire()), args.client());
        EngineValue<JsonElement> relay = inputs.wire().field("relay");
        EngineValue<JsonElement> client = inputs.wire().field("client");
        String name = ctx.name();

        // Children that need nothing of each other are started together: the two key pairs, then
        // the relay's interface, then the rules beside the client's interface. The client's interface
        // follows the relay's so that new keys (keyRotation) reach the relay first: the client then
        // starts its handshake with the new keys at a relay that already has them. The other way
        // round, the client's first handshake fails and WireGuard retries it only after 5 s.
        // keyRotation changes the key pairs' keepers: new keys for both ends in one run. Empty is no
        // rotation, so that stacks made before it existed keep their keys.
        JsonObject keyInputs = keyInputs(inputs);
        PendingChild relayKeyPending = children.start(KeyPair.TOKEN, name + "-relay-key", keyInputs, List.of());
        PendingChild clientKeyPending = children.start(KeyPair.TOKEN, name + "-client-key", keyInputs, List.of());
        Child relayKey = relayKeyPending.await();
        Child clientKey = clientKeyPending.await();

        EngineValue<Ipv4Cidr> network = relay.field("address").as(String.class).apply(Ipv4Cidr::parse);
        EngineValue<String> relayIp = network.apply(Ipv4Cidr::hostAddress);
        EngineValue<String> clientIp = client.field("address").as(String.class);
        // IPv6 (relay.ipv6): every address the hosts get is in canonical text (as ip and nft print them back).
        EngineValue<Ipv6Cidr> network6 = network6(args.relay(), relay);
        EngineValue<String> relayIp6 = network6.apply(Ipv6Cidr::hostAddress);
        EngineValue<String> clientIp6 = clientAddress6(client.field("address6").as(String.class), clientIp, network, network6);

        // No endpoint for the client: it may sit behind NAT; its keepalives keep the path open.
        WireObject relayPeer = new WireObject()
                .put("publicKey", clientKey.output("publicKey"))
                .put("allowedIps", hostRoutes(clientIp, clientIp6));
        WireObject relayIfInputs = relayInterfaceInputs(relay, network6, relayKey, List.of(relayPeer));
        List<Child> relayIfDependsOn = new ArrayList<>(List.of(relayKey, clientKey));
        relayIfDependsOn.addAll(openRelayFirewall(args.relay(), relay, name, children));
        PendingChild relayIfPending = children.start(WireGuardInterface.TOKEN, name + "-relay", relayIfInputs.json(), relayIfDependsOn);
        // A preview creates nothing, so the client's interface and the rules need not wait for the
        // relay's: all three are checked and diffed side by side (one serial step less per preview).
        Child relayIf = ctx.preview() ? relayIfPending.dependency() : relayIfPending.await();

        EngineValue<String> endpoint = endpoint(relay);
        EngineValue<Integer> keepalive = client.field("persistentKeepalive").as(Integer.class);
        WireObject clientPeer = new WireObject()
                .put("publicKey", relayKey.output("publicKey"))
                .put("allowedIps", hostRoutes(relayIp, relayIp6))
                .put("endpoint", endpoint)
                .put("persistentKeepalive", keepalive);
        EngineValue<String> clientCidr = EngineValue.combine(clientIp, network, (ip, net) -> ip + "/" + net.prefix());
        EngineValue<String> clientCidr6 = EngineValue.combine(clientIp6, network6, (ip, net) -> ip + "/" + net.prefix());
        EngineValue<JsonElement> clientConnection = client.field("connection");
        PendingChild clientIf = null;
        if (!clientConnection.isAbsent()) {
            WireObject clientIfInputs = new WireObject()
                    .put("connection", clientConnection)
                    .put("interfaceName", client.field("interfaceName"))
                    .put("address", clientCidr)
                    .put("address6", clientCidr6)
                    .put("privateKey", clientKey.output("privateKey"))
                    .put("peers", List.of(clientPeer));
            clientIf = children.start(WireGuardInterface.TOKEN, name + "-client", clientIfInputs.json(), List.of(relayKey, clientKey, relayIf));
        }

        WireObject rulesInputs = new WireObject()
                .put("connection", relay.field("connection"))
                .put("interfaceName", relay.field("interfaceName"))
                .put("relayAddress", relayIp)
                .put("clientAddress", clientIp)
                .put("relayAddress6", relayIp6)
                .put("clientAddress6", clientIp6)
                .put("forwards", inputs.wire().field("forwards"));
        // The rules name the relay's interface: they follow it in (and precede it out).
        Child rules = children.register(ForwardRules.TOKEN, name + "-forwards", rulesInputs.json(), List.of(relayIf));
        if (clientIf != null) {
            clientIf.await();
        }
        relayIfPending.await();

        // The client's complete wg-quick file: always a secret, unknown until the keys exist.
        EngineValue<String> relayPublicKey = relayKey.output("publicKey").as(String.class);
        EngineValue<String> clientPrivateKey = clientKey.output("privateKey").as(String.class);
        EngineValue<String> clientInterface = client.field("interfaceName").as(String.class);
        EngineValue<Integer> keepaliveOrOff = keepalive.orElse(EngineValue.of(0));
        EngineValue<String> clientConfig = clientConfig(clientInterface, clientCidr, clientCidr6, clientPrivateKey, relayPublicKey,
                hostRoutes(relayIp, relayIp6), endpoint, keepaliveOrOff);

        return new WireObject()
                .put("relayPublicKey", relayKey.output("publicKey"))
                .put("clientPublicKey", clientKey.output("publicKey"))
                .put("relayTunnelIp", relayIp)
                .put("clientTunnelIp", clientIp)
                .put("relayTunnelIp6", relayIp6)
                .put("clientTunnelIp6", clientIp6)
                .put("clientConfig", clientConfig.absentIsUnknown().asSecret())
                .put("accessPoints", rules.output("accessPoints"))
                .json();
    }

    /** The key pairs' inputs: keyRotation changes their keepers (empty is no rotation: stacks from before it keep their keys). */
    static JsonObject keyInputs(Inputs<Args> inputs) {
        return new WireObject().put("keepers", inputs.wire().field("keyRotation").as(String.class)
                .apply(r -> r.isEmpty() ? null : Map.of("rotation", r))).json();
    }

    /** What the client dials: relay.endpoint, else the connection's host, with the listen port unless it names one. */
    static EngineValue<String> endpoint(EngineValue<JsonElement> relay) {
        return EngineValue.combine(relay.field("endpoint").orElse(relay.field("connection").field("host")).as(String.class),
                relay.field("listenPort").as(Integer.class), PortForward::endpointText);
    }

    /** A client's complete wg-quick file: always a secret, unknown until the keys exist. */
    /** The relay's WireGuard interface: the relay's own inputs, its key, and a peer per client. */
    static WireObject relayInterfaceInputs(EngineValue<JsonElement> relay, EngineValue<Ipv6Cidr> network6, Child relayKey,
            List<WireObject> peers) {
        return new WireObject()
                .put("connection", relay.field("connection"))
                .put("interfaceName", relay.field("interfaceName"))
                .put("address", relay.field("address"))
                .put("address6", network6.apply(Ipv6Cidr::toString))
                .put("privateKey", relayKey.output("privateKey"))
                .put("listenPort", relay.field("listenPort"))
                .put("peers", peers);
    }

    /**
     * Asked for (relay.openFirewall), the WireGuard port is let in through the relay's input
     * firewall before the relay's interface comes up (and closed after it goes): the child to
     * depend on, or none.
     */
    static List<Child> openRelayFirewall(RelayArgs relayArgs, EngineValue<JsonElement> relay, String name, Children children) {
        if (relayArgs == null || !Boolean.TRUE.equals(relayArgs.openFirewall())) {
            return List.of();
        }
        JsonObject openingInputs = new WireObject()
                .put("connection", relay.field("connection"))
                .put("port", relay.field("listenPort"))
                .put("protocol", EngineValue.of("udp"))
                .json();
        return List.of(children.register(FirewallOpening.TOKEN, name + "-relay-firewall", openingInputs, List.of()));
    }

    /**
     * A client's complete wg-quick file: its IPv4 address and, with IPv6 ({@code clientCidr6} not
     * absent), its IPv6 address; the relay's tunnel addresses routed into the tunnel.
     */
    static EngineValue<String> clientConfig(EngineValue<String> clientInterface, EngineValue<String> clientCidr,
            EngineValue<String> clientCidr6, EngineValue<String> clientPrivateKey, EngineValue<String> relayPublicKey,
            EngineValue<List<String>> relayRoutes, EngineValue<String> endpoint, EngineValue<Integer> keepaliveOrOff) {
        EngineValue<String> cidr6 = clientCidr6.isAbsent() ? EngineValue.of("") : clientCidr6;
        return EngineValue.all(known -> WgConfigRenderer.wgQuick(new WgInterface(
                        known.get(clientInterface), known.get(clientCidr), emptyIsNull(known.get(cidr6)), OptionalInt.empty(),
                        known.get(clientPrivateKey), OptionalInt.of(1420),
                        List.of(new WgPeer(known.get(relayPublicKey), known.get(relayRoutes), Optional.of(known.get(endpoint)),
                                WgPeer.keepalive(known.get(keepaliveOrOff)))))),
                clientInterface, clientCidr, cidr6, clientPrivateKey, relayPublicKey, relayRoutes, endpoint, keepaliveOrOff);
    }

    private static String emptyIsNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String endpointText(String h, int port) {
        boolean hasPort = h.startsWith("[") ? h.contains("]:") : (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':'));
        if (hasPort) {
            return h;
        }
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
