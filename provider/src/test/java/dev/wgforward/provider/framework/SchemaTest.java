package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.unwrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Defaults, required inputs and secrets as the repository's schema.json declares them. */
class SchemaTest {
    private static final Schema SCHEMA = new Schema(ProviderInfo.load().schemaJson());
    private static final String WG = "wgforward:index:WireGuardInterface";
    private static final String RULES = "wgforward:index:ForwardRules";
    private static final String KEYPAIR = "wgforward:index:KeyPair";
    private static final String PORT_FORWARD = "wgforward:index:PortForward";

    private static JsonObject obj(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    private static List<String> paths(List<CheckFailure> failures) {
        return failures.stream().map(CheckFailure::property).toList();
    }

    @Test
    void topLevelAndConnectionDefaults() {
        JsonObject in = SCHEMA.withDefaults(WG, obj("{\"connection\": {\"host\": \"relay\"}, \"address\": \"10.0.0.1/24\"}"));
        assertEquals(1420, in.get("mtu").getAsInt());
        assertEquals("wgf0", in.get("interfaceName").getAsString());
        JsonObject c = in.getAsJsonObject("connection");
        assertEquals(22, c.get("port").getAsInt());
        assertEquals("root", c.get("user").getAsString());
        assertEquals(10, c.get("dialErrorLimit").getAsInt());
        assertEquals(5, c.get("dialRetryDelay").getAsInt());
        assertEquals(15, c.get("perDialTimeout").getAsInt());
        assertFalse(in.has("listenPort"), "no default, stays absent");
        assertFalse(c.has("proxy"), "an absent object gets no defaults");
        assertFalse(c.has("hostKey"));
    }

    @Test
    void givenValuesWin() {
        JsonObject in = SCHEMA.withDefaults(WG, obj("{\"connection\": {\"host\": \"relay\", \"port\": 2222, \"user\": \"ubuntu\"}, \"mtu\": 1380, \"interfaceName\": \"wg7\"}"));
        assertEquals(1380, in.get("mtu").getAsInt());
        assertEquals("wg7", in.get("interfaceName").getAsString());
        assertEquals(2222, in.getAsJsonObject("connection").get("port").getAsInt());
        assertEquals("ubuntu", in.getAsJsonObject("connection").get("user").getAsString());
    }

    @Test
    void explicitNullGetsTheDefault() {
        JsonObject in = SCHEMA.withDefaults(WG, obj("{\"mtu\": null, \"connection\": {\"host\": \"h\", \"port\": null}}"));
        assertEquals(1420, in.get("mtu").getAsInt());
        assertEquals(22, in.getAsJsonObject("connection").get("port").getAsInt());
    }

    @Test
    void defaultsDoNotReplaceUnknowns() {
        JsonObject news = obj("{\"connection\": {\"host\": \"h\"}}");
        news.add("mtu", Values.unknown());
        news.getAsJsonObject("connection").add("port", Values.unknown());
        JsonObject in = SCHEMA.withDefaults(WG, news);
        assertTrue(Values.isUnknown(in.get("mtu")));
        assertTrue(Values.isUnknown(in.getAsJsonObject("connection").get("port")));
        assertEquals("root", in.getAsJsonObject("connection").get("user").getAsString());
        // A wholly unknown connection stays unknown.
        JsonObject unknownConnection = new JsonObject();
        unknownConnection.add("connection", Values.unknown());
        assertTrue(Values.isUnknown(SCHEMA.withDefaults(WG, unknownConnection).get("connection")));
    }

    @Test
    void defaultsInsideProxyChain() {
        JsonObject in = SCHEMA.withDefaults(WG, obj("""
                {"connection": {"host": "relay", "proxy": {"host": "jump1", "user": "ops", "proxy": {"host": "jump2", "port": 2200}}}}
                """));
        JsonObject p1 = in.getAsJsonObject("connection").getAsJsonObject("proxy");
        assertEquals(22, p1.get("port").getAsInt());
        assertEquals("ops", p1.get("user").getAsString());
        JsonObject p2 = p1.getAsJsonObject("proxy");
        assertEquals(2200, p2.get("port").getAsInt());
        assertEquals("root", p2.get("user").getAsString());
        assertEquals(10, p2.get("dialErrorLimit").getAsInt());
    }

    @Test
    void defaultsInsideSecretConnectionStaySecret() {
        JsonObject news = new JsonObject();
        news.add("connection", Values.secret(obj("{\"host\": \"relay\", \"proxy\": " + Values.secret(obj("{\"host\": \"jump\"}")) + "}")));
        JsonObject in = SCHEMA.withDefaults(WG, news);
        JsonElement conn = in.get("connection");
        assertTrue(Values.isSecret(conn), "the connection stays wrapped");
        JsonObject c = unwrap(conn).getAsJsonObject();
        assertEquals(22, c.get("port").getAsInt());
        assertEquals("root", c.get("user").getAsString());
        assertTrue(Values.isSecret(c.get("proxy")));
        JsonObject p = unwrap(c.get("proxy")).getAsJsonObject();
        assertEquals(22, p.get("port").getAsInt());
        assertEquals("root", p.get("user").getAsString());
    }

    @Test
    void withDefaultsDoesNotMutateItsArgument() {
        JsonObject news = obj("{\"connection\": {\"host\": \"relay\"}}");
        JsonObject copy = news.deepCopy();
        SCHEMA.withDefaults(WG, news);
        assertEquals(copy, news);
    }

    @Test
    void forwardProtocolDefaultsToTcpPerItem() {
        JsonObject news = obj("""
                {"forwards": [{"port": 1, "targetHost": "10.0.0.2", "targetPort": 22},
                              {"port": 2, "targetHost": "10.0.0.2", "targetPort": 53, "protocol": "udp"}]}
                """);
        news.getAsJsonArray("forwards").add(Values.secret(obj("{\"port\": 3, \"targetHost\": \"10.0.0.3\", \"targetPort\": 3}")));
        JsonObject in = SCHEMA.withDefaults(RULES, news);
        assertEquals("tcp", in.getAsJsonArray("forwards").get(0).getAsJsonObject().get("protocol").getAsString());
        assertEquals("udp", in.getAsJsonArray("forwards").get(1).getAsJsonObject().get("protocol").getAsString());
        JsonElement third = in.getAsJsonArray("forwards").get(2);
        assertTrue(Values.isSecret(third));
        assertEquals("tcp", unwrap(third).getAsJsonObject().get("protocol").getAsString());
    }

    @Test
    void portForwardDefaultsInsideRelayAndClient() {
        JsonObject in = SCHEMA.withDefaults(PORT_FORWARD, obj("""
                {"relay": {"connection": {"host": "relay"}}, "client": {}, "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """));
        JsonObject relay = in.getAsJsonObject("relay");
        assertEquals(51820, relay.get("listenPort").getAsInt());
        assertEquals("wgf0", relay.get("interfaceName").getAsString());
        assertEquals("10.77.42.1/24", relay.get("address").getAsString());
        assertEquals(22, relay.getAsJsonObject("connection").get("port").getAsInt());
        JsonObject client = in.getAsJsonObject("client");
        assertEquals("10.77.42.2", client.get("address").getAsString());
        assertEquals(25, client.get("persistentKeepalive").getAsInt());
        assertEquals("tcp", in.getAsJsonArray("forwards").get(0).getAsJsonObject().get("protocol").getAsString());
    }

    @Test
    void missingRequiredReportsTopLevelPaths() {
        List<CheckFailure> failures = SCHEMA.missingRequired(WG, obj("{}"));
        assertEquals(Set.of("connection", "address", "privateKey"), Set.copyOf(paths(failures)));
        for (CheckFailure f : failures) {
            assertTrue(f.reason().startsWith("is required"), f::reason);
        }
    }

    @Test
    void missingRequiredReportsNestedPaths() {
        JsonObject in = obj("""
                {"connection": {"port": 22}, "interfaceName": "wgf0", "relayAddress": "10.77.42.1", "clientAddress": "10.77.42.2",
                 "forwards": [{"port": 1, "targetHost": "10.0.0.2", "targetPort": 22}, {"port": 2, "targetPort": 22}, {"targetHost": "10.0.0.3"}]}
                """);
        List<CheckFailure> failures = SCHEMA.missingRequired(RULES, in);
        assertEquals(List.of("connection.host", "forwards[1].targetHost", "forwards[2].port", "forwards[2].targetPort"),
                paths(failures).stream().sorted().toList());
        CheckFailure host = failures.stream().filter(f -> f.property().equals("connection.host")).findFirst().orElseThrow();
        assertTrue(host.reason().contains("Address or DNS name of the host"), "says what the field is: " + host.reason());
    }

    @Test
    void missingRequiredInsideProxyAndSecret() {
        JsonObject in = new JsonObject();
        in.add("connection", Values.secret(obj("{\"host\": \"relay\", \"proxy\": {\"port\": 22}}")));
        in.addProperty("address", "10.0.0.1/24");
        in.addProperty("privateKey", "k");
        in.add("peers", JsonParser.parseString("[{\"publicKey\": \"p\"}]"));
        assertEquals(List.of("connection.proxy.host", "peers[0].allowedIps"),
                paths(SCHEMA.missingRequired(WG, in)).stream().sorted().toList());
    }

    @Test
    void missingRequiredCountsNullAsMissing() {
        JsonObject in = obj("{\"connection\": {\"host\": null}, \"address\": null, \"privateKey\": \"k\"}");
        assertEquals(List.of("address", "connection.host"), paths(SCHEMA.missingRequired(WG, in)).stream().sorted().toList());
    }

    @Test
    void missingRequiredTreatsUnknownsAsPresent() {
        JsonObject in = new JsonObject();
        in.add("connection", Values.unknown());
        in.add("address", Values.unknown());
        in.add("privateKey", Values.secret(Values.unknown()));
        assertEquals(List.of(), SCHEMA.missingRequired(WG, in));

        JsonObject rules = obj("{\"connection\": {}, \"forwards\": [{\"port\": 1, \"targetPort\": 2}]}");
        rules.getAsJsonObject("connection").add("host", Values.unknown());
        rules.add("interfaceName", Values.unknown());
        rules.add("relayAddress", Values.unknown());
        rules.add("clientAddress", Values.unknown());
        rules.getAsJsonArray("forwards").get(0).getAsJsonObject().add("targetHost", Values.unknown());
        rules.getAsJsonArray("forwards").add(Values.unknown());
        assertEquals(List.of(), SCHEMA.missingRequired(RULES, rules));
    }

    @Test
    void portForwardRequiresRelayConnectionHost() {
        // forwards is required with client, not with clients: PortForward's Check says which.
        assertEquals(List.of("relay"), paths(SCHEMA.missingRequired(PORT_FORWARD, obj("{}"))).stream().sorted().toList());
        assertEquals(List.of("relay.connection"),
                paths(SCHEMA.missingRequired(PORT_FORWARD, obj("{\"relay\": {}, \"forwards\": []}"))));
        assertEquals(List.of("client.connection.host", "relay.connection.host"),
                paths(SCHEMA.missingRequired(PORT_FORWARD, obj("{\"relay\": {\"connection\": {}}, \"client\": {\"connection\": {}}, \"forwards\": []}")))
                        .stream().sorted().toList());
    }

    @Test
    void secretOutputs() {
        assertTrue(SCHEMA.secretOutputs(KEYPAIR).contains("privateKey"));
        assertFalse(SCHEMA.secretOutputs(KEYPAIR).contains("publicKey"));
        assertTrue(SCHEMA.secretOutputs(WG).contains("privateKey"));
        assertFalse(SCHEMA.secretOutputs(WG).contains("publicKey"));
        assertEquals(Set.of(), SCHEMA.secretOutputs(RULES));
    }

    @Test
    void inputNamesAndRequired() {
        assertEquals(Set.of("keepers"), SCHEMA.inputNames(KEYPAIR));
        assertEquals(Set.of("connection", "interfaceName", "address", "address6", "privateKey", "listenPort", "mtu", "peers"),
                SCHEMA.inputNames(WG));
        // clientAddress and forwards, or clients: ForwardRules' Check says which.
        assertEquals(List.of("connection", "interfaceName", "relayAddress"), SCHEMA.requiredInputs(RULES));
        assertEquals(List.of(), SCHEMA.requiredInputs(KEYPAIR));
    }

    @Test
    void unknownTokenIsRefused() {
        assertFalse(SCHEMA.hasResource("wgforward:index:Nope"));
        assertTrue(SCHEMA.hasResource(WG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SCHEMA.withDefaults("wgforward:index:Nope", obj("{}")));
        assertTrue(e.getMessage().contains("wgforward:index:Nope"));
    }
}
