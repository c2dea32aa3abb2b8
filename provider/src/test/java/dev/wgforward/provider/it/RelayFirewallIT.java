package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays with firewalls of their own. wgforward leaves the admin's firewall alone, but where it
 * drops the tunnel (input) or the forwarded packets (forward, in a chain wgforward's rules can't
 * override) `pulumi up` says so and names the fix; and removal leaves the firewall exactly as it
 * was, including tables that only existed because of wgforward's rules.
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
            String relayBefore = Lab.snapshot("relay");
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
            assertEquals(relayBefore, Lab.snapshot("relay"));
        } finally {
            Lab.exec("relay", "nft delete table inet hardened");
        }
    }

    private static final String FORWARD_POLICY_DROP = "nft add table inet filter && nft add chain inet filter forward "
            + "'{ type filter hook forward priority 0; policy drop; }'"
            + " && nft add rule inet filter forward ct state established,related accept";

    @Test
    void aRelayWhoseForwardChainDropsGetsAWarningWithAFixThatWorks(@TempDir Path scratch) {
        Lab.exec("relay", FORWARD_POLICY_DROP).assertOk();
        try {
            String relayBefore = Lab.snapshot("relay");
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "forward-drop");
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            String fix = "nft insert rule inet filter forward "
                    + "'ct status dnat ct original ip saddr 10.77.42.2 ct original ip daddr 10.77.42.1 accept'";
            assertTrue(up.contains("nftables chain `inet filter forward` drops the forwarded packets of wgf0 (policy drop"), up);
            assertTrue(up.contains(fix), up);
            String relayIp = s.output("relayTunnelIp");
            assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, 8888).exitCode(),
                    "the admin's forward chain still drops: wgforward did not change it behind their back");

            Lab.exec("relay", fix).assertOk();
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
            PortForwardScenario.assertNoWayIn(relayIp, 8888);

            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            Lab.exec("relay", "nft delete rule inet filter forward handle "
                    + "$(nft -a list chain inet filter forward | awk '/ct status dnat/ {print $NF}')").assertOk();
            assertEquals(relayBefore, Lab.snapshot("relay"));
        } finally {
            Lab.exec("relay", "nft delete table inet filter");
        }
    }

    @Test
    void destroyOnARelayWithOnlyAnIptablesForwardDropPolicyLeavesNoNatTableBehind(@TempDir Path scratch) {
        Lab.exec("relay", "iptables-nft -P FORWARD DROP").assertOk();
        try {
            String relayBefore = Lab.snapshot("relay");
            assertFalse(relayBefore.contains("table ip nat"), relayBefore);
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "iptables-drop");
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            assertFalse(up.contains("drops the forwarded packets"),
                    "wgforward's jump sits at the top of this FORWARD chain; nothing to warn about:\n" + up);
            String relayIp = s.output("relayTunnelIp");
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
            assertTrue(Lab.snapshot("relay").contains("table ip nat"), "iptables-nft made a nat table for the DNAT");

            // A change of the forwards rewrites the rules; the record of what wgforward caused survives it.
            s.config("forwardPort", "9999");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            PortForwardScenario.assertLandsOnTarget(relayIp, 9999);

            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            assertEquals(relayBefore, Lab.snapshot("relay"));
        } finally {
            Lab.exec("relay", "iptables-nft -P FORWARD ACCEPT && nft delete table ip filter");
        }
    }
}
