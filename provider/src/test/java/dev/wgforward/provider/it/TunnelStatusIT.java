package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * getTunnelStatus through the engine (YAML {@code fn::invoke}), against the seed tunnel on the lab:
 * a working tunnel reports a fresh handshake and a reachable target; a closed target port and a
 * client that went away are reported as such.
 */
class TunnelStatusIT {
    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    private static PulumiProject statusStack(Path scratch, int staleAfterSeconds) {
        PulumiProject status = PulumiProject.copyOf(Toolchain.repoRoot().resolve("examples/tunnel-status-yaml"), scratch.resolve("status"));
        status.pulumi("stack", "init", "status").assertOk();
        status.pulumi("config", "set", "relayHost", "--", Lab.get("RELAY_SSH_HOST")).assertOk();
        status.pulumi("config", "set", "relayPort", "--", Lab.get("RELAY_SSH_PORT")).assertOk();
        status.pulumi("config", "set", "relayHostKey", "--", Lab.get("RELAY_HOST_KEY")).assertOk();
        status.pulumi("config", "set", "staleAfterSeconds", Integer.toString(staleAfterSeconds)).assertOk();
        status.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
        return status;
    }

    private static JsonObject read(PulumiProject status) {
        status.pulumi("up", "--yes", "--skip-preview").assertOk();
        return JsonParser.parseString(status.pulumi("stack", "output", "--json", "--show-secrets").assertOk().output()).getAsJsonObject();
    }

    @Test
    void reportsHandshakesAndTargetsAsTheyAre(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        PortForwardScenario tunnel = PortForwardScenario.of("examples/port-forward-yaml", scratch.resolve("tunnel"), "tunnel");
        tunnel.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        try {
            PortForwardScenario.assertLandsOnTarget("10.77.42.1", 8888); // traffic: a handshake
            PulumiProject status = statusStack(scratch, 180);

            JsonObject healthy = read(status);
            assertTrue(healthy.get("interfaceUp").getAsBoolean(), healthy::toString);
            JsonArray peers = healthy.getAsJsonArray("peers");
            assertEquals(1, peers.size(), healthy::toString);
            JsonObject client = peers.get(0).getAsJsonObject();
            assertEquals(tunnel.output("clientPublicKey"), client.get("publicKey").getAsString());
            assertEquals("10.77.42.2/32", client.getAsJsonArray("allowedIps").get(0).getAsString());
            assertTrue(client.get("latestHandshakeSecondsAgo").getAsInt() < 180, client::toString);
            assertFalse(client.get("stale").getAsBoolean(), client::toString);
            assertTrue(client.get("receivedBytes").getAsDouble() > 0, client::toString);
            JsonObject forward = healthy.getAsJsonArray("forwards").get(0).getAsJsonObject();
            assertEquals(8888, forward.get("port").getAsInt());
            assertEquals("10.200.0.2", forward.get("targetHost").getAsString());
            assertEquals(22, forward.get("targetPort").getAsInt());
            assertTrue(forward.get("reachable").getAsBoolean(), forward::toString);

            // The target's port closed to the relay (the target rejects it): unreachable, and said so.
            Lab.exec("target", "iptables -I INPUT -s 10.200.0.1 -p tcp --dport 22 -j REJECT --reject-with tcp-reset").assertOk();
            try {
                JsonObject closed = read(status).getAsJsonArray("forwards").get(0).getAsJsonObject();
                assertFalse(closed.get("reachable").getAsBoolean(), closed::toString);
                assertTrue(closed.get("detail").getAsString().contains("could not open a TCP connection to 10.200.0.2:22"), closed::toString);
            } finally {
                Lab.exec("target", "iptables -D INPUT -s 10.200.0.1 -p tcp --dport 22 -j REJECT --reject-with tcp-reset").assertOk();
            }

            // The client goes away: no more handshakes, and once older than staleAfterSeconds the peer is stale.
            Lab.exec("client", "ip link set wgf0 down").assertOk();
            try {
                PulumiProject impatient = statusStack(scratch.resolve("impatient"), 3);
                PortForwardScenario.sleep(4000);
                JsonObject gone = read(impatient).getAsJsonArray("peers").get(0).getAsJsonObject();
                assertTrue(gone.get("stale").getAsBoolean(), gone::toString);
                assertTrue(gone.get("latestHandshakeSecondsAgo").getAsInt() > 3, gone::toString);
                impatient.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            } finally {
                Lab.exec("client", "ip link set wgf0 up").assertOk();
            }
            status.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        } finally {
            tunnel.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        }
        assertEquals(relayBefore, Lab.snapshot("relay"), "after both stacks the relay is as it was: the status stack changed nothing");
    }
}
