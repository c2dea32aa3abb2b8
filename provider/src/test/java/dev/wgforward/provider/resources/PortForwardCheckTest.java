package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.assertOneFailure;
import static dev.wgforward.provider.testing.TestSupport.describe;
import static dev.wgforward.provider.testing.TestSupport.ed25519HostKey;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.testing.TestSupport;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PortForward's check: what `pulumi preview` says about bad component inputs, before anything is registered. */
class PortForwardCheckTest {
    private static final String UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);

    private static JsonObject minimal() {
        return obj("""
                {"relay": {"connection": {"host": "relay.example.com"}},
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """);
    }

    private static JsonObject full() {
        return obj("""
                {"relay": {"connection": {"host": "203.0.113.10", "port": 2222, "user": "ubuntu",
                                          "proxy": {"host": "jump.example.com", "user": "ops"}},
                           "endpoint": "vpn.example.com:4500", "listenPort": 51999, "interfaceName": "wg-relay",
                           "address": "10.99.0.1/29"},
                 "client": {"connection": {"host": "client.example.com"}, "address": "10.99.0.6",
                            "interfaceName": "wg-client", "persistentKeepalive": 0},
                 "forwards": [{"port": 8888, "targetHost": "192.168.1.10", "targetPort": 22},
                              {"port": 8888, "targetHost": "192.168.1.10", "targetPort": 53, "protocol": "udp"},
                              {"port": 443, "targetHost": "192.168.1.11", "targetPort": 8443, "protocol": "tcp"}]}
                """);
    }

    private List<CheckFailure> check(JsonObject inputs) {
        return component.check(inputs);
    }

    private List<CheckFailure> checkMinimalWith(Consumer<JsonObject> change) {
        JsonObject in = minimal();
        change.accept(in);
        return check(in);
    }


    private static JsonObject relay(JsonObject in) {
        return in.getAsJsonObject("relay");
    }

    private static JsonObject relayConnection(JsonObject in) {
        return relay(in).getAsJsonObject("connection");
    }

    private static JsonObject forward(JsonObject in, int i) {
        return in.getAsJsonArray("forwards").get(i).getAsJsonObject();
    }

    private static JsonObject client(JsonObject in) {
        if (!in.has("client")) {
            in.add("client", new JsonObject());
        }
        return in.getAsJsonObject("client");
    }

    // ---- valid inputs -------------------------------------------------------------------------

    @Test
    void minimalInputPasses() {
        assertEquals(List.of(), check(minimal()), () -> describe(check(minimal())));
    }

    @Test
    void fullInputPasses() {
        List<CheckFailure> failures = check(full());
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void checkDoesNotChangeItsArgument() {
        JsonObject in = minimal();
        check(in);
        assertEquals(minimal(), in);
    }

    @Test
    void validHostKeyPasses() {
        List<CheckFailure> failures = checkMinimalWith(in -> relayConnection(in).addProperty("hostKey", ed25519HostKey()));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void ipv6RelayHostAndBareEndpointPass() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relayConnection(in).addProperty("host", "2001:db8::10");
            relay(in).addProperty("endpoint", "vpn.example.com");
        });
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void sameTcpAndUdpPortIsFine() {
        List<CheckFailure> failures = checkMinimalWith(in -> in.getAsJsonArray("forwards").add(
                obj("{\"port\": 8888, \"targetHost\": \"10.0.0.2\", \"targetPort\": 53, \"protocol\": \"udp\"}")));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    // ---- forwards -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 70000, -1, 65536})
    void forwardPortOutOfRange(int port) {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("port", port)), "forwards[0].port",
                "1 to 65535", String.valueOf(port));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 70000})
    void forwardTargetPortOutOfRange(int port) {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetPort", port)), "forwards[0].targetPort",
                "1 to 65535", String.valueOf(port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.2; rm -rf /", "$(id)", "target.example.com", "10.0.0.256", "10.0.0.2:22", "10.0.0.2 ", "010.0.0.2", ""})
    void targetHostMustBeAnAddress(String host) {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", host)), "forwards[0].targetHost", "IPv4");
    }

    @Test
    void badTargetHostIsShownEscapedNotRaw() {
        List<CheckFailure> failures = checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "10.0.0.2\nforged line"));
        assertOneFailure(failures, "forwards[0].targetHost", "\\n");
        assertTrue(!failures.get(0).reason().contains("\n"), failures.get(0)::reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"icmp", "TCP", "sctp", ""})
    void protocolMustBeTcpOrUdp(String protocol) {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("protocol", protocol)), "forwards[0].protocol",
                "\"tcp\"", "\"udp\"");
    }

    @Test
    void protocolFailureNamesTheValue() {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("protocol", "icmp")), "forwards[0].protocol", "icmp");
    }

    @Test
    void duplicatePortAndProtocolIsRefused() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            in.getAsJsonArray("forwards").add(obj("{\"port\": 9000, \"targetHost\": \"10.0.0.4\", \"targetPort\": 80}"));
            // Same as forwards[0] once tcp is filled in.
            in.getAsJsonArray("forwards").add(obj("{\"port\": 8888, \"targetHost\": \"10.0.0.3\", \"targetPort\": 80, \"protocol\": \"tcp\"}"));
        });
        assertOneFailure(failures, "forwards[2].port", "8888/tcp", "twice");
    }

    @Test
    void emptyForwardsAreRefused() {
        assertOneFailure(checkMinimalWith(in -> in.add("forwards", new com.google.gson.JsonArray())), "forwards", "at least one");
    }

    @Test
    void missingForwardFieldsAreNamed() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            forward(in, 0).remove("targetHost");
            in.getAsJsonArray("forwards").add(obj("{\"targetHost\": \"10.0.0.3\"}"));
        });
        assertEquals(Set.of("forwards[0].targetHost", "forwards[1].port", "forwards[1].targetPort"),
                failures.stream().map(CheckFailure::property).collect(Collectors.toSet()), () -> describe(failures));
    }

    @Test
    void missingRelayAndForwardsAreNamed() {
        assertEquals(Set.of("relay", "forwards"),
                check(obj("{}")).stream().map(CheckFailure::property).collect(Collectors.toSet()));
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).remove("host")), "relay.connection.host", "required");
        assertOneFailure(checkMinimalWith(in -> relay(in).remove("connection")), "relay.connection", "required");
    }

    // ---- tunnel addresses ---------------------------------------------------------------------

    @Test
    void clientAddressOutsideTheRelayNetwork() {
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address", "10.78.0.2")), "client.address",
                "10.78.0.2", "outside", "10.77.42.0/24");
    }

    @Test
    void clientAddressEqualToTheRelayAddress() {
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address", "10.77.42.1")), "client.address",
                "10.77.42.1", "relay's own");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.0", "10.77.42.255"})
    void clientAddressIsNetworkOrBroadcast(String address) {
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address", address)), "client.address",
                address, "network or broadcast");
    }

    @Test
    void clientAddressInsideASmallerNetwork() {
        // /29: .0 network, .7 broadcast, relay .1.
        List<CheckFailure> ok = checkMinimalWith(in -> {
            relay(in).addProperty("address", "10.99.0.1/29");
            client(in).addProperty("address", "10.99.0.6");
        });
        assertEquals(List.of(), ok, () -> describe(ok));
        assertOneFailure(checkMinimalWith(in -> {
            relay(in).addProperty("address", "10.99.0.1/29");
            client(in).addProperty("address", "10.99.0.7");
        }), "client.address", "network or broadcast");
        assertOneFailure(checkMinimalWith(in -> {
            relay(in).addProperty("address", "10.99.0.1/29");
            client(in).addProperty("address", "10.99.0.9");
        }), "client.address", "outside");
        // The default client address 10.77.42.2 is outside a non-default relay network.
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("address", "10.99.0.1/24")), "client.address",
                "10.77.42.2", "outside", "10.99.0.0/24");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "client", "10.77.42.2/32", ""})
    void clientAddressMustBeAnIpv4WithoutPrefix(String address) {
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address", address)), "client.address", "IPv4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.1", "10.77.42.1/33", "10.77.42.300/24", "10.77.42.1/24; reboot", "fd00::1/64", ""})
    void relayAddressMustBeACidr(String address) {
        List<CheckFailure> failures = checkMinimalWith(in -> relay(in).addProperty("address", address));
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("relay.address") && f.reason().contains("prefix")),
                () -> describe(failures));
        assertTrue(failures.stream().allMatch(f -> f.property().equals("relay.address")), () -> describe(failures));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.1/31", "10.77.42.1/32"})
    void relayNetworkMustHaveRoomForTheClient(String address) {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relay(in).addProperty("address", address);
            client(in).addProperty("address", "10.77.42.0");
        });
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("relay.address") && f.reason().contains("/30")),
                () -> describe(failures));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.0/24", "10.77.42.255/24"})
    void relayAddressIsNetworkOrBroadcast(String address) {
        List<CheckFailure> failures = checkMinimalWith(in -> relay(in).addProperty("address", address));
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("relay.address")
                && f.reason().contains("network or broadcast") && f.reason().contains("10.77.42.1/24")), () -> describe(failures));
    }

    // ---- names, endpoint, ports ---------------------------------------------------------------

    @Test
    void interfaceNameTooLong() {
        String sixteen = "wgforward-relay0";
        assertEquals(16, sixteen.length());
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("interfaceName", sixteen)), "relay.interfaceName", "15");
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("interfaceName", sixteen)), "client.interfaceName", "15");
        List<CheckFailure> fifteen = checkMinimalWith(in -> relay(in).addProperty("interfaceName", sixteen.substring(1)));
        assertEquals(List.of(), fifteen, () -> describe(fifteen));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wg/0", "../wg0", "wg 0", "wg0;reboot", "-wg0", "wg+", ""})
    void interfaceNameWithBadCharacters(String name) {
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("interfaceName", name)), "relay.interfaceName");
    }

    @Test
    void sameHostSameInterfaceNameIsRefused() {
        assertOneFailure(checkMinimalWith(in -> client(in).add("connection", obj("{\"host\": \"relay.example.com\"}"))),
                "client.interfaceName", "same host");
        List<CheckFailure> otherName = checkMinimalWith(in -> {
            client(in).add("connection", obj("{\"host\": \"relay.example.com\"}"));
            client(in).addProperty("interfaceName", "wgf1");
        });
        assertEquals(List.of(), otherName, () -> describe(otherName));
        List<CheckFailure> otherPort = checkMinimalWith(in -> client(in).add("connection", obj("{\"host\": \"relay.example.com\", \"port\": 2222}")));
        assertEquals(List.of(), otherPort, () -> describe(otherPort));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relay example.com", "relay.example.com:0", "relay.example.com:70000", "[2001:db8::1]", "a;b:51820", "host:port"})
    void badRelayEndpoint(String endpoint) {
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("endpoint", endpoint)), "relay.endpoint", "host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vpn.example.com", "vpn.example.com:4500", "203.0.113.10", "203.0.113.10:51820", "[2001:db8::1]:51820", "2001:db8::1"})
    void goodRelayEndpoint(String endpoint) {
        List<CheckFailure> failures = checkMinimalWith(in -> relay(in).addProperty("endpoint", endpoint));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 70000})
    void badListenPort(int port) {
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("listenPort", port)), "relay.listenPort", "1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void badKeepalive(int seconds) {
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("persistentKeepalive", seconds)), "client.persistentKeepalive",
                "65535", String.valueOf(seconds));
    }

    // ---- connections --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, 70000, -22})
    void badConnectionPort(int port) {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("port", port)), "relay.connection.port",
                "1 to 65535", String.valueOf(port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relay.example.com;reboot", "$(id)", "relay example", "-oProxyCommand=x", "[2001:db8::1]", "256.1.1.1"})
    void badConnectionHost(String host) {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("host", host)), "relay.connection.host");
    }

    @Test
    void badProxyHostIsNamedByItsPath() {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).add("proxy", obj("{\"host\": \"jump;reboot\"}"))),
                "relay.connection.proxy.host");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).add("proxy",
                obj("{\"host\": \"jump1\", \"proxy\": {\"host\": \"$(id)\"}}"))), "relay.connection.proxy.proxy.host");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).add("proxy", obj("{\"port\": 22}"))),
                "relay.connection.proxy.host", "required");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).add("proxy", obj("{\"host\": \"jump\", \"port\": 0}"))),
                "relay.connection.proxy.port", "1 to 65535");
    }

    @Test
    void clientConnectionIsCheckedToo() {
        assertOneFailure(checkMinimalWith(in -> client(in).add("connection", obj("{\"host\": \"$(id)\"}"))), "client.connection.host");
        assertOneFailure(checkMinimalWith(in -> client(in).add("connection", obj("{\"host\": \"client\", \"port\": 0}"))),
                "client.connection.port");
        assertOneFailure(checkMinimalWith(in -> client(in).add("connection", obj("{\"user\": \"root\"}"))),
                "client.connection.host", "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a key", "ssh-ed25519", "ssh-ed25519 AAAA", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOImQ9YXIHOoZv9opO79VpxT3DVfUgDnCGLouWkf/nEw"})
    void badHostKey(String hostKey) {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("hostKey", hostKey)), "relay.connection.hostKey",
                "ssh-keyscan");
    }

    @Test
    void badUserAndDialSettings() {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("user", "Root;x")), "relay.connection.user", "Linux user");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("dialErrorLimit", 0)), "relay.connection.dialErrorLimit");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("dialRetryDelay", -1)), "relay.connection.dialRetryDelay");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("perDialTimeout", 0)), "relay.connection.perDialTimeout");
        List<CheckFailure> unlimited = checkMinimalWith(in -> relayConnection(in).addProperty("dialErrorLimit", -1));
        assertEquals(List.of(), unlimited, () -> describe(unlimited));
    }

    @Test
    void secretWrappedConnectionIsCheckedInside() {
        JsonObject in = minimal();
        JsonObject connection = relayConnection(in).deepCopy();
        connection.addProperty("port", 0);
        connection.add("privateKey", Values.secret(new JsonPrimitive(TestSupport.sshPrivateKey(""))));
        relay(in).add("connection", Values.secret(connection));
        assertOneFailure(check(in), "relay.connection.port");
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relayConnection(in).addProperty("port", 0);
            relay(in).addProperty("interfaceName", "wg/0");
            client(in).addProperty("address", "10.78.0.2");
            forward(in, 0).addProperty("targetHost", "$(id)");
            forward(in, 0).addProperty("protocol", "icmp");
        });
        assertEquals(Set.of("relay.connection.port", "relay.interfaceName", "client.address", "forwards[0].targetHost", "forwards[0].protocol"),
                failures.stream().map(CheckFailure::property).collect(Collectors.toSet()), () -> describe(failures));
    }

    @Test
    void wrongShapeIsAFailureNotACrash() {
        List<CheckFailure> failures = checkMinimalWith(in -> forward(in, 0).addProperty("port", "eighty"));
        assertEquals(1, failures.size(), () -> describe(failures));
        assertEquals("forwards[0].port", failures.get(0).property(), () -> describe(failures));
        assertTrue(failures.get(0).reason().contains("must be a whole number"), () -> describe(failures));
    }

    // ---- unknowns at preview ------------------------------------------------------------------

    private static JsonElement unknown() {
        return new JsonPrimitive(UNKNOWN);
    }

    @Test
    void unknownTargetHostIsAcceptedAtPreview() {
        List<CheckFailure> failures = checkMinimalWith(in -> forward(in, 0).add("targetHost", unknown()));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void otherUnknownsAreAcceptedAtPreview() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            forward(in, 0).add("port", unknown());
            forward(in, 0).add("targetPort", unknown());
            in.getAsJsonArray("forwards").add(obj("{\"port\": 8888, \"targetHost\": \"10.0.0.3\", \"targetPort\": 1}"));
            relayConnection(in).add("host", unknown());
            relayConnection(in).add("hostKey", unknown());
            relay(in).add("address", unknown());
            relay(in).add("endpoint", unknown());
            client(in).add("address", unknown());
            client(in).add("connection", obj("{}"));
            client(in).getAsJsonObject("connection").add("host", unknown());
        });
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void unknownRelayAddressSkipsTheContainmentCheck() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relay(in).add("address", unknown());
            client(in).addProperty("address", "192.168.200.2");
        });
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void unknownWholeConnectionOrForwardsAreAcceptedAtPreview() {
        List<CheckFailure> connection = checkMinimalWith(in -> relay(in).add("connection", unknown()));
        assertEquals(List.of(), connection, () -> describe(connection));
        List<CheckFailure> forwards = checkMinimalWith(in -> in.add("forwards", unknown()));
        assertEquals(List.of(), forwards, () -> describe(forwards));
    }

    // ---- targets the relay can't forward to ---------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.1.1", "224.0.0.1", "0.0.0.0", "255.255.255.255", "240.0.0.1"})
    void targetHostMustBeAUnicastAddressBehindTheRelay(String host) {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", host)), "forwards[0].targetHost",
                host, "unicast", "such as 192.168.1.10");
    }

    @Test
    void loopbackTargetSaysWhatToDoInstead() {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "127.0.0.1")), "forwards[0].targetHost",
                "loopback", "connect to the relay's tunnel address directly");
    }

    @Test
    void targetHostMustNotBeATunnelAddress() {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "10.77.42.1")), "forwards[0].targetHost",
                "relay's own tunnel address", "connect to 10.77.42.1");
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "10.77.42.2")), "forwards[0].targetHost",
                "client's tunnel address");
        // With a custom tunnel network the rule follows it.
        assertOneFailure(checkMinimalWith(in -> {
            relay(in).addProperty("address", "10.99.0.1/29");
            client(in).addProperty("address", "10.99.0.6");
            forward(in, 0).addProperty("targetHost", "10.99.0.6");
        }), "forwards[0].targetHost", "client's tunnel address");
    }

    @Test
    void targetHostInsideTheTunnelNetworkIsUnreachable() {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "10.77.42.9")), "forwards[0].targetHost",
                "inside the tunnel network 10.77.42.0/24");
    }

    @Test
    void targetChecksWaitForUnknownTunnelAddresses() {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relay(in).add("address", unknown());
            client(in).add("address", unknown());
            forward(in, 0).addProperty("targetHost", "10.77.42.1");
        });
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    // ---- prefixes that make no sense for a tunnel -----------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"192.168.2.1/0", "10.1.2.3/1", "10.1.2.3/7"})
    void relayNetworkMustNotSwallowTheInternet(String address) {
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relay(in).addProperty("address", address);
            client(in).addProperty("address", "10.1.2.4");
        });
        assertOneFailure(failures, "relay.address", "/8 to /30", "the whole network is routed into the tunnel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1/24", "224.0.0.1/24"})
    void relayAddressMustBeUnicast(String address) {
        List<CheckFailure> failures = checkMinimalWith(in -> relay(in).addProperty("address", address));
        assertTrue(failures.stream().anyMatch(f -> f.property().equals("relay.address") && f.reason().contains("unicast")),
                () -> describe(failures));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "224.0.0.1", "0.0.0.0", "255.255.255.255"})
    void clientAddressMustBeUnicast(String address) {
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address", address)), "client.address", "unicast");
    }

    @Test
    void relayNetworkOfSlash8AndSlash30Pass() {
        List<CheckFailure> big = checkMinimalWith(in -> {
            relay(in).addProperty("address", "10.0.0.1/8");
            client(in).addProperty("address", "10.200.1.2");
            forward(in, 0).addProperty("targetHost", "192.168.1.10");
        });
        assertEquals(List.of(), big, () -> describe(big));
        List<CheckFailure> small = checkMinimalWith(in -> {
            relay(in).addProperty("address", "10.77.42.1/30");
            client(in).addProperty("address", "10.77.42.2");
        });
        assertEquals(List.of(), small, () -> describe(small));
    }

    // ---- SSH private keys ------------------------------------------------------------------------

    @Test
    void aRealPrivateKeyPasses() {
        List<CheckFailure> failures = checkMinimalWith(in -> relayConnection(in).add("privateKey",
                Values.secret(new JsonPrimitive(TestSupport.sshPrivateKey("")))));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void aPrivateKeyThatIsNoKeyIsRefusedWithoutEchoingIt() {
        String notAKey = "this is my secret text, not a key";
        List<CheckFailure> failures = checkMinimalWith(in -> relayConnection(in).add("privateKey", Values.secret(new JsonPrimitive(notAKey))));
        assertOneFailure(failures, "relay.connection.privateKey", "is not an SSH private key", "OpenSSH, PEM or PKCS#8");
        assertTrue(failures.stream().noneMatch(f -> f.reason().contains("secret text")), () -> describe(failures));
    }

    @Test
    void aPublicKeyOrAFileNameGivenAsPrivateKeySaysSo() {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("privateKey", ed25519HostKey() + " me@laptop")),
                "relay.connection.privateKey", "is a public key");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("privateKey", "~/.ssh/id_ed25519")),
                "relay.connection.privateKey", "file name", "fn::readFile");
    }

    @Test
    void aDamagedPrivateKeyIsRefused() {
        String key = TestSupport.sshPrivateKey("");
        String damaged = key.substring(0, key.length() / 2) + key.substring(key.length() / 2 + 8);
        List<CheckFailure> failures = checkMinimalWith(in -> relayConnection(in).addProperty("privateKey", damaged));
        assertOneFailure(failures, "relay.connection.privateKey", "could not be read");
        String body = key.lines().skip(1).findFirst().orElseThrow();
        assertTrue(failures.stream().noneMatch(f -> f.reason().contains(body.substring(0, 20))), () -> describe(failures));
    }

    @Test
    void anEncryptedPrivateKeyNeedsItsPassphrase() {
        String encrypted = TestSupport.sshPrivateKey("correct horse");
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).addProperty("privateKey", encrypted)),
                "relay.connection.privateKey", "encrypted", "set privateKeyPassword");
        List<CheckFailure> wrong = checkMinimalWith(in -> {
            relayConnection(in).addProperty("privateKey", encrypted);
            relayConnection(in).add("privateKeyPassword", Values.secret(new JsonPrimitive("battery staple")));
        });
        assertOneFailure(wrong, "relay.connection.privateKey", "privateKeyPassword", "passphrase right");
        assertTrue(wrong.stream().noneMatch(f -> f.reason().contains("battery")), () -> describe(wrong));
        List<CheckFailure> right = checkMinimalWith(in -> {
            relayConnection(in).addProperty("privateKey", encrypted);
            relayConnection(in).add("privateKeyPassword", Values.secret(new JsonPrimitive("correct horse")));
        });
        assertEquals(List.of(), right, () -> describe(right));
    }

    @Test
    void anEncryptedPrivateKeyWhosePassphraseIsNotKnownYetPassesPreview() {
        String encrypted = TestSupport.sshPrivateKey("correct horse");
        List<CheckFailure> failures = checkMinimalWith(in -> {
            relayConnection(in).addProperty("privateKey", encrypted);
            relayConnection(in).add("privateKeyPassword", Values.secret(unknown()));
        });
        assertEquals(List.of(), failures, () -> describe(failures));
        List<CheckFailure> unknownKey = checkMinimalWith(in -> relayConnection(in).add("privateKey", Values.secret(unknown())));
        assertEquals(List.of(), unknownKey, () -> describe(unknownKey));
    }

    @Test
    void jumpHostAndClientKeysAreCheckedUnderTheirPaths() {
        assertOneFailure(checkMinimalWith(in -> relayConnection(in).add("proxy",
                obj("{\"host\": \"jump.example.com\", \"privateKey\": \"nope\"}"))), "relay.connection.proxy.privateKey");
        assertOneFailure(checkMinimalWith(in -> client(in).add("connection",
                obj("{\"host\": \"client.example.com\", \"privateKey\": \"nope\"}"))), "client.connection.privateKey");
    }

    // ---- IPv6 ---------------------------------------------------------------------------------

    @Test
    void ipv6TargetsAreAcceptedOnTheDualStackTunnel() {
        assertEquals(List.of(), checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "2001:db8:200::2")));
        // One forward per port and protocol, across families.
        JsonObject in = minimal();
        in.getAsJsonArray("forwards").add(obj("{\"port\": 8888, \"targetHost\": \"2001:db8:200::2\", \"targetPort\": 22}"));
        assertOneFailure(check(in), "forwards[1].port", "8888/tcp", "forwarded twice");
    }

    @Test
    void ipv6TargetWithoutAnIpv6TunnelIsRefusedWithTheFix() {
        assertOneFailure(checkMinimalWith(in -> {
            relay(in).addProperty("ipv6", false);
            forward(in, 0).addProperty("targetHost", "2001:db8:200::2");
        }), "forwards[0].targetHost", "IPv6 address", "relay.ipv6 is false", "set relay.ipv6 to true");
    }

    @Test
    void ipv6TargetsThatLeadNowhereAreRefused() {
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "fe80::2")), "forwards[0].targetHost",
                "link-local", "zone");
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "::1")), "forwards[0].targetHost", "loopback");
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "fd77:a4d:2a00::1")), "forwards[0].targetHost",
                "relay's own tunnel address");
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "FD77:A4D:2A00:0::2")), "forwards[0].targetHost",
                "client's tunnel address");
        assertOneFailure(checkMinimalWith(in -> forward(in, 0).addProperty("targetHost", "fd77:a4d:2a00::9")), "forwards[0].targetHost",
                "inside the tunnel's IPv6 network fd77:a4d:2a00::/64", "relay.address6");
    }

    @Test
    void relayAddress6() {
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("address6", "fd77:42::1/48")), "relay.address6", "/64 to /127");
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("address6", "fd77:42::/64")), "relay.address6", "anycast");
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("address6", "10.77.42.1/24")), "relay.address6", "IPv6",
                "relay.ipv6 to false");
        // Ignored (and so not checked) when the tunnel has no IPv6.
        assertEquals(List.of(), checkMinimalWith(in -> {
            relay(in).addProperty("ipv6", false);
            relay(in).addProperty("address6", "fd77:42::1/48");
        }));
    }

    @Test
    void clientAddress6() {
        assertEquals(List.of(), checkMinimalWith(in -> client(in).addProperty("address6", "fd77:a4d:2a00::abcd")));
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address6", "fd77:43::2")), "client.address6",
                "outside the tunnel network fd77:a4d:2a00::/64", "relay.address6");
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address6", "fd77:a4d:2a00:0::1")), "client.address6",
                "must differ from relay.address6");
        assertOneFailure(checkMinimalWith(in -> client(in).addProperty("address6", "fd77:42::2/64")), "client.address6", "IPv6");
        // Derived from the client's IPv4 host number: it must not land on the relay's.
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("address6", "fd77:42::2/64")), "client.address6",
                "fd77:42::2", "relay's own", "give client.address6");
        // A /127 has room for host numbers 0 and 1 only: .2 does not fit.
        assertOneFailure(checkMinimalWith(in -> relay(in).addProperty("address6", "fd77:42::/127")), "client.address6",
                "does not fit", "give client.address6");
        assertEquals(List.of(), checkMinimalWith(in -> {
            relay(in).addProperty("address6", "fd77:42::/127");
            client(in).addProperty("address6", "fd77:42::1");
        }));
    }
}
