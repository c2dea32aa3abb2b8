package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hardened relay whose own firewall drops incoming packets (as ufw or firewalld do). wgforward
 * leaves the admin's input firewall alone but says what blocks the tunnel and how to open it.
 */
class RelayFirewallIT {
    private static final String HARDEN = "nft add table inet hardened && nft add chain inet hardened input "
            + "'{ type filter hook input priority 0; policy drop; }' && nft add rule inet hardened input iifname lo accept"
            + " && nft add rule inet hardened input ct state established,related accept";

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void aRelayThatDropsIncomingPacketsGetsAWarningWithTheFix(@TempDir Path scratch) {
        Lab.exec("relay", HARDEN).assertOk();
        try {
            String relayBefore = PortForwardIT.snapshot("relay");
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "hardened");
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            assertTrue(up.contains("drops incoming packets by default: allow UDP port 51820"), up);
            String relayIp = s.output("relayTunnelIp");
            assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, 8888).exitCode(),
                    "the admin's firewall still drops the tunnel: wgforward did not open it behind their back");

            Lab.exec("relay", "nft add rule inet hardened input udp dport 51820 accept").assertOk();
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            Lab.exec("relay", "nft delete rule inet hardened input handle "
                    + "$(nft -a list chain inet hardened input | awk '/udp dport 51820/ {print $NF}')").assertOk();
            assertEquals(relayBefore, PortForwardIT.snapshot("relay"));
        } finally {
            Lab.exec("relay", "nft delete table inet hardened");
        }
    }
}
