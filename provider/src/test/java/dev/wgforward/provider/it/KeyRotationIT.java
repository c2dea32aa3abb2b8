package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keyRotation gives both ends new keys in one `pulumi up` while a ping runs through the tunnel:
 * the tunnel is not lost (at most one second of pings), the forward works with the new keys, and
 * the stack is quiet afterwards.
 */
class KeyRotationIT {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void bothEndsGetNewKeysInOneUpWithoutLosingTheTunnel(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "rotate");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        try {
            String relayKey = s.output("relayPublicKey");
            String clientKey = s.output("clientPublicKey");
            PortForwardScenario.assertLandsOnTarget("10.77.42.1", 8888);

            // A ping every 0.2 s from the client through the tunnel, for as long as the rotation takes.
            Lab.exec("client", "rm -f /tmp/rotation.ping; (ping -n -i 0.2 10.77.42.1 > /tmp/rotation.ping 2>&1 &)").assertOk();
            PortForwardScenario.sleep(2000);
            s.config("keyRotation", "2026-12-01");
            long started = System.nanoTime();
            Commands.Result rotated = s.project.pulumi("up", "--yes", "--skip-preview");
            long upMillis = (System.nanoTime() - started) / 1_000_000;
            PortForwardScenario.sleep(3000);
            Lab.exec("client", "pkill -INT -x ping; sleep 0.5").assertOk();
            rotated.assertOk();
            String ping = Lab.exec("client", "cat /tmp/rotation.ping; rm -f /tmp/rotation.ping").assertOk().output();
            Matcher m = SUMMARY.matcher(ping);
            assertTrue(m.find(), ping);
            int sent = Integer.parseInt(m.group(1));
            int lost = sent - Integer.parseInt(m.group(2));
            System.out.printf("key rotation: up took %d ms; ping every 0.2 s: %d sent, %d lost (%.1f s without the tunnel)%n",
                    upMillis, sent, lost, lost * 0.2);
            assertTrue(lost <= 5, "more than one second of pings lost during the rotation: " + lost + " of " + sent + "\n" + ping);

            assertNotEquals(relayKey, s.output("relayPublicKey"), "the relay has a new key");
            assertNotEquals(clientKey, s.output("clientPublicKey"), "the client has a new key");
            assertTrue(s.output("clientConfig").contains("PublicKey = " + s.output("relayPublicKey")),
                    "the client's configuration carries the relay's new key");
            assertTrue(rotated.output().contains("replaced") || rotated.output().contains("~"), rotated.output());
            PortForwardScenario.assertLandsOnTarget("10.77.42.1", 8888);
            s.assertQuiet();
        } finally {
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        }
        assertEquals(relayBefore, Lab.snapshot("relay"));
        assertEquals(clientBefore, Lab.snapshot("client"));
    }
}
