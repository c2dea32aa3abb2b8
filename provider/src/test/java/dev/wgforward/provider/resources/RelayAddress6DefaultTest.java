package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.wgforward.provider.check.Ipv4Cidr;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.resources.PortForwardConstructTest.RecordingChildren;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * relay.address6's default follows relay.address: the unique-local /64 whose two groups after
 * fd77 are the IPv4 network address, with the relay's IPv4 host number. So a second stack on a
 * shared relay that picks another IPv4 range (as README says) gets another IPv6 range too.
 */
class RelayAddress6DefaultTest {
    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);

    private static String derived(String relayAddress) {
        return PortForward.defaultNetwork6(Ipv4Cidr.parse(relayAddress)).toString();
    }

    @Test
    void theDefaultIsTheIpv4NetworkInHexWithTheRelaysHostNumber() {
        assertEquals("fd77:a4d:2a00::1/64", derived("10.77.42.1/24"));
        assertEquals("fd77:a4d:2b00::1/64", derived("10.77.43.1/24"), "another /24, another /64");
        // /30: the network is 192.168.1.4 (c0a8:0104), the relay's host number 1.
        assertEquals("fd77:c0a8:104::1/64", derived("192.168.1.5/30"));
        assertEquals("fd77:c0a8:104::2/64", derived("192.168.1.6/30"));
        // /16: the network is 172.16.0.0; host number 5 * 256 + 9 = 1289 = 0x509 (> 255).
        assertEquals("fd77:ac10::509/64", derived("172.16.5.9/16"));
        assertEquals("fd77:a4d::12c/64", derived("10.77.1.44/16"), "host number 300");
        // The host bits of the IPv4 address never reach the network part.
        assertEquals(PortForward.defaultNetwork6(Ipv4Cidr.parse("10.0.0.1/8")).network(),
                PortForward.defaultNetwork6(Ipv4Cidr.parse("10.255.255.254/8")).network());
        assertEquals("fd77:a00::ff:fffe/64", derived("10.255.255.254/8"));
    }

    private static JsonObject portForward(String relayAddress, String relayAddress6) {
        JsonObject in = obj("""
                {"relay": {"connection": {"host": "shared-relay6.example.com"}},
                 "client": {"connection": {"host": "client6.example.com"}},
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """);
        JsonObject relay = in.getAsJsonObject("relay");
        if (relayAddress != null) {
            relay.addProperty("address", relayAddress);
            relay.addProperty("interfaceName", "wgr" + relayAddress.split("\\.")[2]);
            relay.addProperty("listenPort", 51000 + Integer.parseInt(relayAddress.split("\\.")[2]));
            in.getAsJsonObject("client").addProperty("address", relayAddress.substring(0, relayAddress.lastIndexOf('.')) + ".2");
            in.getAsJsonObject("client").addProperty("interfaceName", "wgf" + relayAddress.split("\\.")[2]);
        }
        if (relayAddress6 != null) {
            relay.addProperty("address6", relayAddress6);
        }
        return in;
    }

    private JsonObject construct(String name, JsonObject inputs, RecordingChildren children) {
        assertEquals(List.of(), component.check(inputs), "the test inputs must be valid");
        return component.construct(ctx(name, children.preview), inputs, children);
    }

    @Test
    void everyChildAndOutputGetsTheDerivedAddresses() {
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct("pf6-derived", portForward("10.99.7.1/24", null), children);
        assertEquals("fd77:a63:700::1/64", children.named("pf6-derived-relay").inputs().get("address6").getAsString());
        assertEquals("fd77:a63:700::2/64", children.named("pf6-derived-client").inputs().get("address6").getAsString(),
                "the client keeps its IPv4 host number in the relay's IPv6 network");
        assertEquals("fd77:a63:700::1", children.named("pf6-derived-forwards").inputs().get("relayAddress6").getAsString());
        assertEquals("fd77:a63:700::2", children.named("pf6-derived-forwards").inputs().get("clientAddress6").getAsString());
        assertEquals("fd77:a63:700::1", out.get("relayTunnelIp6").getAsString());
        assertEquals("fd77:a63:700::2", out.get("clientTunnelIp6").getAsString());
    }

    @Test
    void anExplicitAddress6WinsAndIpv6FalseHasNone() {
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct("pf6-explicit", portForward("10.99.8.1/24", "fd00:beef::1/64"), children);
        assertEquals("fd00:beef::1/64", children.named("pf6-explicit-relay").inputs().get("address6").getAsString());
        assertEquals("fd00:beef::2", out.get("clientTunnelIp6").getAsString());

        JsonObject ipv4Only = portForward("10.99.9.1/24", null);
        ipv4Only.getAsJsonObject("relay").addProperty("ipv6", false);
        RecordingChildren v4 = new RecordingChildren(false);
        JsonObject out4 = construct("pf6-none", ipv4Only, v4);
        assertFalse(v4.named("pf6-none-relay").inputs().has("address6"), v4.named("pf6-none-relay").inputs()::toString);
        assertFalse(out4.has("relayTunnelIp6") && !out4.get("relayTunnelIp6").isJsonNull(), out4::toString);
    }

    @Test
    void anUnknownRelayAddressLeavesTheDefaultAddress6Unknown() {
        JsonObject in = portForward("10.99.10.1/24", null);
        in.getAsJsonObject("relay").add("address", Values.unknown());
        RecordingChildren children = new RecordingChildren(true);
        JsonObject out = construct("pf6-unknown", in, children);
        assertTrue(Values.isUnknown(children.named("pf6-unknown-relay").inputs().get("address6")));
        assertTrue(Values.isUnknown(out.get("relayTunnelIp6")));
        assertTrue(Values.isUnknown(out.get("clientTunnelIp6")));
    }

    @Test
    void twoStacksOnOneRelayWithDistinctIpv4RangesAndDefaultIpv6DoNotClash() {
        // Each has its own interfaceName, listenPort and address: what README asks of a second stack.
        assertDoesNotThrow(() -> construct("pf6-first", portForward("10.88.1.1/24", null), new RecordingChildren(true)));
        assertDoesNotThrow(() -> construct("pf6-second", portForward("10.88.2.1/24", null), new RecordingChildren(true)));
        // Equal explicit address6 values are still refused, naming the range and relay.address6.
        ProviderException clash = assertThrows(ProviderException.class,
                () -> construct("pf6-third", portForward("10.88.3.1/24", "fd77:a58:100::9/64"), new RecordingChildren(true)));
        assertTrue(clash.getMessage().contains("IPv6 address range fd77:a58:100::/64") && clash.getMessage().contains("relay.address6"),
                clash.getMessage());
    }

    @Test
    void checkTakesTheClientsAddress6AgainstTheDerivedNetwork() {
        // fd77:42::5 was inside the old fixed default; it is outside fd77:a4d:2a00::/64.
        JsonObject in = portForward(null, null);
        in.getAsJsonObject("client").addProperty("address6", "fd77:42::5");
        List<CheckFailure> failures = component.check(in);
        assertEquals(1, failures.size(), failures::toString);
        assertEquals("client.address6", failures.get(0).property());
        assertTrue(failures.get(0).reason().contains("relay.address6"), failures.get(0).reason());
        in.getAsJsonObject("client").addProperty("address6", "fd77:a4d:2a00::5");
        assertEquals(List.of(), component.check(in));
    }

    @Test
    void aHubsClientsFollowTheDerivedNetwork() {
        JsonObject hub = obj("""
                {"relay": {"connection": {"host": "hub6.example.com"}, "address": "10.66.0.1/16"},
                 "clients": [
                   {"name": "laptop", "address": "10.66.1.44",
                    "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]},
                   {"name": "phone", "address6": "fd77:42::9",
                    "forwards": [{"port": 8889, "targetHost": "10.0.0.3", "targetPort": 80}]}]}
                """);
        List<CheckFailure> failures = component.check(hub);
        assertEquals(List.of("clients[1].address6"), failures.stream().map(CheckFailure::property).toList(), failures::toString);
        hub.getAsJsonArray("clients").get(1).getAsJsonObject().remove("address6");
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct("pf6-hub", hub, children);
        assertEquals("fd77:a42::1/64", children.named("pf6-hub-relay").inputs().get("address6").getAsString());
        assertTrue(out.toString().contains("fd77:a42::12c"), "laptop's host number 300 in the derived network: " + out);
    }
}
