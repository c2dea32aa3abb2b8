package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.unwrap;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.testing.TestSupport;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.framework.ComponentResource.Child;
import dev.wgforward.provider.framework.ComponentResource.Children;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PortForward's construct: which children it registers, wired how, and what it returns. */
class PortForwardConstructTest {
    private static final String KEY_PAIR = "wgforward:index:KeyPair";
    private static final String WG = "wgforward:index:WireGuardInterface";
    private static final String RULES = "wgforward:index:ForwardRules";
    private static final String ADDRESSES = "wgforward:index:TunnelAddresses";

    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);

    record Registration(String type, String name, JsonObject inputs, List<Child> dependsOn, Child child) {}

    /**
     * Stands in for the engine: records each registration and answers with plausible outputs —
     * unknowns in preview, real keys from {@link WgKeys#generate()} in a normal run.
     */
    static final class RecordingChildren implements Children {
        final boolean preview;
        final List<Registration> registrations = new ArrayList<>();
        final List<WgKeyPair> keys = new ArrayList<>();

        RecordingChildren(boolean preview) {
            this.preview = preview;
        }

        @Override
        public Child register(String type, String name, JsonObject inputs, List<Child> dependsOn) {
            JsonObject outputs = inputs.deepCopy();
            switch (type) {
                case KEY_PAIR -> {
                    if (preview) {
                        outputs.add("publicKey", Values.unknown());
                        outputs.add("privateKey", Values.unknown());
                    } else {
                        WgKeyPair pair = WgKeys.generate();
                        keys.add(pair);
                        outputs.addProperty("publicKey", pair.publicKey());
                        outputs.add("privateKey", Values.secret(new JsonPrimitive(pair.privateKey())));
                    }
                }
                case WG -> {
                    outputs.add("publicKey", preview ? Values.unknown()
                            : new JsonPrimitive(WgKeys.publicKeyOf(Values.plain(inputs.get("privateKey")).getAsString())));
                    outputs.add("implementation", preview ? Values.unknown() : new JsonPrimitive("kernel"));
                }
                case RULES -> {
                    if (preview) {
                        outputs.add("accessPoints", Values.unknown());
                    } else {
                        JsonArray points = new JsonArray();
                        JsonObject plain = Values.plain(inputs).getAsJsonObject();
                        JsonArray forwards = new JsonArray();
                        if (plain.has("clients")) {
                            plain.getAsJsonArray("clients").forEach(c -> forwards.addAll(c.getAsJsonObject().getAsJsonArray("forwards")));
                        } else {
                            forwards.addAll(plain.getAsJsonArray("forwards"));
                        }
                        for (JsonElement f : forwards) {
                            JsonObject fo = f.getAsJsonObject();
                            points.add(plain.get("relayAddress").getAsString() + ":" + fo.get("port").getAsInt() + " -> "
                                    + fo.get("targetHost").getAsString() + ":" + fo.get("targetPort").getAsInt());
                        }
                        outputs.add("accessPoints", points);
                    }
                }
                case ADDRESSES -> {
                    // As the resource does: the same assignment in preview and in a run.
                    TunnelAddresses.Inputs in = new com.google.gson.Gson().fromJson(Values.plain(inputs), TunnelAddresses.Inputs.class);
                    outputs.add("addresses", new com.google.gson.Gson().toJsonTree(TunnelAddresses.assign(in, java.util.Map.of())));
                }
                case "wgforward:index:FirewallOpening" -> outputs.add("opening", preview ? Values.unknown() : new JsonPrimitive("ufw"));
                default -> throw new AssertionError("unexpected child type " + type);
            }
            Child child = new Child("urn:pulumi:test::proj::" + type + "::" + name, outputs);
            // The engine knows a dependency by its URN alone (a preview names one before its
            // registration is done: PendingChild.dependency()): recorded as the child of that URN.
            List<Child> deps = dependsOn.stream().map(d -> registrations.stream().map(Registration::child)
                    .filter(c -> c.urn().equals(d.urn())).findFirst().orElse(d)).toList();
            registrations.add(new Registration(type, name, inputs.deepCopy(), deps, child));
            return child;
        }

        List<String> types() {
            return registrations.stream().map(Registration::type).toList();
        }

        Registration named(String name) {
            return registrations.stream().filter(r -> r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no child named " + name + " in " + registrations.stream().map(Registration::name).toList()));
        }
    }

    private static JsonObject minimal() {
        return obj("""
                {"relay": {"connection": {"host": "relay.example.com"}},
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """);
    }

    private static JsonObject withClientConnection() {
        JsonObject in = minimal();
        in.add("client", obj("{\"connection\": {\"host\": \"client.example.com\", \"user\": \"ubuntu\"}}"));
        return in;
    }

    private JsonObject construct(JsonObject inputs, RecordingChildren children) {
        assertEquals(List.of(), component.check(inputs), "the test inputs must be valid");
        return component.construct(ctx("pf", children.preview), inputs, children);
    }

    private static JsonObject peer(Registration wg) {
        JsonArray peers = wg.inputs().getAsJsonArray("peers");
        assertEquals(1, peers.size(), peers::toString);
        return peers.get(0).getAsJsonObject();
    }

    private static JsonArray strings(String... items) {
        JsonArray a = new JsonArray();
        for (String s : items) {
            a.add(s);
        }
        return a;
    }

    // ---- preview ------------------------------------------------------------------------------

    @Test
    void previewRegistersKeysRelayInterfaceAndRules() {
        RecordingChildren children = new RecordingChildren(true);
        JsonObject out = construct(minimal(), children);
        assertEquals(List.of(KEY_PAIR, KEY_PAIR, WG, RULES), children.types(), "no client interface without client.connection");

        Registration relayKey = children.named("pf-relay-key");
        Registration clientKey = children.named("pf-client-key");
        Registration relayIf = children.named("pf-relay");
        Registration rules = children.named("pf-forwards");
        assertEquals(new JsonObject(), relayKey.inputs());
        assertEquals(List.of(), relayKey.dependsOn());

        JsonObject relayIn = relayIf.inputs();
        assertEquals("relay.example.com", relayIn.getAsJsonObject("connection").get("host").getAsString());
        assertEquals("wgf0", relayIn.get("interfaceName").getAsString());
        assertEquals("10.77.42.1/24", relayIn.get("address").getAsString());
        assertEquals("fd77:a4d:2a00::1/64", relayIn.get("address6").getAsString(), "dual-stack by default (relay.ipv6)");
        assertEquals(51820, relayIn.get("listenPort").getAsInt());
        assertTrue(Values.isUnknown(relayIn.get("privateKey")));
        JsonObject relayPeer = peer(relayIf);
        assertTrue(Values.isUnknown(relayPeer.get("publicKey")));
        assertEquals(strings("10.77.42.2/32", "fd77:a4d:2a00::2/128"), relayPeer.get("allowedIps"), "the client's /32 and /128");
        assertFalse(relayPeer.has("endpoint"), "the client may be behind NAT: no endpoint for it");
        assertEquals(List.of(relayKey.child(), clientKey.child()), relayIf.dependsOn());

        assertEquals(List.of(relayIf.child()), rules.dependsOn(), "the rules need the tunnel interface first");
        assertEquals("10.77.42.1", rules.inputs().get("relayAddress").getAsString());
        assertEquals("10.77.42.2", rules.inputs().get("clientAddress").getAsString());
        assertEquals("fd77:a4d:2a00::1", rules.inputs().get("relayAddress6").getAsString());
        assertEquals("fd77:a4d:2a00::2", rules.inputs().get("clientAddress6").getAsString(), "the client's IPv4 host number in the IPv6 network");
        assertEquals("wgf0", rules.inputs().get("interfaceName").getAsString());

        assertEquals("10.77.42.1", out.get("relayTunnelIp").getAsString());
        assertEquals("10.77.42.2", out.get("clientTunnelIp").getAsString());
        assertEquals("fd77:a4d:2a00::1", out.get("relayTunnelIp6").getAsString());
        assertEquals("fd77:a4d:2a00::2", out.get("clientTunnelIp6").getAsString());
        assertTrue(Values.isUnknown(out.get("relayPublicKey")));
        assertTrue(Values.isUnknown(out.get("clientPublicKey")));
        assertTrue(Values.isUnknown(unwrap(out.get("clientConfig"))), out::toString);
        assertTrue(Values.isUnknown(out.get("accessPoints")));
    }

    @Test
    void keyRotationIsBothKeyPairsKeepersAndEmptyIsNone() {
        JsonObject rotated = minimal();
        rotated.addProperty("keyRotation", "2026-12");
        RecordingChildren children = new RecordingChildren(true);
        construct(rotated, children);
        JsonObject keepers = obj("{\"keepers\": {\"rotation\": \"2026-12\"}}");
        assertEquals(keepers, children.named("pf-relay-key").inputs());
        assertEquals(keepers, children.named("pf-client-key").inputs());

        JsonObject empty = minimal();
        empty.addProperty("keyRotation", "");
        RecordingChildren none = new RecordingChildren(true);
        construct(empty, none);
        assertEquals(new JsonObject(), none.named("pf-relay-key").inputs(), "empty: the keys made at creation, as before");
    }

    @Test
    void previewWithClientConnectionRegistersTheClientInterface() {
        RecordingChildren children = new RecordingChildren(true);
        construct(withClientConnection(), children);
        assertEquals(List.of(KEY_PAIR, KEY_PAIR, WG, WG, RULES), children.types());
        Registration clientIf = children.named("pf-client");
        assertEquals("client.example.com", clientIf.inputs().getAsJsonObject("connection").get("host").getAsString());
        assertEquals("10.77.42.2/24", clientIf.inputs().get("address").getAsString());
        assertEquals("fd77:a4d:2a00::2/64", clientIf.inputs().get("address6").getAsString());
        assertTrue(Values.isUnknown(clientIf.inputs().get("privateKey")));
        JsonObject p = peer(clientIf);
        assertTrue(Values.isUnknown(p.get("publicKey")));
        assertEquals(strings("10.77.42.1/32", "fd77:a4d:2a00::1/128"), p.get("allowedIps"), "only the relay's tunnel addresses go into the tunnel");
        assertEquals("relay.example.com:51820", p.get("endpoint").getAsString());
        assertEquals(25, p.get("persistentKeepalive").getAsInt());
        assertEquals(List.of(children.named("pf-relay-key").child(), children.named("pf-client-key").child(),
                children.named("pf-relay").child()), clientIf.dependsOn(), "the client's interface follows the relay's (new keys reach the relay first)");
    }

    @Test
    void previewWithUnknownRelayHostHasUnknownEndpoint() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").getAsJsonObject("connection").add("host", Values.unknown());
        RecordingChildren children = new RecordingChildren(true);
        construct(in, children);
        assertTrue(Values.isUnknown(peer(children.named("pf-client")).get("endpoint")));
    }

    @Test
    void previewWithUnknownAddressesKeepsThemUnknown() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").add("address", Values.unknown());
        in.getAsJsonObject("client").add("address", Values.unknown());
        RecordingChildren children = new RecordingChildren(true);
        JsonObject out = construct(in, children);
        assertTrue(Values.isUnknown(out.get("relayTunnelIp")));
        assertTrue(Values.isUnknown(out.get("clientTunnelIp")));
        assertTrue(Values.isUnknown(children.named("pf-client").inputs().get("address")));
        assertTrue(Values.isUnknown(children.named("pf-forwards").inputs().get("relayAddress")));
        assertTrue(Values.containsUnknown(peer(children.named("pf-relay")).get("allowedIps")));
    }

    // ---- normal run ---------------------------------------------------------------------------

    @Test
    void runWiresTheRealKeys() {
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(withClientConnection(), children);
        assertEquals(List.of(KEY_PAIR, KEY_PAIR, WG, WG, RULES), children.types());
        WgKeyPair relayKey = children.keys.get(0);
        WgKeyPair clientKey = children.keys.get(1);

        Registration relayIf = children.named("pf-relay");
        assertTrue(Values.isSecret(relayIf.inputs().get("privateKey")), "the relay's private key stays secret");
        assertEquals(relayKey.privateKey(), Values.plain(relayIf.inputs().get("privateKey")).getAsString());
        JsonObject relayPeer = peer(relayIf);
        assertEquals(clientKey.publicKey(), relayPeer.get("publicKey").getAsString());
        assertEquals(strings("10.77.42.2/32", "fd77:a4d:2a00::2/128"), relayPeer.get("allowedIps"));
        assertFalse(relayPeer.has("endpoint"));

        Registration clientIf = children.named("pf-client");
        assertTrue(Values.isSecret(clientIf.inputs().get("privateKey")), "the client's private key stays secret");
        assertEquals(clientKey.privateKey(), Values.plain(clientIf.inputs().get("privateKey")).getAsString());
        assertEquals("ubuntu", clientIf.inputs().getAsJsonObject("connection").get("user").getAsString());
        assertEquals("wgf0", clientIf.inputs().get("interfaceName").getAsString());
        assertFalse(clientIf.inputs().has("listenPort") && !clientIf.inputs().get("listenPort").isJsonNull(),
                "the client listens on a random port");
        JsonObject clientPeer = peer(clientIf);
        assertEquals(relayKey.publicKey(), clientPeer.get("publicKey").getAsString());
        assertEquals(strings("10.77.42.1/32", "fd77:a4d:2a00::1/128"), clientPeer.get("allowedIps"));
        assertEquals("relay.example.com:51820", clientPeer.get("endpoint").getAsString());
        assertEquals(25, clientPeer.get("persistentKeepalive").getAsInt());

        Registration rules = children.named("pf-forwards");
        assertEquals(List.of(relayIf.child()), rules.dependsOn());
        JsonObject forward = rules.inputs().getAsJsonArray("forwards").get(0).getAsJsonObject();
        assertEquals("tcp", forward.get("protocol").getAsString(), "defaults are filled in for the child");
        assertEquals(22, rules.inputs().getAsJsonObject("connection").get("port").getAsInt());

        assertEquals(relayKey.publicKey(), out.get("relayPublicKey").getAsString());
        assertEquals(clientKey.publicKey(), out.get("clientPublicKey").getAsString());
        assertEquals("10.77.42.1", out.get("relayTunnelIp").getAsString());
        assertEquals("10.77.42.2", out.get("clientTunnelIp").getAsString());
        assertEquals(strings("10.77.42.1:8888 -> 10.0.0.2:22"), out.get("accessPoints"));
    }

    @Test
    void clientConfigIsASecretWgQuickFile() {
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(minimal(), children);
        assertEquals(List.of(KEY_PAIR, KEY_PAIR, WG, RULES), children.types());
        WgKeyPair relayKey = children.keys.get(0);
        WgKeyPair clientKey = children.keys.get(1);

        JsonElement config = out.get("clientConfig");
        assertTrue(Values.isSecret(config), "clientConfig holds the client's private key: " + config);
        String text = Values.plain(config).getAsString();
        List<String> lines = text.lines().toList();
        assertTrue(lines.contains("[Interface]"), text);
        assertTrue(lines.contains("PrivateKey = " + clientKey.privateKey()), "the client's private key");
        assertTrue(lines.contains("Address = 10.77.42.2/24"), text);
        assertTrue(lines.contains("Address = fd77:a4d:2a00::2/64"), text);
        assertTrue(lines.contains("[Peer]"), text);
        assertTrue(lines.contains("PublicKey = " + relayKey.publicKey()), text);
        assertTrue(lines.contains("AllowedIPs = 10.77.42.1/32, fd77:a4d:2a00::1/128"), text);
        assertTrue(lines.contains("Endpoint = relay.example.com:51820"), text);
        assertTrue(lines.contains("PersistentKeepalive = 25"), text);
        assertFalse(text.contains(relayKey.privateKey()), "never the relay's private key");
        assertTrue(text.indexOf("[Interface]") < text.indexOf("[Peer]"));
    }

    private String clientEndpoint(JsonObject inputs) {
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(inputs, children);
        String viaInterface = peer(children.named("pf-client")).get("endpoint").getAsString();
        String config = Values.plain(out.get("clientConfig")).getAsString();
        assertTrue(config.lines().toList().contains("Endpoint = " + viaInterface), config);
        return viaInterface;
    }

    @Test
    void endpointIsRelayEndpointWithListenPort() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").addProperty("endpoint", "vpn.example.com");
        assertEquals("vpn.example.com:51820", clientEndpoint(in));
    }

    @Test
    void endpointWithItsOwnPortIsKept() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").addProperty("endpoint", "vpn.example.com:4500");
        assertEquals("vpn.example.com:4500", clientEndpoint(in));
    }

    @Test
    void endpointFollowsTheListenPort() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").addProperty("listenPort", 51999);
        assertEquals("relay.example.com:51999", clientEndpoint(in));
    }

    @Test
    void ipv6EndpointIsBracketed() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").getAsJsonObject("connection").addProperty("host", "2001:db8::10");
        assertEquals("[2001:db8::10]:51820", clientEndpoint(in));
        JsonObject explicit = withClientConnection();
        explicit.getAsJsonObject("relay").addProperty("endpoint", "[2001:db8::1]:4500");
        assertEquals("[2001:db8::1]:4500", clientEndpoint(explicit));
    }

    @Test
    void keepaliveZeroTurnsKeepalivesOff() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("client").addProperty("persistentKeepalive", 0);
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(in, children);
        assertEquals(0, peer(children.named("pf-client")).get("persistentKeepalive").getAsInt());
        assertFalse(Values.plain(out.get("clientConfig")).getAsString().contains("PersistentKeepalive"));
    }

    @Test
    void customAddressesAndNamesReachEveryChild() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").addProperty("address", "10.99.0.1/29");
        in.getAsJsonObject("relay").addProperty("interfaceName", "wg-relay");
        in.getAsJsonObject("client").addProperty("address", "10.99.0.6");
        in.getAsJsonObject("client").addProperty("interfaceName", "wg-client");
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(in, children);
        assertEquals("10.99.0.1/29", children.named("pf-relay").inputs().get("address").getAsString());
        assertEquals("wg-relay", children.named("pf-relay").inputs().get("interfaceName").getAsString());
        assertEquals(strings("10.99.0.6/32", "fd77:a63::6/128"), peer(children.named("pf-relay")).get("allowedIps"));
        assertEquals("10.99.0.6/29", children.named("pf-client").inputs().get("address").getAsString());
        assertEquals("wg-client", children.named("pf-client").inputs().get("interfaceName").getAsString());
        assertEquals(strings("10.99.0.1/32", "fd77:a63::1/128"), peer(children.named("pf-client")).get("allowedIps"));
        assertEquals("wg-relay", children.named("pf-forwards").inputs().get("interfaceName").getAsString());
        assertEquals("10.99.0.1", children.named("pf-forwards").inputs().get("relayAddress").getAsString());
        assertEquals("10.99.0.6", children.named("pf-forwards").inputs().get("clientAddress").getAsString());
        assertEquals("10.99.0.1", out.get("relayTunnelIp").getAsString());
        assertEquals("10.99.0.6", out.get("clientTunnelIp").getAsString());
        String config = Values.plain(out.get("clientConfig")).getAsString();
        assertTrue(config.contains("Address = 10.99.0.6/29"), config);
        assertTrue(config.contains("wg-client"), config);
    }

    @Test
    void secretLeavesStaySecretInChildren() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").getAsJsonObject("connection")
                .add("privateKey", Values.secret(new JsonPrimitive(TestSupport.sshPrivateKey(""))));
        in.getAsJsonArray("forwards").get(0).getAsJsonObject().add("targetHost", Values.secret(new JsonPrimitive("10.0.0.2")));
        RecordingChildren children = new RecordingChildren(false);
        construct(in, children);
        assertTrue(Values.isSecret(children.named("pf-relay").inputs().getAsJsonObject("connection").get("privateKey")));
        assertTrue(Values.isSecret(children.named("pf-forwards").inputs().getAsJsonObject("connection").get("privateKey")));
        assertTrue(Values.isSecret(children.named("pf-forwards").inputs().getAsJsonArray("forwards").get(0).getAsJsonObject().get("targetHost")));
    }

    @Test
    void secretRelayAddressStaysSecretWhereItIsUsed() {
        JsonObject in = minimal();
        in.getAsJsonObject("relay").add("address", Values.secret(new JsonPrimitive("10.77.42.1/24")));
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(in, children);
        assertTrue(Values.isSecret(children.named("pf-relay").inputs().get("address")));
        assertTrue(Values.isSecret(out.get("relayTunnelIp")));
        assertTrue(Values.isSecret(children.named("pf-forwards").inputs().get("relayAddress")));
    }

    // ---- IPv6 ---------------------------------------------------------------------------------

    @Test
    void ipv6FalseIsTheIpv4OnlyTunnel() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").addProperty("ipv6", false);
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(in, children);
        assertFalse(children.named("pf-relay").inputs().has("address6"));
        assertFalse(children.named("pf-client").inputs().has("address6"));
        assertEquals(strings("10.77.42.2/32"), peer(children.named("pf-relay")).get("allowedIps"));
        assertEquals(strings("10.77.42.1/32"), peer(children.named("pf-client")).get("allowedIps"));
        assertFalse(children.named("pf-forwards").inputs().has("relayAddress6"));
        assertFalse(children.named("pf-forwards").inputs().has("clientAddress6"));
        assertFalse(out.has("relayTunnelIp6"));
        assertFalse(out.has("clientTunnelIp6"));
        String config = Values.plain(out.get("clientConfig")).getAsString();
        assertFalse(config.contains("fd77"), config);
        assertTrue(config.lines().toList().contains("AllowedIPs = 10.77.42.1/32"), config);
    }

    @Test
    void ipv6AddressesReachTheHostsInCanonicalText() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").addProperty("address6", "FD00:0:0:7::0001/64");
        in.getAsJsonObject("client").addProperty("address6", "fd00:0:0:7:0:0:0:20");
        in.getAsJsonArray("forwards").add(obj("{\"port\": 8889, \"targetHost\": \"2001:DB8:200:0::2\", \"targetPort\": 22}"));
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(in, children);
        assertEquals("fd00:0:0:7::1/64", children.named("pf-relay").inputs().get("address6").getAsString());
        assertEquals("fd00:0:0:7::20/64", children.named("pf-client").inputs().get("address6").getAsString());
        assertEquals(strings("10.77.42.2/32", "fd00:0:0:7::20/128"), peer(children.named("pf-relay")).get("allowedIps"));
        assertEquals("fd00:0:0:7::1", children.named("pf-forwards").inputs().get("relayAddress6").getAsString());
        assertEquals("fd00:0:0:7::20", children.named("pf-forwards").inputs().get("clientAddress6").getAsString());
        assertEquals("fd00:0:0:7::1", out.get("relayTunnelIp6").getAsString());
        // The forwards go to ForwardRules as written; it canonicalizes them for the host (ForwardRulesCheckTest).
        ForwardRules.Inputs rules = new com.google.gson.Gson().fromJson(Values.plain(children.named("pf-forwards").inputs()),
                ForwardRules.Inputs.class);
        assertEquals("2001:db8:200::2", ForwardRules.ruleset(rules).entries(true).get(0).forward().targetHost());
    }

    @Test
    void relayReachedOverIpv6GivesTheClientABracketedEndpoint() {
        JsonObject in = withClientConnection();
        in.getAsJsonObject("relay").getAsJsonObject("connection").addProperty("host", "2001:db8:113::1");
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(in, children);
        assertEquals("[2001:db8:113::1]:51820", peer(children.named("pf-client")).get("endpoint").getAsString());
        assertTrue(Values.plain(out.get("clientConfig")).getAsString().lines().toList().contains("Endpoint = [2001:db8:113::1]:51820"));
    }
}
