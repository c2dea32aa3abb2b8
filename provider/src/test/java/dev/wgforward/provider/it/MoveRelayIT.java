package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay VM replaced by the cloud: a new address and a new host key. The stack is not wedged:
 * `pulumi up` removes the forward from the old relay (still reachable) and installs it on the new
 * one, and the client follows.
 */
class MoveRelayIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void aNewRelayAddressAndHostKeyMoveTheForwardAndCleanTheOldRelay(@TempDir Path scratch) {
        String oldRelayBefore = Lab.snapshot("relay");
        String newRelayBefore = Lab.snapshot("relay2");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "move");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget("10.77.42.1", 8888);

        // The cloud replaced the VM: the program now gets the new one's address and host key.
        s.config("relayPort", Lab.get("RELAY2_SSH_PORT"));
        s.config("relayHostKey", Lab.get("RELAY2_HOST_KEY"));
        s.config("relayEndpoint", Lab.get("RELAY2_ADDR"));
        String preview = s.project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(preview.contains("replace"), "a new relay host is a replacement:\n" + preview);

        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget("10.77.42.1", 8888);
        String endpoints = Lab.exec("client", "wg show wgf0 endpoints").assertOk().output();
        assertTrue(endpoints.contains(Lab.get("RELAY2_ADDR") + ":"), "the client now dials the new relay:\n" + endpoints);
        assertEquals(oldRelayBefore, Lab.snapshot("relay"), "nothing of the forward is left on the old relay");
        assertNotEquals(newRelayBefore, Lab.snapshot("relay2"), "the new relay carries the forward");
        s.assertQuiet();

        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(newRelayBefore, Lab.snapshot("relay2"));
        assertEquals(clientBefore, Lab.snapshot("client"));
    }
}
