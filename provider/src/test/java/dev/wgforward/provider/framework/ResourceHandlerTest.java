package dev.wgforward.provider.framework;

import static dev.wgforward.provider.testing.TestSupport.unwrap;
import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.DiffResult.Change;
import dev.wgforward.provider.framework.DiffResult.Kind;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.resources.ForwardRules;
import dev.wgforward.provider.resources.KeyPair;
import dev.wgforward.provider.resources.WireGuardInterface;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The framework driving the real resources through check, diff and create, without any host. */
class ResourceHandlerTest {
    private static final WgKeyPair RELAY = WgKeys.generate();
    private static final WgKeyPair CLIENT = WgKeys.generate();

    private final ResourceHandler<?, ?> keyPair = new ResourceHandler<>(new KeyPair(), SCHEMA);
    private final ResourceHandler<?, ?> wg = new ResourceHandler<>(new WireGuardInterface(NO_SSH), SCHEMA);
    private final ResourceHandler<?, ?> rules = new ResourceHandler<>(new ForwardRules(NO_SSH), SCHEMA);

    private static JsonObject rulesInputs() {
        return obj("""
                {"connection": {"host": "relay.example.com"}, "interfaceName": "wgf0",
                 "relayAddress": "10.77.42.1", "clientAddress": "10.77.42.2",
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22},
                              {"port": 5353, "targetHost": "10.0.0.3", "targetPort": 53, "protocol": "udp"}]}
                """);
    }

    private static JsonObject wgInputs() {
        JsonObject in = obj("""
                {"connection": {"host": "relay.example.com"}, "address": "10.77.42.1/24", "listenPort": 51820,
                 "peers": [{"publicKey": "%s", "allowedIps": ["10.77.42.2/32"]}]}
                """.formatted(CLIENT.publicKey()));
        in.add("privateKey", Values.secret(new JsonPrimitive(RELAY.privateKey())));
        return in;
    }

    /** What the engine stores after create: the checked inputs plus the outputs. */
    private JsonObject state(ResourceHandler<?, ?> handler, JsonObject news, Map<String, JsonElement> outputs) {
        ResourceHandler.CheckResult checked = handler.check(news);
        assertEquals(List.of(), checked.failures());
        JsonObject state = checked.inputs().deepCopy();
        outputs.forEach(state::add);
        return state;
    }

    private JsonObject rulesState() {
        return state(rules, rulesInputs(), Map.of("firewall", new JsonPrimitive("nftables"),
                "ipForwardWasOff", new JsonPrimitive(true), "observedHostKey", new JsonPrimitive("ssh-ed25519 AAAA")));
    }

    private JsonObject wgState() {
        return state(wg, wgInputs(), Map.of("publicKey", new JsonPrimitive(RELAY.publicKey()),
                "implementation", new JsonPrimitive("kernel"), "observedHostKey", new JsonPrimitive("ssh-ed25519 AAAA")));
    }

    // ---- check --------------------------------------------------------------------------------

    @Test
    void checkAppliesDefaults() {
        ResourceHandler.CheckResult r = rules.check(rulesInputs());
        assertEquals(List.of(), r.failures());
        JsonObject c = r.inputs().getAsJsonObject("connection");
        assertEquals(22, c.get("port").getAsInt());
        assertEquals("root", c.get("user").getAsString());
        assertEquals("tcp", r.inputs().getAsJsonArray("forwards").get(0).getAsJsonObject().get("protocol").getAsString());
        assertEquals("udp", r.inputs().getAsJsonArray("forwards").get(1).getAsJsonObject().get("protocol").getAsString());

        ResourceHandler.CheckResult w = wg.check(wgInputs());
        assertEquals(List.of(), w.failures());
        assertEquals(1420, w.inputs().get("mtu").getAsInt());
        assertEquals("wgf0", w.inputs().get("interfaceName").getAsString());
        assertTrue(Values.isSecret(w.inputs().get("privateKey")), "a secret input stays secret after check");
    }

    @Test
    void checkDropsPropertiesTheSchemaDoesNotKnow() {
        JsonObject news = rulesInputs();
        news.addProperty("firewall", "nftables"); // an output, not an input
        news.addProperty("bogus", 1);
        JsonObject inputs = rules.check(news).inputs();
        assertFalse(inputs.has("firewall"));
        assertFalse(inputs.has("bogus"));
    }

    @Test
    void checkReportsBadValuesWithPaths() {
        JsonObject news = rulesInputs();
        JsonArray forwards = news.getAsJsonArray("forwards");
        forwards.get(0).getAsJsonObject().addProperty("port", 70000);
        forwards.get(1).getAsJsonObject().addProperty("targetHost", "$(id)");
        news.addProperty("relayAddress", "10.77.42.1/24");
        List<CheckFailure> failures = rules.check(news).failures();
        Map<String, String> byPath = new java.util.TreeMap<>();
        failures.forEach(f -> byPath.put(f.property(), f.reason()));
        assertEquals(Set.of("forwards[0].port", "forwards[1].targetHost", "relayAddress"), byPath.keySet());
        assertTrue(byPath.get("forwards[0].port").contains("1 to 65535"), byPath::toString);
        assertTrue(byPath.get("forwards[0].port").contains("70000"), byPath::toString);
        assertTrue(byPath.get("forwards[1].targetHost").contains("IPv4"), byPath::toString);
    }

    @Test
    void checkReportsMissingRequiredAndStopsThere() {
        JsonObject news = rulesInputs();
        news.remove("relayAddress");
        news.getAsJsonObject("connection").remove("host");
        news.getAsJsonArray("forwards").get(0).getAsJsonObject().remove("targetHost");
        news.getAsJsonArray("forwards").get(1).getAsJsonObject().addProperty("port", 0); // would fail the resource's check
        List<String> paths = rules.check(news).failures().stream().map(CheckFailure::property).sorted().toList();
        assertEquals(List.of("connection.host", "forwards[0].targetHost", "relayAddress"), paths);
    }

    @Test
    void checkReportsWrongShapeInsteadOfThrowing() {
        JsonObject news = wgInputs();
        news.addProperty("listenPort", "not a number");
        List<CheckFailure> failures = wg.check(news).failures();
        assertEquals(1, failures.size(), failures::toString);
        assertEquals("listenPort", failures.get(0).property(), failures::toString);
        assertTrue(failures.get(0).reason().contains("must be a whole number"), failures::toString);

        JsonObject object = wgInputs();
        object.add("mtu", obj("{\"value\": 1420}"));
        assertEquals(1, wg.check(object).failures().size());
    }

    @Test
    void checkAcceptsUnknownsAtPreview() {
        JsonObject news = rulesInputs();
        news.add("relayAddress", Values.unknown());
        news.getAsJsonObject("connection").add("host", Values.unknown());
        news.getAsJsonArray("forwards").get(0).getAsJsonObject().add("targetHost", Values.unknown());
        news.getAsJsonArray("forwards").get(0).getAsJsonObject().add("port", Values.unknown());
        ResourceHandler.CheckResult r = rules.check(news);
        assertEquals(List.of(), r.failures());
        assertTrue(Values.isUnknown(r.inputs().get("relayAddress")), "unknowns are passed on as unknowns");
    }

    // ---- diff ---------------------------------------------------------------------------------

    @Test
    void unchangedInputsHaveNoDiff() {
        DiffResult d = rules.diff(rulesState(), rules.check(rulesInputs()).inputs());
        assertEquals(Map.of(), d.changes());
        assertFalse(d.hasChanges());
        assertFalse(d.deleteBeforeReplace());

        DiffResult w = wg.diff(wgState(), wg.check(wgInputs()).inputs());
        assertFalse(w.hasChanges(), () -> w.changes().toString());
    }

    @Test
    void changedTargetPortIsADetailedInPlaceUpdate() {
        JsonObject news = rulesInputs();
        news.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("targetPort", 2222);
        DiffResult d = rules.diff(rulesState(), rules.check(news).inputs());
        // The rules rendered from the inputs change with them: the preview shows their lines.
        assertEquals(Map.of("forwards[0].targetPort", new Change(Kind.UPDATE, false), "ruleset", new Change(Kind.UPDATE, false)),
                d.changes());
        assertEquals(Set.of(), d.replaces());
        assertEquals(Set.of("forwards", "ruleset"), d.changedTopLevel());
        assertFalse(d.deleteBeforeReplace());
    }

    @Test
    void addedForwardIsAChangeWithoutReplace() {
        JsonObject news = rulesInputs();
        news.getAsJsonArray("forwards").add(obj("{\"port\": 9999, \"targetHost\": \"10.0.0.9\", \"targetPort\": 80}"));
        DiffResult d = rules.diff(rulesState(), rules.check(news).inputs());
        assertTrue(d.hasChanges());
        assertEquals(Set.of("forwards", "ruleset"), d.changedTopLevel());
        assertEquals(Set.of(), d.replaces());
        assertFalse(d.deleteBeforeReplace());
    }

    @Test
    void changedProtocolDefaultIsNoChange() {
        // protocol absent in the new program, "tcp" in the state: check fills in tcp, so no diff.
        JsonObject news = rulesInputs();
        JsonObject explicitTcp = rulesInputs();
        explicitTcp.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("protocol", "tcp");
        DiffResult d = rules.diff(state(rules, explicitTcp, Map.of()), rules.check(news).inputs());
        assertFalse(d.hasChanges(), () -> d.changes().toString());
    }

    @Test
    void changedInterfaceNameReplacesDeletingFirst() {
        JsonObject news = wgInputs();
        news.addProperty("interfaceName", "wgf1");
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertEquals(Map.of("interfaceName", new Change(Kind.UPDATE, true), "config", new Change(Kind.UPDATE, false)), d.changes());
        assertEquals(Set.of("interfaceName"), d.replaces());
        assertTrue(d.deleteBeforeReplace());
    }

    @Test
    void changedHostOrSshPortReplacesDeletingFirst() {
        JsonObject news = wgInputs();
        news.getAsJsonObject("connection").addProperty("host", "other.example.com");
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertEquals(Map.of("connection.host", new Change(Kind.UPDATE, true)), d.changes());
        assertEquals(Set.of("connection"), d.replaces());
        assertTrue(d.deleteBeforeReplace());

        JsonObject port = wgInputs();
        port.getAsJsonObject("connection").addProperty("port", 2222);
        DiffResult p = wg.diff(wgState(), wg.check(port).inputs());
        assertEquals(Map.of("connection.port", new Change(Kind.UPDATE, true)), p.changes());
        assertTrue(p.deleteBeforeReplace());

        DiffResult r = rules.diff(rulesState(), rules.check(withHost(rulesInputs(), "other")).inputs());
        assertEquals(Map.of("connection.host", new Change(Kind.UPDATE, true)), r.changes());
        assertTrue(r.deleteBeforeReplace());
    }

    private static JsonObject withHost(JsonObject in, String host) {
        in.getAsJsonObject("connection").addProperty("host", host);
        return in;
    }

    @Test
    void otherConnectionChangesUpdateInPlace() {
        JsonObject news = wgInputs();
        news.getAsJsonObject("connection").addProperty("user", "ubuntu");
        news.getAsJsonObject("connection").add("proxy", obj("{\"host\": \"jump.example.com\"}"));
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertTrue(d.hasChanges());
        assertEquals(Set.of(), d.replaces(), () -> d.changes().toString());
        assertFalse(d.deleteBeforeReplace());
        assertEquals(new Change(Kind.UPDATE, false), d.changes().get("connection.user"));
        assertEquals(new Change(Kind.ADD, false), d.changes().get("connection.proxy"));
    }

    @Test
    void otherWireGuardChangesUpdateInPlace() {
        JsonObject news = wgInputs();
        news.addProperty("mtu", 1380);
        news.getAsJsonArray("peers").get(0).getAsJsonObject().addProperty("persistentKeepalive", 25);
        news.add("privateKey", Values.secret(new JsonPrimitive(WgKeys.generate().privateKey())));
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertEquals(Map.of("mtu", new Change(Kind.UPDATE, false),
                "peers[0].persistentKeepalive", new Change(Kind.ADD, false),
                "privateKey", new Change(Kind.UPDATE, false), "config", new Change(Kind.UPDATE, false)), d.changes());
        assertFalse(d.deleteBeforeReplace());
    }

    @Test
    void removedPropertyIsADelete() {
        JsonObject news = wgInputs();
        news.remove("listenPort");
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertEquals(Map.of("listenPort", new Change(Kind.DELETE, false), "config", new Change(Kind.UPDATE, false)), d.changes());
    }

    @Test
    void secretAndPlainOfTheSameValueAreEqual() {
        // The new program marks the whole connection secret, and the private key is now plain.
        JsonObject news = wgInputs();
        news.add("connection", Values.secret(news.get("connection")));
        news.addProperty("privateKey", RELAY.privateKey());
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertFalse(d.hasChanges(), () -> d.changes().toString());

        // And the other way round: a secret leaf inside a plain object.
        JsonObject state = wgState();
        state.getAsJsonObject("connection").add("user", Values.secret(new JsonPrimitive("root")));
        DiffResult back = wg.diff(state, wg.check(wgInputs()).inputs());
        assertFalse(back.hasChanges(), () -> back.changes().toString());
    }

    @Test
    void secretValueThatChangedIsAChange() {
        JsonObject state = wgState();
        state.add("connection", Values.secret(state.get("connection")));
        JsonObject news = wgInputs();
        news.add("connection", Values.secret(withHost(news.deepCopy(), "other").get("connection")));
        DiffResult d = wg.diff(state, wg.check(news).inputs());
        assertEquals(Map.of("connection.host", new Change(Kind.UPDATE, true)), d.changes());
    }

    @Test
    void unknownNewValueIsAChange() {
        JsonObject news = rulesInputs();
        news.getAsJsonArray("forwards").get(0).getAsJsonObject().add("targetPort", Values.unknown());
        DiffResult d = rules.diff(rulesState(), rules.check(news).inputs());
        assertEquals(Map.of("forwards[0].targetPort", new Change(Kind.UPDATE, false), "ruleset", new Change(Kind.UPDATE, false)),
                d.changes());

        JsonObject host = wgInputs();
        host.getAsJsonObject("connection").add("host", Values.unknown());
        DiffResult h = wg.diff(wgState(), wg.check(host).inputs());
        assertEquals(Map.of("connection.host", new Change(Kind.UPDATE, true)), h.changes());
        assertTrue(h.deleteBeforeReplace());

        JsonObject whole = wgInputs();
        whole.add("peers", Values.unknown());
        DiffResult p = wg.diff(wgState(), wg.check(whole).inputs());
        assertEquals(Map.of("peers", new Change(Kind.UPDATE, false), "config", new Change(Kind.UPDATE, false)), p.changes());

        // The config shows no private key: a key not known yet leaves it known, and unchanged.
        JsonObject secretUnknown = wgInputs();
        secretUnknown.add("privateKey", Values.secret(Values.unknown()));
        assertEquals(Map.of("privateKey", new Change(Kind.UPDATE, false)),
                wg.diff(wgState(), wg.check(secretUnknown).inputs()).changes());
    }

    @Test
    void unknownWholeConnectionReplaces() {
        JsonObject news = wgInputs();
        news.add("connection", Values.unknown());
        DiffResult d = wg.diff(wgState(), wg.check(news).inputs());
        assertEquals(Map.of("connection", new Change(Kind.UPDATE, true)), d.changes());
        assertTrue(d.deleteBeforeReplace());
    }

    @Test
    void keyPairKeepersReplaceButDoNotDeleteFirst() {
        JsonObject state = state(keyPair, obj("{\"keepers\": {\"rotation\": \"1\"}}"), Map.of());
        DiffResult d = keyPair.diff(state, keyPair.check(obj("{\"keepers\": {\"rotation\": \"2\"}}")).inputs());
        assertEquals(Map.of("keepers.rotation", new Change(Kind.UPDATE, true)), d.changes());
        assertEquals(Set.of("keepers"), d.replaces());
        assertFalse(d.deleteBeforeReplace(), "two key pairs can exist side by side");
        assertFalse(keyPair.diff(state, keyPair.check(obj("{\"keepers\": {\"rotation\": \"1\"}}")).inputs()).hasChanges());
    }

    // ---- create -------------------------------------------------------------------------------

    @Test
    void keyPairCreateInPreviewHasUnknownOutputs() {
        ResourceHandler.CreateResult r = keyPair.create(ctx(true), keyPair.check(obj("{}")).inputs());
        assertTrue(Values.isUnknown(r.outputs().get("publicKey")), r.outputs()::toString);
        assertTrue(Values.isUnknown(unwrap(r.outputs().get("privateKey"))), r.outputs()::toString);
    }

    @Test
    void keyPairCreateWrapsThePrivateKeyAsSecret() {
        JsonObject inputs = new JsonObject();
        inputs.add("keepers", Values.secret(obj("{\"rotation\": \"1\"}")));
        ResourceHandler.CreateResult r = keyPair.create(ctx(false), keyPair.check(inputs).inputs());
        JsonObject out = r.outputs();
        assertTrue(Values.isSecret(out.get("privateKey")), out::toString);
        String publicKey = out.get("publicKey").getAsString();
        assertFalse(Values.isSecret(out.get("publicKey")));
        assertEquals(publicKey, r.id(), "the ID is the public key");
        assertEquals(publicKey, WgKeys.publicKeyOf(Values.plain(out.get("privateKey")).getAsString()));
        // State = inputs + outputs, the secret input still wrapped.
        assertTrue(Values.isSecret(out.get("keepers")), out::toString);
        assertEquals(obj("{\"rotation\": \"1\"}"), Values.plain(out.get("keepers")));
        assertEquals(Set.of("keepers", "publicKey", "privateKey"), out.keySet());
    }

    @Test
    void wireGuardInterfaceCreateInPreviewPredictsThePublicKey() {
        JsonObject inputs = wg.check(wgInputs()).inputs();
        ResourceHandler.CreateResult r = wg.create(ctx(true), inputs);
        JsonObject out = r.outputs();
        assertEquals("relay.example.com:22/wgf0", r.id());
        assertEquals(RELAY.publicKey(), out.get("publicKey").getAsString());
        assertTrue(Values.isUnknown(out.get("implementation")));
        assertTrue(Values.isUnknown(out.get("observedHostKey")));
        assertTrue(Values.isSecret(out.get("privateKey")), "the input secret is kept in the state");
        for (String input : inputs.keySet()) {
            assertEquals(inputs.get(input), out.get(input), input);
        }
    }

    @Test
    void wireGuardInterfaceCreateInPreviewWithUnknownKey() {
        JsonObject news = wgInputs();
        news.add("privateKey", Values.unknown());
        news.getAsJsonObject("connection").add("host", Values.unknown());
        ResourceHandler.CreateResult r = wg.create(ctx(true), wg.check(news).inputs());
        assertTrue(Values.isUnknown(r.outputs().get("publicKey")));
        assertTrue(Values.isUnknown(r.outputs().get("privateKey")));
    }

    @Test
    void forwardRulesCreateInPreviewComputesAccessPoints() {
        ResourceHandler.CreateResult r = rules.create(ctx(true), rules.check(rulesInputs()).inputs());
        JsonObject out = r.outputs();
        assertEquals("relay.example.com:22/wgf0/forwards", r.id());
        assertEquals(JsonArrayOf("10.77.42.1:8888 -> 10.0.0.2:22", "10.77.42.1:5353 -> 10.0.0.3:53 (udp)"), out.get("accessPoints"));
        assertTrue(Values.isUnknown(out.get("firewall")));
        assertTrue(Values.isUnknown(out.get("ipForwardWasOff")));
        assertTrue(Values.isUnknown(out.get("observedHostKey")));

        JsonObject unknownTarget = rulesInputs();
        unknownTarget.getAsJsonArray("forwards").get(1).getAsJsonObject().add("targetHost", Values.unknown());
        ResourceHandler.CreateResult u = rules.create(ctx(true), rules.check(unknownTarget).inputs());
        assertTrue(Values.isUnknown(u.outputs().get("accessPoints")));
    }

    private static JsonArray JsonArrayOf(String... items) {
        JsonArray a = new JsonArray();
        for (String i : items) {
            a.add(i);
        }
        return a;
    }
}
