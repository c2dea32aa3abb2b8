package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.assertOneFailure;
import static dev.wgforward.provider.testing.TestSupport.describe;
import static dev.wgforward.provider.testing.TestSupport.ed25519HostKey;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** WireGuardInterface's own check, through the framework as the engine's Check reaches it. */
class WireGuardInterfaceCheckTest {
    private static final WgKeyPair KEY = WgKeys.generate();
    private static final WgKeyPair PEER1 = WgKeys.generate();
    private static final WgKeyPair PEER2 = WgKeys.generate();

    private final ResourceHandler<?, ?> handler = new ResourceHandler<>(new WireGuardInterface(NO_SSH), SCHEMA);

    private static JsonObject valid() {
        JsonObject in = obj("""
                {"connection": {"host": "relay.example.com", "hostKey": "%s"}, "interfaceName": "wgf0", "address": "10.77.42.1/24",
                 "listenPort": 51820, "mtu": 1420,
                 "peers": [{"publicKey": "%s", "allowedIps": ["10.77.42.2/32", "192.168.10.0/24"]},
                           {"publicKey": "%s", "allowedIps": ["10.77.42.3/32"], "endpoint": "peer.example.com:51820", "persistentKeepalive": 25}]}
                """.formatted(ed25519HostKey(), PEER1.publicKey(), PEER2.publicKey()));
        in.add("privateKey", Values.secret(new JsonPrimitive(KEY.privateKey())));
        return in;
    }

    private List<CheckFailure> checkWith(Consumer<JsonObject> change) {
        JsonObject in = valid();
        change.accept(in);
        return handler.check(in).failures();
    }

    private static JsonObject peer(JsonObject in, int i) {
        return in.getAsJsonArray("peers").get(i).getAsJsonObject();
    }


    @Test
    void validInputsPass() {
        List<CheckFailure> failures = handler.check(valid()).failures();
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.1", "10.77.42.1/33", "10.77.42.1/24,10.0.0.1/24", "fd00::1/64", ""})
    void badAddress(String address) {
        assertOneFailure(checkWith(in -> in.addProperty("address", address)), "address", "prefix");
    }

    @Test
    void badPrivateKeyIsNotEchoed() {
        String almost = KEY.privateKey().substring(0, 43) + "x";
        for (String bad : List.of("not-a-key", almost, KEY.privateKey() + "=")) {
            List<CheckFailure> failures = checkWith(in -> in.add("privateKey", Values.secret(new JsonPrimitive(bad))));
            assertOneFailure(failures, "privateKey", "44 characters");
            assertFalse(failures.get(0).reason().contains(bad), "a private key must never appear in a message");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536})
    void badListenPort(int port) {
        assertOneFailure(checkWith(in -> in.addProperty("listenPort", port)), "listenPort", "1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(ints = {1279, 9001, 0, -1})
    void badMtu(int mtu) {
        assertOneFailure(checkWith(in -> in.addProperty("mtu", mtu)), "mtu", "1280", "9000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wgforward-relay0", "wg/0", "wg0\n", ".."})
    void badInterfaceName(String name) {
        assertOneFailure(checkWith(in -> in.addProperty("interfaceName", name)), "interfaceName");
    }

    @Test
    void badPeers() {
        assertOneFailure(checkWith(in -> peer(in, 1).addProperty("publicKey", "short")), "peers[1].publicKey", "44 characters");
        assertOneFailure(checkWith(in -> peer(in, 1).addProperty("publicKey", PEER1.publicKey())), "peers[1].publicKey", "twice");
        assertOneFailure(checkWith(in -> peer(in, 0).getAsJsonArray("allowedIps").set(1, new JsonPrimitive("192.168.10.0"))),
                "peers[0].allowedIps[1]", "prefix");
        assertOneFailure(checkWith(in -> peer(in, 1).addProperty("endpoint", "peer.example.com")), "peers[1].endpoint", "host:port");
        assertOneFailure(checkWith(in -> peer(in, 1).addProperty("endpoint", "peer.example.com:51820; reboot")), "peers[1].endpoint");
        assertOneFailure(checkWith(in -> peer(in, 1).addProperty("persistentKeepalive", -1)), "peers[1].persistentKeepalive", "65535");
        assertOneFailure(checkWith(in -> peer(in, 0).remove("allowedIps")), "peers[0].allowedIps", "required");
    }

    @Test
    void badConnection() {
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").addProperty("hostKey", "ssh-ed25519 nope")), "connection.hostKey");
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").addProperty("port", 70000)), "connection.port", "70000");
        assertOneFailure(checkWith(in -> in.getAsJsonObject("connection").remove("host")), "connection.host", "required");
    }

    @Test
    void unknownsAreAcceptedAtPreview() {
        List<CheckFailure> failures = checkWith(in -> {
            in.add("privateKey", Values.secret(Values.unknown()));
            in.add("address", Values.unknown());
            peer(in, 0).add("publicKey", Values.unknown());
            peer(in, 1).add("publicKey", Values.unknown());
            JsonArray ips = new JsonArray();
            ips.add(Values.unknown());
            peer(in, 1).add("allowedIps", ips);
            peer(in, 1).add("endpoint", Values.unknown());
        });
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.2.1/0", "10.1.2.3/7", "127.0.0.1/24", "224.0.0.1/24", "10.77.42.0/24", "10.77.42.255/24"})
    void addressMustBeAHostAddressOfASensibleNetwork(String address) {
        assertOneFailure(checkWith(in -> in.addProperty("address", address)), "address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.77.42.1/32", "10.77.42.0/31", "10.0.0.1/8", "10.77.42.1/30"})
    void addressMayBePointToPoint(String address) {
        List<CheckFailure> failures = checkWith(in -> in.addProperty("address", address));
        assertEquals(List.of(), failures, () -> describe(failures));
    }

    @Test
    void mtuFollowsTheSameRuleAsTheHostModel() {
        assertOneFailure(checkWith(in -> in.addProperty("mtu", 576)), "mtu", "1280 to 9000");
        assertOneFailure(checkWith(in -> in.addProperty("mtu", 9001)), "mtu", "1280 to 9000");
        List<CheckFailure> smallest = checkWith(in -> in.addProperty("mtu", 1280));
        assertEquals(List.of(), smallest, () -> describe(smallest));
    }

    @Test
    void allowedIpsThatWouldTakeOverTheHostsRoutesAreRefused() {
        assertOneFailure(checkWith(in -> peer(in, 0).add("allowedIps", array("10.77.42.2/32", "0.0.0.0/0"))), "peers[0].allowedIps[1]",
                "at least /8", "default route");
        List<CheckFailure> ipv6 = checkWith(in -> peer(in, 0).add("allowedIps", array("10.77.42.2/32", "fd77::2/128")));
        assertEquals(List.of(), ipv6, () -> describe(ipv6));
    }

    @Test
    void keepaliveZeroIsOff() {
        List<CheckFailure> off = checkWith(in -> peer(in, 1).addProperty("persistentKeepalive", 0));
        assertEquals(List.of(), off, () -> describe(off));
        assertOneFailure(checkWith(in -> peer(in, 1).addProperty("persistentKeepalive", 65536)), "peers[1].persistentKeepalive", "65535");
    }

    @Test
    void connectionPrivateKeyIsCheckedWithoutEchoingIt() {
        String secret = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0IGJ5dGVz\n-----END OPENSSH PRIVATE KEY-----\n";
        List<CheckFailure> failures = checkWith(in -> in.getAsJsonObject("connection").add("privateKey",
                Values.secret(new JsonPrimitive(secret))));
        assertOneFailure(failures, "connection.privateKey", "could not be read as an OpenSSH private key");
        assertFalse(failures.get(0).reason().contains("c2VjcmV0"), failures.get(0).reason());
    }

    private static JsonArray array(String... items) {
        JsonArray a = new JsonArray();
        for (String item : items) {
            a.add(item);
        }
        return a;
    }
}
