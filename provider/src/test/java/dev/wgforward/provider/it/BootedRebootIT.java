package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's promise that the tunnel and the forward come back after a reboot, on real booted
 * Debian hosts (lab.sh up --booted): the relay, the client, and both at once are powered off and
 * booted again — systemd stops every unit and runs every enabled one from scratch, and nothing of
 * the running system survives but the disk — and the forward works again without any pulumi run;
 * refresh then finds nothing changed. Destroy leaves neither unit nor file nor rule, and one more
 * reboot brings nothing back. Boot times and boot-to-forward times are printed.
 */
class BootedRebootIT {
    private static final int PORT = 8888;

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.BOOTED);
    }

    @Test
    void theForwardComesBackAfterRealRebootsOfTheRelayTheClientAndBothAndDestroyLeavesNothingThatBootsAgain(
            @TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "booted-reboot");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        String relayIp = s.output("relayTunnelIp");
        PortForwardScenario.assertLandsOnTarget(relayIp, PORT);
        assertEquals("enabled\nenabled", Lab.exec("relay",
                "systemctl is-enabled wg-quick@wgf0.service wgforward-forwards-wgf0.service").assertOk().output().trim());
        assertEquals("enabled", Lab.exec("client", "systemctl is-enabled wg-quick@wgf0.service").assertOk().output().trim());

        for (String[] hosts : new String[][] {{"relay"}, {"client"}, {"relay", "client"}}) {
            String which = String.join("+", hosts);
            Map<String, Double> boot = Lab.reboot(hosts);
            long booted = System.nanoTime();
            for (String host : hosts) {
                assertEquals("running", Lab.exec(host, "systemctl is-system-running").output().trim(),
                        host + " booted with every unit fine");
                assertEquals("active", Lab.exec(host, "systemctl is-active wg-quick@wgf0.service").output().trim(),
                        host + ": systemd brought the tunnel up");
                String link = Lab.exec(host, "ip -d link show dev wgf0").assertOk().output();
                assertTrue(link.contains("alias wgforward-owner="), host + ": the interface wg-quick made carries its owner's mark:\n" + link);
            }
            if (which.contains("relay")) {
                assertEquals("active", Lab.exec("relay", "systemctl is-active wgforward-forwards-wgf0.service").output().trim(),
                        "systemd ran the forwarding rules' unit");
                assertEquals("1", Lab.exec("relay", "sysctl -n net.ipv4.ip_forward").assertOk().output().trim(),
                        "systemd-sysctl turned forwarding on from wgforward's sysctl.d file");
            }
            double toForward = PortForwardScenario.secondsUntilTheForwardWorksAgain(relayIp, PORT, booted);
            System.out.printf("BootedRebootIT: reboot of %s: boot %s s; boot -> forward working %.1f s%n", which, boot,
                    boot.values().stream().mapToDouble(Double::doubleValue).max().orElse(0) + toForward);
            s.assertQuiet();
        }

        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy removes the units, files and rules");
        assertEquals(clientBefore, Lab.snapshot("client"), "destroy removes the client's tunnel and unit");
        Lab.reboot("relay", "client");
        assertEquals(relayBefore, Lab.snapshot("relay"), "nothing of wgforward's comes back at boot");
        assertEquals(clientBefore, Lab.snapshot("client"), "nothing of wgforward's comes back at boot");
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, PORT).exitCode());
    }
}
