package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.assertOneFailure;
import static dev.wgforward.provider.testing.TestSupport.describe;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wgforward.provider.testing.TestSupport;
import com.google.gson.JsonObject;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.resources.ForwardRules.ForwardArgs;
import dev.wgforward.provider.wire.Values;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ForwardRules' own check, through the framework as the engine's Check reaches it. */
class ForwardRulesCheckTest {
    private final ResourceHandler<?, ?> handler = new ResourceHandler<>(new ForwardRules(NO_SSH), SCHEMA);

    private static JsonObject valid() {
        return obj("""
                {"connection": {"host": "relay.example.com"}, "interfaceName": "wgf0",
                 "relayAddress": "10.77.42.1", "clientAddress": "10.77.42.2",
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22},
                              {"port": 8888, "targetHost": "10.0.0.2", "targetPort": 53, "protocol": "udp"}]}
                """);
    }

    private List<CheckFailure> checkWith(Consumer<JsonObject> change) {
        JsonObject in = valid();
        change.accept(in);
        return handler.check(in).failures();
    }

    private static JsonObject forward(JsonObject in, int i) {
        return in.getAsJsonArray("forwards").get(i).getAsJsonObject();
    }


    @Test
    void validInputsPass() {
        assertEquals(List.of(), handler.check(valid()).failures(), () -> describe(handler.check(valid()).failures()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wgforward-relay0", "wg/0", "wg 0", "-wg", "wg+", ""})
    void badInterfaceName(String name) {
        assertOneFailure(checkWith(in -> in.addProperty("interfaceName", name)), "interfaceName");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.1/24", "relay", "10.77.42.256", "10.77.42.1; iptables -F"})
    void relayAddressMustBeAPlainIpv4(String address) {
        assertOneFailure(checkWith(in -> in.addProperty("relayAddress", address)), "relayAddress", "IPv4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.2/32", "0x0a.0.0.1", "$(id)"})
    void clientAddressMustBeAPlainIpv4(String address) {
        assertOneFailure(checkWith(in -> in.addProperty("clientAddress", address)), "clientAddress", "IPv4");
    }

    @Test
    void badForwards() {
        assertOneFailure(checkWith(in -> forward(in, 1).addProperty("port", 0)), "forwards[1].port", "1 to 65535");
        assertOneFailure(checkWith(in -> forward(in, 0).addProperty("targetPort", 65536)), "forwards[0].targetPort", "65536");
        assertOneFailure(checkWith(in -> forward(in, 0).addProperty("targetHost", "10.0.0.2; rm -rf /")), "forwards[0].targetHost", "IPv4");
        assertOneFailure(checkWith(in -> forward(in, 1).addProperty("protocol", "icmp")), "forwards[1].protocol", "tcp", "udp");
        assertOneFailure(checkWith(in -> forward(in, 1).addProperty("protocol", "tcp")), "forwards[1].port", "8888/tcp", "twice");
        assertOneFailure(checkWith(in -> in.add("forwards", new com.google.gson.JsonArray())), "forwards", "at least one");
    }

    @Test
    void badConnection() {
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").addProperty("port", 0)), "connection.port", "1 to 65535");
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").addProperty("host", "relay;reboot")), "connection.host");
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").addProperty("hostKey", "garbage")), "connection.hostKey");
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").add("proxy", obj("{\"host\": \"$(id)\"}"))),
                "connection.proxy.host");
    }

    @Test
    void missingRequiredInputsAreNamed() {
        JsonObject in = valid();
        in.remove("interfaceName");
        List<CheckFailure> failures = handler.check(in).failures();
        assertEquals(Set.of("interfaceName"), failures.stream().map(CheckFailure::property).collect(Collectors.toSet()),
                () -> describe(failures));
        JsonObject noClient = valid();
        noClient.remove("clientAddress");
        noClient.remove("forwards");
        List<CheckFailure> both = handler.check(noClient).failures();
        assertEquals(Set.of("clientAddress", "forwards"), both.stream().map(CheckFailure::property).collect(Collectors.toSet()),
                () -> describe(both));
    }

    @Test
    void unknownsAreAcceptedAtPreview() {
        List<CheckFailure> failures = checkWith(in -> {
            in.add("relayAddress", Values.unknown());
            in.add("clientAddress", Values.unknown());
            in.add("interfaceName", Values.unknown());
            forward(in, 0).add("targetHost", Values.unknown());
            forward(in, 1).add("port", Values.unknown());
        });
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void typedCheckSkipsAForwardThatIsNotKnownYet() {
        // A null item in the typed inputs is an unknown at preview; a literal null is caught by
        // the schema's type check before the typed check runs (see ResourceCheckEdgeCaseTest).
        ForwardRules rules = new ForwardRules(NO_SSH);
        List<CheckFailure> failures = rules.check(new ForwardRules.Inputs(null, "wgf0", "10.77.42.1", "10.77.42.2",
                Arrays.asList(new ForwardArgs(1, "10.0.0.2", 2, null), null)));
        assertEquals(List.of(), failures);
    }

    @Test
    void typedCheckTreatsAnAbsentProtocolAsTcp() {
        ForwardRules rules = new ForwardRules(NO_SSH);
        List<CheckFailure> failures = rules.check(new ForwardRules.Inputs(null, "wgf0", "10.77.42.1", "10.77.42.2",
                List.of(new ForwardArgs(1, "10.0.0.2", 2, null), new ForwardArgs(1, "10.0.0.3", 3, "tcp"))));
        assertOneFailure(failures, "forwards[1].port", "1/tcp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255"})
    void targetHostMustBeUnicast(String host) {
        assertOneFailure(checkWith(in -> forward(in, 0).addProperty("targetHost", host)), "forwards[0].targetHost", "unicast", host);
    }

    @Test
    void targetHostMustNotBeATunnelAddress() {
        assertOneFailure(checkWith(in -> forward(in, 0).addProperty("targetHost", "10.77.42.1")), "forwards[0].targetHost",
                "relay's own tunnel address");
        assertOneFailure(checkWith(in -> forward(in, 1).addProperty("targetHost", "10.77.42.2")), "forwards[1].targetHost",
                "client's tunnel address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "224.0.0.1", "0.0.0.0"})
    void tunnelAddressesMustBeUnicast(String address) {
        assertOneFailure(checkWith(in -> in.addProperty("relayAddress", address)), "relayAddress", "unicast");
        assertOneFailure(checkWith(in -> in.addProperty("clientAddress", address)), "clientAddress", "unicast");
    }

    @Test
    void clientAndRelayNeedDifferentAddresses() {
        List<CheckFailure> failures = checkWith(in -> {
            in.addProperty("clientAddress", "10.77.42.1");
            forward(in, 0).addProperty("targetHost", "10.0.0.9");
        });
        assertOneFailure(failures, "clientAddress", "must differ from relayAddress");
    }

    @Test
    void connectionPrivateKeyIsReadAsTheSshLayerWill() {
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").add("privateKey",
                Values.secret(new com.google.gson.JsonPrimitive("garbage")))), "connection.privateKey", "not an SSH private key");
        String encrypted = TestSupport.sshPrivateKey("pass phrase");
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").addProperty("privateKey", encrypted)),
                "connection.privateKey", "set privateKeyPassword");
        List<CheckFailure> unknownPassphrase = checkWith(in -> {
            in.getAsJsonObject("connection").addProperty("privateKey", encrypted);
            in.getAsJsonObject("connection").add("privateKeyPassword", Values.unknown());
        });
        assertEquals(List.of(), unknownPassphrase, () -> describe(unknownPassphrase));
    }

    // ---- IPv6 ---------------------------------------------------------------------------------

    private static JsonObject dualStack(JsonObject in) {
        in.addProperty("relayAddress6", "fd77:42::1");
        in.addProperty("clientAddress6", "fd77:42::2");
        return in;
    }

    @Test
    void ipv6ForwardNeedsRelayAddress6() {
        assertOneFailure(checkWith(in -> forward(in, 0).addProperty("targetHost", "2001:db8:200::2")), "forwards[0].targetHost",
                "IPv6 address", "no relayAddress6", "give relayAddress6");
        assertEquals(List.of(), checkWith(in -> forward(dualStack(in), 0).addProperty("targetHost", "2001:db8:200::2")));
    }

    @Test
    void relayAddress6AndClientAddress6GoTogether() {
        assertOneFailure(checkWith(in -> in.addProperty("relayAddress6", "fd77:42::1")), "clientAddress6", "required with relayAddress6");
        assertOneFailure(checkWith(in -> in.addProperty("clientAddress6", "fd77:42::2")), "clientAddress6", "needs relayAddress6");
        assertOneFailure(checkWith(in -> dualStack(in).addProperty("clientAddress6", "FD77:42::1")), "clientAddress6",
                "must differ from relayAddress6");
        assertOneFailure(checkWith(in -> dualStack(in).addProperty("relayAddress6", "fd77:42::1/64")), "relayAddress6", "IPv6");
    }

    @Test
    void ipv6IsCanonicalForTheHostAndInTheAccessPoints() {
        JsonObject in = dualStack(valid());
        in.addProperty("relayAddress6", "FD77:0042:0::1");
        forward(in, 1).addProperty("targetHost", "2001:DB8:200:0:0::2");
        ForwardRules.Inputs typed = new com.google.gson.Gson().fromJson(in, ForwardRules.Inputs.class);
        var ruleset = ForwardRules.ruleset(typed);
        assertEquals("fd77:42::1", ruleset.relayTunnelIp6());
        assertEquals("fd77:42::2", ruleset.clientTunnelIp6());
        assertEquals("2001:db8:200::2", ruleset.entries(true).get(0).forward().targetHost());
        assertEquals(List.of("10.77.42.1:8888 -> 10.0.0.2:22", "[fd77:42::1]:8888 -> [2001:db8:200::2]:53 (udp)"),
                ForwardRules.accessPoints(typed));
    }

    @Test
    void aHubsClientsEachHaveTheirOwnIpv6Address() {
        JsonObject hub = obj("""
                {"connection": {"host": "relay.example.com"}, "interfaceName": "wgf0",
                 "relayAddress": "10.77.42.1", "relayAddress6": "fd77:42::1",
                 "clients": [{"name": "a", "address": "10.77.42.2", "address6": "fd77:42::2",
                              "forwards": [{"port": 8888, "targetHost": "2001:db8:200::2", "targetPort": 22}]},
                             {"name": "b", "address": "10.77.42.3", "address6": "fd77:42:0::2",
                              "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}]}
                """);
        assertOneFailure(handler.check(hub).failures(), "clients[1].address6", "given to two clients");
        hub.getAsJsonArray("clients").get(1).getAsJsonObject().remove("address6");
        assertOneFailure(handler.check(hub).failures(), "clients[1].address6", "required with relayAddress6");
    }
}
