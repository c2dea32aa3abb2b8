package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.NO_SSH;
import static dev.wgforward.provider.testing.TestSupport.SCHEMA;
import static dev.wgforward.provider.testing.TestSupport.ctx;
import static dev.wgforward.provider.testing.TestSupport.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.wgforward.provider.framework.CheckFailure;
import dev.wgforward.provider.framework.ComponentHandler;
import dev.wgforward.provider.framework.ResourceHandler;
import dev.wgforward.provider.host.InputOpening;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.resources.PortForwardConstructTest.Registration;
import dev.wgforward.provider.resources.PortForwardConstructTest.RecordingChildren;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code relay.openFirewall}: PortForward asks for a FirewallOpening of the WireGuard port only
 * when told to, before the relay's interface; the resource refuses bad ports and protocols at
 * preview; its scripts take back only what opening printed.
 */
class FirewallOpeningTest {
    private final ComponentHandler<PortForward.Args> component = new ComponentHandler<>(new PortForward(), SCHEMA);
    private final ResourceHandler<?, ?> opening = new ResourceHandler<>(new FirewallOpening(NO_SSH), SCHEMA);

    private static JsonObject forward(String relayExtra) {
        return obj("""
                {"relay": {"connection": {"host": "relay.example.com"}%s},
                 "forwards": [{"port": 8888, "targetHost": "10.0.0.2", "targetPort": 22}]}
                """.formatted(relayExtra));
    }

    private RecordingChildren construct(JsonObject inputs) {
        assertEquals(List.of(), component.check(inputs));
        RecordingChildren children = new RecordingChildren(false);
        component.construct(ctx("pf", false), inputs, children);
        return children;
    }

    @Test
    void offByDefault() {
        assertFalse(construct(forward("")).types().contains(FirewallOpening.TOKEN), "the input firewall is the admin's unless asked");
        assertFalse(construct(forward(", \"openFirewall\": false")).types().contains(FirewallOpening.TOKEN));
    }

    @Test
    void askedForItOpensTheListenPortBeforeTheInterfaceComesUp() {
        RecordingChildren children = construct(forward(", \"openFirewall\": true, \"listenPort\": 51999"));
        Registration open = children.named("pf-relay-firewall");
        assertEquals(FirewallOpening.TOKEN, open.type());
        assertEquals("relay.example.com", open.inputs().getAsJsonObject("connection").get("host").getAsString());
        assertEquals(51999, open.inputs().get("port").getAsInt());
        assertEquals("udp", open.inputs().get("protocol").getAsString());
        assertTrue(children.named("pf-relay").dependsOn().contains(open.child()),
                "the port is let in before the relay's interface comes up, and closed after it goes");
    }

    @Test
    void badPortsAndProtocolsFailAtPreview() {
        List<CheckFailure> failures = opening.check(obj("{\"connection\": {\"host\": \"h\"}, \"port\": 0, \"protocol\": \"icmp\"}")).failures();
        assertEquals(List.of("port", "protocol"), failures.stream().map(CheckFailure::property).sorted().toList(), failures::toString);
        assertEquals(List.of(), opening.check(obj("{\"connection\": {\"host\": \"h\"}, \"port\": 51820}")).failures());
        assertEquals("udp", opening.check(obj("{\"connection\": {\"host\": \"h\"}, \"port\": 51820}")).inputs().get("protocol").getAsString());
    }

    @Test
    void everyScriptIsValidShell() throws Exception {
        OwnerMark owner = OwnerMark.forResource("urn:pulumi:test::p::wgforward:index:FirewallOpening::o");
        for (String script : List.of(InputOpening.open(51820, "udp", owner), InputOpening.present(51820, "udp", owner, "firewalld public"),
                InputOpening.close(51820, "udp", owner, "iptables iptables-nft"), InputOpening.letInProbe(51820))) {
            Process sh = new ProcessBuilder("sh", "-n").redirectErrorStream(true).start();
            sh.getOutputStream().write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sh.getOutputStream().close();
            String out = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, sh.waitFor(), () -> out + "\n" + script);
        }
    }

    @Test
    void closingTakesOnlyWhatOpeningPrinted() {
        OwnerMark owner = OwnerMark.forResource("urn:pulumi:test::p::wgforward:index:FirewallOpening::o");
        String script = InputOpening.close(51820, "udp", owner, "nft inet filter input");
        assertTrue(script.contains("set -- 'nft' 'inet' 'filter' 'input'"), script);
        assertThrows(IllegalArgumentException.class, () -> InputOpening.close(51820, "udp", owner, "nft inet filter; rm -rf /"));
        assertThrows(IllegalArgumentException.class, () -> InputOpening.open(0, "udp", owner));
    }
}
