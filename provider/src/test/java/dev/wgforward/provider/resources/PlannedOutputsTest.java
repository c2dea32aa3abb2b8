package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.host.wireguard.WgHostScripts;
import dev.wgforward.provider.host.wireguard.WgInterface;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.host.wireguard.WgPeer;
import dev.wgforward.provider.testing.Golden;
import dev.wgforward.provider.wire.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The host plan a preview shows: ForwardRules' {@code ruleset} and WireGuardInterface's {@code
 * config}, rendered by Check from the inputs alone (no host is contacted: these handlers have no
 * SSH at all), so that `pulumi preview --diff` shows the lines a change adds and removes.
 */
class PlannedOutputsTest {
    private static final String RULES_URN = "urn:pulumi:dev::wgforward-port-forward::wgforward:index:PortForward$wgforward:index:ForwardRules::forward-forwards";
    private static final String WG_URN = "urn:pulumi:dev::wgforward-port-forward::wgforward:index:PortForward$wgforward:index:WireGuardInterface::forward-relay";
    private static final WgKeyPair RELAY = WgKeys.generate();
    private static final WgKeyPair CLIENT = WgKeys.generate();

    private final ResourceHandler<?, ?> rules = new ResourceHandler<>(new ForwardRules(NO_SSH), SCHEMA);
    private final ResourceHandler<?, ?> wg = new ResourceHandler<>(new WireGuardInterface(NO_SSH), SCHEMA);

    private static JsonObject rulesInputs() {
        return obj("""
                {"connection": {"host": "relay.example.com"}, "interfaceName": "wgf0",
                 "relayAddress": "10.77.42.1", "clientAddress": "10.77.42.2",
                 "forwards": [{"port": 8888, "targetHost": "10.200.0.2", "targetPort": 22},
                              {"port": 5353, "targetHost": "10.200.0.3", "targetPort": 53, "protocol": "udp"}]}
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

    private String ruleset(JsonObject inputs) {
        ResourceHandler.CheckResult checked = rules.check(RULES_URN, inputs);
        assertEquals(List.of(), checked.failures());
        return checked.inputs().get("ruleset").getAsString();
    }

    @Test
    void theRulesetIsTheNftablesTableWgforwardWrites() {
        Golden.assertMatches("firewall/planned-ruleset.nft", ruleset(rulesInputs()));
        assertTrue(ruleset(rulesInputs()).contains("comment \"" + OwnerMark.forResource(RULES_URN).text() + "\""),
                "the table carries its owner's mark, as on the relay");
    }

    @Test
    void anAddedForwardAddsExactlyItsRuleLines() {
        JsonObject more = rulesInputs();
        more.getAsJsonArray("forwards").add(obj("{\"port\": 9999, \"targetHost\": \"10.200.0.9\", \"targetPort\": 80}"));
        List<String> before = ruleset(rulesInputs()).lines().toList();
        List<String> after = ruleset(more).lines().toList();

        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        List<String> removed = new ArrayList<>(before);
        removed.removeAll(after);
        assertEquals(List.of(), removed, "nothing of the other forwards changes");
        // A TCP forward: DNAT, MASQUERADE, the MSS clamp both ways, the accept and the replies' accept.
        assertEquals(6, added.size(), () -> String.join("\n", added));
        assertTrue(added.stream().allMatch(l -> l.contains("wgforward:wgf0:9999/tcp:")), () -> String.join("\n", added));
        assertTrue(added.stream().anyMatch(l -> l.contains("dnat to 10.200.0.9:80")), () -> String.join("\n", added));
    }

    @Test
    void aChangedTargetChangesOnlyTheLinesOfThatForward() {
        JsonObject moved = rulesInputs();
        moved.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("targetPort", 2222);
        List<String> removed = new ArrayList<>(ruleset(rulesInputs()).lines().toList());
        removed.removeAll(ruleset(moved).lines().toList());
        assertEquals(6, removed.size(), () -> String.join("\n", removed));
        assertTrue(removed.stream().allMatch(l -> l.contains("wgforward:wgf0:8888/tcp:")), () -> String.join("\n", removed));
    }

    @Test
    void theRulesetIsUnknownWhileAForwardIsButNotForAnUnknownConnection() {
        JsonObject unknownTarget = rulesInputs();
        unknownTarget.getAsJsonArray("forwards").get(1).getAsJsonObject().add("targetHost", Values.unknown());
        assertTrue(Values.isUnknown(rules.check(RULES_URN, unknownTarget).inputs().get("ruleset")));

        JsonObject unknownHost = rulesInputs();
        unknownHost.getAsJsonObject("connection").add("host", Values.unknown());
        assertEquals(ruleset(rulesInputs()), ruleset(unknownHost), "which relay it is does not change its rules");
    }

    @Test
    void badInputsGetFailuresAndNoPlan() {
        JsonObject bad = rulesInputs();
        bad.getAsJsonArray("forwards").get(0).getAsJsonObject().addProperty("port", 70000);
        ResourceHandler.CheckResult checked = rules.check(RULES_URN, bad);
        assertFalse(checked.failures().isEmpty());
        assertFalse(checked.inputs().has("ruleset"));
    }

    @Test
    void stateFromBeforeThePlanIsNoChange() {
        // A stack made by a plugin without planned outputs: its state lacks them; that alone is no update.
        JsonObject state = rules.check(RULES_URN, rulesInputs()).inputs();
        state.remove("ruleset");
        state.addProperty("firewall", "nftables");
        assertFalse(rules.diff(state, rules.check(RULES_URN, rulesInputs()).inputs()).hasChanges());
    }

    @Test
    void theConfigIsTheFileWrittenWithThePrivateKeyRedacted() {
        String config = wg.check(WG_URN, wgInputs()).inputs().get("config").getAsString();
        WgInterface written = new WgInterface("wgf0", "10.77.42.1/24", OptionalInt.of(51820), RELAY.privateKey(), OptionalInt.of(1420),
                List.of(new WgPeer(CLIENT.publicKey(), List.of("10.77.42.2/32"), Optional.empty(), OptionalInt.empty())));
        String file = WgHostScripts.configFile(written, OwnerMark.forResource(WG_URN));
        assertTrue(file.contains("PrivateKey = " + RELAY.privateKey() + "\n"));
        assertEquals(file.replace("PrivateKey = " + RELAY.privateKey() + "\n", "PrivateKey = (redacted)\n"), config);
        assertFalse(config.contains(RELAY.privateKey()));
    }

    @Test
    void theConfigIsKnownWithoutThePrivateKeyAndUnknownWithoutAPeersKey() {
        String known = wg.check(WG_URN, wgInputs()).inputs().get("config").getAsString();
        JsonObject keyUnknown = wgInputs();
        keyUnknown.add("privateKey", Values.secret(Values.unknown()));
        assertEquals(new JsonPrimitive(known), wg.check(WG_URN, keyUnknown).inputs().get("config"),
                "a key pair made in the same run leaves the config known: it never shows the key");

        JsonObject peerUnknown = wgInputs();
        peerUnknown.getAsJsonArray("peers").get(0).getAsJsonObject().add("publicKey", Values.unknown());
        assertTrue(Values.isUnknown(wg.check(WG_URN, peerUnknown).inputs().get("config")));
    }

    @Test
    void theConfigIsNeverASecretAndHoldsNoSecret() {
        JsonObject in = wgInputs();
        String config = wg.check(WG_URN, in).inputs().get("config").getAsString();
        JsonObject rotated = wgInputs();
        String other = WgKeys.generate().privateKey();
        rotated.add("privateKey", Values.secret(new JsonPrimitive(other)));
        assertEquals(config, wg.check(WG_URN, rotated).inputs().get("config").getAsString(),
                "nothing in it depends on the private key");
        assertFalse(Values.isSecret(wg.check(WG_URN, in).inputs().get("config")));
    }

    @Test
    void aDualStackRulesetShowsTheIp6TableWithTheIpv6ForwardInCanonicalText() {
        JsonObject dual = rulesInputs();
        dual.addProperty("relayAddress6", "FD77:42::1");
        dual.addProperty("clientAddress6", "fd77:42:0::2");
        dual.getAsJsonArray("forwards").add(obj("{\"port\": 8889, \"targetHost\": \"2001:DB8:200:0::2\", \"targetPort\": 22}"));
        String plan = ruleset(dual);
        assertTrue(plan.contains("table ip wgforward_wgf0"), plan);
        assertTrue(plan.contains("table ip6 wgforward_wgf0"), plan);
        assertTrue(plan.contains("fd77:42::2") && plan.contains("2001:db8:200::2"), plan);
        assertFalse(plan.contains("FD77") || plan.contains("2001:DB8"), "the host layer gets canonical text only:\n" + plan);
        // The IPv4 table is the IPv4-only ruleset's: dual stack adds lines, it changes none of the IPv4 ones.
        List<String> removed = new ArrayList<>(ruleset(rulesInputs()).lines().toList());
        removed.removeAll(plan.lines().toList());
        assertEquals(List.of(), removed);
    }

    @Test
    void aDualStackConfigHasBothAddresses() {
        JsonObject in = wgInputs();
        in.addProperty("address6", "fd77:42:0::1/64");
        in.getAsJsonArray("peers").get(0).getAsJsonObject().getAsJsonArray("allowedIps").add("FD77:42::2/128");
        String config = wg.check(WG_URN, in).inputs().get("config").getAsString();
        assertTrue(config.contains("Address = 10.77.42.1/24\nAddress = fd77:42::1/64\n"), config);
        assertTrue(config.contains("AllowedIPs = 10.77.42.2/32, fd77:42::2/128"), config);
    }
}
