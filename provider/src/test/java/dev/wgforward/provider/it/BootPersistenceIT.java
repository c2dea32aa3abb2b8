package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a systemd relay the forwarding rules come back after a reboot. The lab's hosts run no
 * systemd, so the relay gets a stand-in: /run/systemd/system and a `systemctl` that records its
 * calls. A reboot is simulated by wiping the firewall and running what systemd would run.
 */
class BootPersistenceIT {
    private static final String FAKE_SYSTEMCTL = "mkdir -p /run/systemd/system && "
            + "printf '#!/bin/sh\\necho \"$*\" >> /run/systemctl.calls\\n' > /usr/local/bin/systemctl && chmod 755 /usr/local/bin/systemctl";

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @AfterEach
    void removeStandIn() {
        Lab.exec("relay", "rm -rf /usr/local/bin/systemctl /run/systemd /run/systemctl.calls");
    }

    @Test
    void theRulesAreReappliedAtBootAndTheUnitGoesWithDestroy(@TempDir Path scratch) {
        Lab.exec("relay", FAKE_SYSTEMCTL).assertOk();
        String relayBefore = Lab.snapshot("relay");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "boot");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        String relayIp = s.output("relayTunnelIp");
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

        String calls = Lab.exec("relay", "cat /run/systemctl.calls").assertOk().output();
        assertTrue(calls.contains("enable wgforward-forwards-wgf0.service"), calls);
        assertTrue(calls.contains("enable wg-quick@wgf0"), calls);
        assertEquals("600", Lab.exec("relay", "stat -c %a /etc/wgforward/forwards-wgf0.sh").assertOk().output().trim(),
                "the saved script is root's alone");
        String unit = Lab.exec("relay", "cat /etc/systemd/system/wgforward-forwards-wgf0.service").assertOk().output();
        assertTrue(unit.contains("ExecStart=/bin/sh /etc/wgforward/forwards-wgf0.sh"), unit);

        // "Reboot": the firewall and ip_forward are gone; systemd runs the unit's ExecStart.
        Lab.exec("relay", "nft flush ruleset && echo 0 > /proc/sys/net/ipv4/ip_forward").assertOk();
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, 8888).exitCode());
        Lab.exec("relay", "/bin/sh /etc/wgforward/forwards-wgf0.sh").assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
        s.assertNoDrift();

        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertTrue(Lab.exec("relay", "cat /run/systemctl.calls").assertOk().output().contains("disable wgforward-forwards-wgf0.service"));
        Lab.exec("relay", "rm -f /run/systemctl.calls").assertOk();
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy removes the unit and the script too");
    }
}
