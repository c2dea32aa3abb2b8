package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relays with firewalls of their own. wgforward leaves the admin's firewall alone, but where it
 * drops the tunnel (input) or the forwarded packets (forward, in a chain wgforward's rules can't
 * override) `pulumi up` says so and names the fix; and removal leaves the firewall exactly as it
 * was, including tables that only existed because of wgforward's rules.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // no legacy tables first: once made, they stay with the relay's namespace
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

    /** The kernel's iptables-legacy tables in the relay's network namespace: IPv4's, IPv6's ("" when none). */
    private static String legacyTables(String names) {
        return Lab.exec("relay", "cat /proc/net/" + names + " 2>/dev/null; true").assertOk().output().strip();
    }

    /** An iptables-nft input firewall (IPv4) that drops by default and lets the WireGuard port in. */
    private static final String NFT_HARDEN_LET_IN = "iptables-nft -A INPUT -i lo -j ACCEPT"
            + " && iptables-nft -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
            + " && iptables-nft -A INPUT -p udp -m udp --dport 51820 -j ACCEPT && iptables-nft -P INPUT DROP";

    /**
     * The let-in probe is read-only for real: on a relay whose kernel has no iptables-legacy table
     * at all (IPv4 or IPv6), up and destroy leave none behind — listing one would create it. The
     * relay's input firewall here is iptables-nft's (policy drop, the port let in): the probe finds
     * the let-in in nft's ruleset, as iptables-nft's rules list there, and nothing is warned about.
     */
    @Test
    @Order(1)
    void aRelayWithoutIptablesLegacyTablesHasNoneAfterUpAndDestroy(@TempDir Path scratch) {
        if (!legacyTables("ip_tables_names").isEmpty() || !legacyTables("ip6_tables_names").isEmpty()) {
            Lab.restart(); // an earlier test registered some: they go only with the relay's namespace
        }
        assertEquals("", legacyTables("ip_tables_names"), "the relay starts without iptables-legacy tables");
        assertEquals("", legacyTables("ip6_tables_names"), "nor ip6tables-legacy ones");
        Lab.exec("relay", NFT_HARDEN_LET_IN).assertOk();
        try {
            String relayBefore = Lab.snapshot("relay");
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "no-legacy-tables");
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            assertFalse(up.contains("drops incoming packets by default"), "iptables-nft lets the port in already: no warning\n" + up);
            assertEquals("", legacyTables("ip_tables_names"), "up created no iptables-legacy table");
            assertEquals("", legacyTables("ip6_tables_names"), "up created no ip6tables-legacy table");
            PortForwardScenario.assertLandsOnTarget(s.output("relayTunnelIp"), 8888);
            s.assertNoDrift();

            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            assertEquals("", legacyTables("ip_tables_names"), "none after destroy either");
            assertEquals("", legacyTables("ip6_tables_names"), "none after destroy either");
            assertEquals(relayBefore, Lab.snapshot("relay"));
        } finally {
            Lab.exec("relay", "iptables-nft -P INPUT ACCEPT; iptables-nft -F INPUT; nft delete table ip filter");
        }
    }

    /** An iptables-legacy input firewall (invisible to nft) that lets the WireGuard port in already: IPv4 and IPv6. */
    private static final String LEGACY_HARDEN_LET_IN = "for ipt in iptables-legacy ip6tables-legacy; do"
            + " $ipt -A INPUT -i lo -j ACCEPT && $ipt -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"
            + " && $ipt -A INPUT -p udp -m udp --dport 51820 -j ACCEPT && $ipt -P INPUT DROP || exit 1; done";
    private static final String LEGACY_UNHARDEN = "for ipt in iptables-legacy ip6tables-legacy; do $ipt -P INPUT ACCEPT; $ipt -F INPUT; done";

    @Test
    @Order(2)
    void aRelayWhoseIptablesLegacyInputLetsThePortInAlreadyGetsNoWarning(@TempDir Path scratch) {
        Lab.exec("relay", LEGACY_HARDEN_LET_IN).assertOk();
        try {
            // A relay with an iptables-legacy firewall: wgforward's forwarding rules then go there too, and
            // iptables-legacy's tables stay registered (empty) once used (README), so the others wgforward's
            // rules use are registered before the snapshot, which compares what wgforward can remove.
            Lab.exec("relay", "for t in iptables-legacy ip6tables-legacy; do for table in nat mangle; do"
                    + " $t -t $table -S >/dev/null; done; done").assertOk();
            String relayBefore = Lab.snapshot("relay");
            assertFalse(Lab.exec("relay", "nft list ruleset").assertOk().output().contains("51820"),
                    "the let-in is iptables-legacy's only: nft does not show it");
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "legacy-let-in");
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            assertFalse(up.contains("drops incoming packets by default"), "the port is let in already: no warning\n" + up);
            PortForwardScenario.assertLandsOnTarget(s.output("relayTunnelIp"), 8888);
            s.assertNoDrift();

            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            assertEquals(relayBefore, Lab.snapshot("relay"));
        } finally {
            Lab.exec("relay", LEGACY_UNHARDEN);
        }
    }
}
