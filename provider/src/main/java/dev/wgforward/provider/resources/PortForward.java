package dev.wgforward.provider.resources;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.CheckFailures;
import dev.wgforward.provider.framework.ComponentResource;
import dev.wgforward.provider.framework.ComponentResource.PendingChild;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.framework.Schema;
import dev.wgforward.provider.framework.Unknowns;
import dev.wgforward.provider.host.wireguard.WgConfigRenderer;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgPeer;
import dev.wgforward.provider.resources.ForwardRules.ForwardArgs;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * {@code wgforward:index:PortForward}: the whole A → WireGuard → B → DNAT → C setup as one
 * component. Its children are a key pair per side (generated once, kept as secrets), the relay's
 * interface, the client's interface when the client is reachable over SSH, and the relay's
 * forwarding rules — so a change to the forwards touches only the rules, never the tunnel.
 */
public final class PortForward implements ComponentResource {
    private static final Gson GSON = new Gson();
    static final String TOKEN = "wgforward:index:PortForward";

    record RelayArgs(ConnectionArgs connection, String endpoint, Integer listenPort, String interfaceName, String address) {}

    record ClientArgs(ConnectionArgs connection, String address, String interfaceName, Integer persistentKeepalive) {}

    record Args(RelayArgs relay, ClientArgs client, List<ForwardArgs> forwards) {}

    private final Schema schema;

    public PortForward(Schema schema) {
        this.schema = schema;
    }

    @Override
    public String token() {
        return TOKEN;
    }

    @Override
    public Class<Args> inputType() {
        return Args.class;
    }

    /** The inputs with every schema default filled in (an absent client is a default client). */
    private JsonObject withDefaults(JsonObject inputs) {
        JsonObject in = inputs.deepCopy();
        if (!in.has("client") || in.get("client").isJsonNull()) {
            in.add("client", new JsonObject());
        }
        return schema.withDefaults(TOKEN, in);
    }

    @Override
    public List<CheckFailure> check(JsonObject rawInputs) {
        JsonObject inputs = withDefaults(rawInputs);
        List<CheckFailure> failures = new ArrayList<>(schema.missingRequired(TOKEN, inputs));
        failures.addAll(schema.typeErrors(TOKEN, inputs));
        if (!failures.isEmpty()) {
            return failures;
        }
        Args args;
        try {
            args = GSON.fromJson(Values.plain(inputs), Args.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            return List.of(new CheckFailure("", "inputs do not have the schema's shape: " + e.getMessage()));
        }
        // A whole relay or client may be unknown at preview (it comes from another resource).
        RelayArgs relay = args.relay() != null ? args.relay() : new RelayArgs(null, null, null, null, null);
        ClientArgs client = args.client() != null ? args.client() : new ClientArgs(null, null, null, null);
        CheckFailures checked = new CheckFailures();
        Unknowns unknowns = Unknowns.in(rawInputs);
        Ipv4Cidr network = checkRelay(relay, unknowns, checked);
        String clientIp = checkClient(client, network, unknowns, checked);
        if (client.connection() != null && relay.interfaceName() != null && relay.connection() != null
                && relay.connection().host() != null && relay.connection().endpoint().equals(client.connection().endpoint())
                && relay.interfaceName().equals(client.interfaceName())) {
            checked.add("client.interfaceName", "the client and the relay are the same host; give them different interface names");
        }
        failures.addAll(checked.list());
        failures.addAll(ForwardRules.checkForwards("forwards", args.forwards(), network == null ? null : network.hostAddress(), clientIp));
        failures.addAll(targetsInsideTheTunnel(args.forwards(), network, clientIp));
        return failures;
    }

    /** Checks the relay's inputs; returns its tunnel network when that is known and valid. */
    private static Ipv4Cidr checkRelay(RelayArgs relay, Unknowns unknowns, CheckFailures failures) {
        if (relay.connection() != null) {
            failures.addAll(relay.connection().check("relay.connection", unknowns));
        }
        failures.check("relay.endpoint", relay.endpoint(), e -> Validators.endpoint(e).isEmpty() || Validators.hostname(e).isEmpty()
                        ? Optional.empty()
                        : Optional.of("must be a host name or address, optionally with :port (what the client dials), got "
                                + Validators.displayValue(e)))
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
        String cidr = network.networkAddress() + "/" + network.prefix();
        if (!network.contains(address)) {
            failures.add("client.address", address + " is outside the relay's tunnel network " + cidr
                    + " (relay.address); pick an address inside it");
        } else if (address.equals(network.hostAddress())) {
            failures.add("client.address", address + " is the relay's own tunnel address; pick another one in " + cidr);
        } else if (new Ipv4Cidr(Ipv4Cidr.parseAddress(address), network.prefix()).isNetworkOrBroadcastAddress()) {
            failures.add("client.address", address + " is the network or broadcast address of " + cidr);
        } else {
            return address;
        }
        return null;
    }

    /**
     * The relay's tunnel network holds only the relay and the client (the relay's interface has
     * the client as its one peer): a target elsewhere inside it can't be reached.
     */
    private static List<CheckFailure> targetsInsideTheTunnel(List<ForwardArgs> forwards, Ipv4Cidr network, String clientIp) {
        List<CheckFailure> failures = new ArrayList<>();
        if (forwards == null || network == null) {
            return failures;
        }
        String cidr = network.networkAddress() + "/" + network.prefix();
        for (int i = 0; i < forwards.size(); i++) {
            ForwardArgs f = forwards.get(i);
            String target = f == null ? null : f.targetHost();
            if (target == null || Validators.forwardTargetHost(target).isPresent()
                    || Validators.forwardTargetIsNotATunnelAddress(target, network.hostAddress(), clientIp).isPresent()) {
                continue; // unknown, or refused already
            }
            if (network.contains(target)) {
                failures.add(new CheckFailure("forwards[" + i + "].targetHost", "must be a host behind the relay, but " + target
                        + " lies inside the tunnel network " + cidr + " (relay.address), where only the relay and the client are;"
                        + " give the target's address as the relay reaches it on its own network, or pick another tunnel network"));
            }
        }
        return failures;
    }

    @Override
    public JsonObject construct(ResourceContext ctx, JsonObject rawInputs, Children children) {
        JsonObject in = withDefaults(rawInputs);
        HostClaims.claim(ctx.urn(), Values.unwrapSecret(in.get("relay")).getAsJsonObject(),
                in.get("client") != null && Values.unwrapSecret(in.get("client")).isJsonObject()
                        ? Values.unwrapSecret(in.get("client")).getAsJsonObject() : null);
        Fields relay = new Fields(in.get("relay"));
        Fields client = new Fields(in.get("client"));
        String name = ctx.name();

        // Children that need nothing of each other are started together: the two key pairs, then
        // the two interfaces (each on its own host), the rules beside the client's interface.
        PendingChild relayKeyPending = children.start("wgforward:index:KeyPair", name + "-relay-key", new JsonObject(), List.of());
        PendingChild clientKeyPending = children.start("wgforward:index:KeyPair", name + "-client-key", new JsonObject(), List.of());
        Child relayKey = relayKeyPending.await();
        Child clientKey = clientKeyPending.await();

        JsonElement relayCidr = relay.field("address");
        JsonElement relayIp = derive(v -> Ipv4Cidr.parse(v[0].getAsString()).hostAddress(), relayCidr);
        JsonElement prefix = derive(v -> String.valueOf(Ipv4Cidr.parse(v[0].getAsString()).prefix()), relayCidr);
        JsonElement clientIp = client.field("address");
        JsonElement endpoint = endpoint(relay);

        JsonObject relayPeer = new JsonObject();
        relayPeer.add("publicKey", clientKey.outputs().get("publicKey"));
        relayPeer.add("allowedIps", array(derive(v -> v[0].getAsString() + "/32", clientIp)));
        // No endpoint for the client: it may sit behind NAT; its keepalives keep the path open.
        JsonObject relayIfInputs = new JsonObject();
        relayIfInputs.add("connection", relay.field("connection"));
        relayIfInputs.add("interfaceName", relay.field("interfaceName"));
        relayIfInputs.add("address", relayCidr);
        relayIfInputs.add("privateKey", relayKey.outputs().get("privateKey"));
        relayIfInputs.add("listenPort", relay.field("listenPort"));
        relayIfInputs.add("peers", array(relayPeer));
        PendingChild relayIfPending = children.start("wgforward:index:WireGuardInterface", name + "-relay", relayIfInputs,
                List.of(relayKey, clientKey));

        JsonObject clientPeer = new JsonObject();
        clientPeer.add("publicKey", relayKey.outputs().get("publicKey"));
        clientPeer.add("allowedIps", array(derive(v -> v[0].getAsString() + "/32", relayIp)));
        clientPeer.add("endpoint", endpoint);
        clientPeer.add("persistentKeepalive", client.field("persistentKeepalive"));
        JsonElement clientConnection = client.field("connection");
        PendingChild clientIf = null;
        if (clientConnection != null && !clientConnection.isJsonNull()) {
            JsonObject clientIfInputs = new JsonObject();
            clientIfInputs.add("connection", clientConnection);
            clientIfInputs.add("interfaceName", client.field("interfaceName"));
            clientIfInputs.add("address", derive(v -> v[0].getAsString() + "/" + v[1].getAsString(), clientIp, prefix));
            clientIfInputs.add("privateKey", clientKey.outputs().get("privateKey"));
            clientIfInputs.add("peers", array(clientPeer));
            clientIf = children.start("wgforward:index:WireGuardInterface", name + "-client", clientIfInputs, List.of(relayKey, clientKey));
        }

        JsonObject rulesInputs = new JsonObject();
        rulesInputs.add("connection", relay.field("connection"));
        rulesInputs.add("interfaceName", relay.field("interfaceName"));
        rulesInputs.add("relayAddress", relayIp);
        rulesInputs.add("clientAddress", clientIp);
        rulesInputs.add("forwards", in.get("forwards"));
        // The rules name the relay's interface: they follow it in (and precede it out).
        Child rules = children.register("wgforward:index:ForwardRules", name + "-forwards", rulesInputs,
                List.of(relayIfPending.await()));
        if (clientIf != null) {
            clientIf.await();
        }

        JsonObject outputs = new JsonObject();
        outputs.add("relayPublicKey", orUnknown(relayKey.outputs().get("publicKey")));
        outputs.add("clientPublicKey", orUnknown(clientKey.outputs().get("publicKey")));
        outputs.add("relayTunnelIp", relayIp);
        outputs.add("clientTunnelIp", clientIp);
        outputs.add("clientConfig", clientConfig(client, clientIp, prefix, clientKey, clientPeer));
        outputs.add("accessPoints", orUnknown(rules.outputs().get("accessPoints")));
        return outputs;
    }

    /** The client's complete wg-quick file: always a secret, unknown until the keys exist. */
    private static JsonElement clientConfig(Fields client, JsonElement clientIp, JsonElement prefix, Child clientKey,
            JsonObject clientPeer) {
        JsonElement all = array(clientIp, prefix, clientKey.outputs().get("privateKey"), clientPeer, client.field("interfaceName"));
        if (Values.containsUnknown(all) || clientKey.outputs().get("privateKey") == null) {
            return Values.secret(Values.unknown());
        }
        JsonObject peer = Values.plain(clientPeer).getAsJsonObject();
        Integer keepalive = peer.has("persistentKeepalive") && !peer.get("persistentKeepalive").isJsonNull()
                ? peer.get("persistentKeepalive").getAsInt() : null;
        WgPeer relayPeer = new WgPeer(peer.get("publicKey").getAsString(),
                List.of(peer.getAsJsonArray("allowedIps").get(0).getAsString()),
                Optional.of(peer.get("endpoint").getAsString()),
                keepalive == null || keepalive == 0 ? OptionalInt.empty() : OptionalInt.of(keepalive), Optional.empty());
        WgInterface wg = new WgInterface(Values.plain(client.field("interfaceName")).getAsString(),
                Values.plain(clientIp).getAsString() + "/" + Values.plain(prefix).getAsString(), OptionalInt.empty(),
                Values.plain(clientKey.outputs().get("privateKey")).getAsString(), OptionalInt.of(1420), List.of(relayPeer));
        return Values.secret(new JsonPrimitive(WgConfigRenderer.wgQuick(wg)));
    }

    /** What the client dials: relay.endpoint, else the relay's SSH host; with listenPort unless a port is given. */
    private static JsonElement endpoint(Fields relay) {
        JsonElement explicit = relay.field("endpoint");
        JsonElement host = explicit != null && !explicit.isJsonNull() ? explicit
                : new Fields(relay.field("connection")).field("host");
        return derive(v -> endpointText(v[0].getAsString(), v[1].getAsInt()), host, relay.field("listenPort"));
    }

    private static String endpointText(String h, int port) {
        boolean hasPort = h.startsWith("[") ? h.contains("]:") : (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':'));
        if (hasPort) {
            return h;
        }
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /**
     * A value computed from input or child values: unknown while any of them is absent or unknown
     * (preview), secret if any of them is secret. {@code fn} gets their plain values.
     */
    private static JsonElement derive(Function<JsonElement[], String> fn, JsonElement... from) {
        JsonElement[] plain = new JsonElement[from.length];
        boolean secret = false;
        for (int i = 0; i < from.length; i++) {
            JsonElement inner = Values.unwrapSecret(from[i]);
            if (inner == null || inner.isJsonNull() || Values.isUnknown(inner)) {
                return Values.unknown();
            }
            plain[i] = Values.plain(from[i]);
            secret |= Values.containsSecret(from[i]);
        }
        JsonPrimitive derived = new JsonPrimitive(fn.apply(plain));
        return secret ? Values.secret(derived) : derived;
    }

    /**
     * The fields of an input object. If the object itself is secret, so is each field taken
     * from it: a secret relay's connection stays secret in the children's state.
     */
    private record Fields(JsonElement object) {
        JsonElement field(String name) {
            JsonElement inner = Values.unwrapSecret(object);
            if (inner == null || !inner.isJsonObject()) {
                return Values.isUnknown(inner) ? Values.unknown() : null;
            }
            JsonElement value = inner.getAsJsonObject().get(name);
            boolean secret = object != null && Values.isSecret(object);
            return secret && value != null && !value.isJsonNull() && !Values.isSecret(value) ? Values.secret(value) : value;
        }
    }

    private static JsonArray array(JsonElement... items) {
        JsonArray a = new JsonArray();
        for (JsonElement item : items) {
            a.add(item);
        }
        return a;
    }

    private static JsonElement orUnknown(JsonElement e) {
        return e == null || e.isJsonNull() ? Values.unknown() : e;
    }
}
