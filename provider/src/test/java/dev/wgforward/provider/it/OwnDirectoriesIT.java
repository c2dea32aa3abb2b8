package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wgforward's directories on the relay ({@code /etc/wgforward}, here for the iptables-nft record,
 * and {@code /var/lib/wgforward}, for the forwarding registry) go with destroy only where
 * wgforward made them: an empty directory of the same name that was there before stays, so that
 * after destroy the relay is exactly as before either way.
 */
class OwnDirectoriesIT {
    /** iptables-nft as the relay's firewall: wgforward's rules then record what iptables-nft makes for them in /etc/wgforward. */
    private static final String IPTABLES_NFT = "iptables-nft -P FORWARD DROP";
    private static final String MARKER = ".created-by-wgforward";

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    private static boolean exists(String path) {
        return Lab.exec("relay", "test -e " + path).exitCode() == 0;
    }

    @Test
    void destroyRemovesTheDirectoriesWgforwardMadeAndKeepsTheOnesThatWereThere(@TempDir Path scratch) {
        Lab.exec("relay", IPTABLES_NFT).assertOk();
        try {
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "own-dirs");

            // Without them: wgforward makes both, marked, and takes both away again.
            assertTrue(!exists("/etc/wgforward") && !exists("/var/lib/wgforward"), "the lab's relay starts without them");
            String without = Lab.snapshot("relay");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            assertTrue(exists("/etc/wgforward/iptables-nft-created") && exists("/etc/wgforward/" + MARKER), "made and marked");
            assertTrue(exists("/var/lib/wgforward/ip_forward") && exists("/var/lib/wgforward/" + MARKER), "made and marked");
            PortForwardScenario.assertLandsOnTarget(s.output("relayTunnelIp"), 8888);
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            assertEquals(without, Lab.snapshot("relay"), "the relay is as before: without the directories");

            // With them there before (empty, the admin's): used, not marked, and kept.
            Lab.exec("relay", "mkdir /etc/wgforward /var/lib/wgforward").assertOk();
            String with = Lab.snapshot("relay");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            assertTrue(exists("/etc/wgforward/iptables-nft-created") && !exists("/etc/wgforward/" + MARKER), "used, not marked");
            assertTrue(exists("/var/lib/wgforward/ip_forward") && !exists("/var/lib/wgforward/" + MARKER), "used, not marked");
            s.assertNoDrift();
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            assertEquals(with, Lab.snapshot("relay"), "the relay is as before: with its own empty directories");
            assertEquals("", Lab.exec("relay", "ls -A /etc/wgforward /var/lib/wgforward | grep -v -e '^/' -e '^$'; true")
                    .assertOk().output().trim(), "both there, empty");
        } finally {
            Lab.exec("relay", "rmdir /etc/wgforward /var/lib/wgforward 2>/dev/null; iptables-nft -P FORWARD ACCEPT && nft delete table ip filter");
        }
    }
}
