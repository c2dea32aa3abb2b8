package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.resources.PortForwardConstructTest.RecordingChildren;
import dev.wgforward.provider.resources.PortForwardConstructTest.Registration;
import dev.wgforward.provider.wire.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PortForward with {@code clients}: the children of a hub, wired how, and its outputs by client name. */
class PortForwardHubConstructTest {
    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);

    private static JsonObject hub() {
        return obj("""
                {"relay": {"connection": {"host": "relay.example.com"}},
                 "clients": [
                   {"name": "laptop", "connection": {"host": "laptop.example.com"},
                    "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]},
                   {"name": "phone", "address": "10.77.42.9", "persistentKeepalive": 0,
                    "forwards": [{"port": 8888, "targetHost": "10.0.0.3", "targetPort": 80}]}]}
                """);
    }

    /** Named as PortForwardConstructTest's component: one component per relay host in this JVM (HostClaims). */
    private JsonObject construct(RecordingChildren children) {
        assertEquals(List.of(), component.check(hub()), "the test inputs must be valid");
        return component.construct(ctx("pf", children.preview), hub(), children);
    }

    @Test
    void oneRelayInterfaceWithEveryClientAsAPeerAndEachClientsOwnChildren() {
        RecordingChildren children = new RecordingChildren(false);
        JsonObject out = construct(children);
        assertEquals(List.of("pf-relay-key", "pf-client-laptop-key", "pf-client-phone-key", "pf-addresses", "pf-relay",
                "pf-client-laptop", "pf-forwards"), children.registrations.stream().map(Registration::name).toList(),
                "an unmanaged client gets no interface");
        JsonObject requested = Values.plain(children.named("pf-addresses").inputs().get("requested")).getAsJsonObject();
        assertEquals(obj("{\"laptop\": \"\", \"phone\": \"10.77.42.9\"}"), requested, "a given address is asked for, the others any");

        JsonArray peers = children.named("pf-relay").inputs().getAsJsonArray("peers");
        assertEquals(2, peers.size());
        // Each client's IPv6 address follows its IPv4 one (same host number): no second allocation.
        assertEquals(obj("{\"a\": [\"10.77.42.2/32\", \"fd77:a4d:2a00::2/128\"]}").get("a"), peers.get(0).getAsJsonObject().get("allowedIps"));
        assertEquals(obj("{\"a\": [\"10.77.42.9/32\", \"fd77:a4d:2a00::9/128\"]}").get("a"), peers.get(1).getAsJsonObject().get("allowedIps"));
        assertEquals("fd77:a4d:2a00::1/64", children.named("pf-relay").inputs().get("address6").getAsString());
        assertEquals(children.keys.get(1).publicKey(), peers.get(0).getAsJsonObject().get("publicKey").getAsString());

        JsonObject laptopIf = children.named("pf-client-laptop").inputs();
        assertEquals("10.77.42.2/24", laptopIf.get("address").getAsString());
        assertEquals("fd77:a4d:2a00::2/64", laptopIf.get("address6").getAsString());
        assertEquals("relay.example.com:51820", laptopIf.getAsJsonArray("peers").get(0).getAsJsonObject().get("endpoint").getAsString());

        JsonArray ruleClients = Values.plain(children.named("pf-forwards").inputs()).getAsJsonObject().getAsJsonArray("clients");
        assertEquals("phone", ruleClients.get(1).getAsJsonObject().get("name").getAsString());
        assertEquals("10.77.42.9", ruleClients.get(1).getAsJsonObject().get("address").getAsString());
        assertEquals("fd77:a4d:2a00::9", ruleClients.get(1).getAsJsonObject().get("address6").getAsString());
        assertEquals("fd77:a4d:2a00::1", Values.plain(children.named("pf-forwards").inputs()).getAsJsonObject().get("relayAddress6").getAsString());
        assertEquals(List.of(children.named("pf-relay").child(), children.named("pf-addresses").child()),
                children.named("pf-forwards").dependsOn(), "the rules follow the relay's interface in");

        assertEquals(obj("{\"laptop\": \"10.77.42.2\", \"phone\": \"10.77.42.9\"}"), out.get("clientTunnelIps"));
        assertEquals(obj("{\"laptop\": \"fd77:a4d:2a00::2\", \"phone\": \"fd77:a4d:2a00::9\"}"), out.get("clientTunnelIps6"));
        assertEquals("fd77:a4d:2a00::1", out.get("relayTunnelIp6").getAsString());
        assertTrue(Values.isSecret(out.get("clientConfigs")), "the wg-quick files are a secret");
        assertTrue(Values.isSecret(out.get("clientQrCodes")), "so are their QR codes");
        JsonObject configs = Values.plain(out.get("clientConfigs")).getAsJsonObject();
        String phone = configs.get("phone").getAsString();
        assertTrue(phone.contains("Address = fd77:a4d:2a00::9/64") && phone.contains("AllowedIPs = 10.77.42.1/32, fd77:a4d:2a00::1/128"), phone);
        assertTrue(phone.contains("Address = 10.77.42.9/24") && phone.contains("PrivateKey = " + children.keys.get(2).privateKey()), phone);
        assertFalse(phone.contains("PersistentKeepalive"), "the phone's keepalive is off: " + phone);
        assertFalse(out.has("clientConfig"), "the single client's outputs are not there");
    }

    @Test
    void previewAlreadyShowsTheAddressesAndKeepsKeysUnknown() {
        RecordingChildren children = new RecordingChildren(true);
        JsonObject out = construct(children);
        assertEquals(obj("{\"laptop\": \"10.77.42.2\", \"phone\": \"10.77.42.9\"}"), out.get("clientTunnelIps"));
        assertEquals(obj("{\"laptop\": \"fd77:a4d:2a00::2\", \"phone\": \"fd77:a4d:2a00::9\"}"), out.get("clientTunnelIps6"));
        assertTrue(Values.isUnknown(Values.unwrapSecret(out.get("clientConfigs"))), out::toString);
        assertTrue(Values.isUnknown(out.get("clientPublicKeys")), out::toString);
    }
}
