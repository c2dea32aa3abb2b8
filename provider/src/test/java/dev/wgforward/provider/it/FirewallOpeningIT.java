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
 * {@code relay.openFirewall} on relays whose input firewall is plain nftables or iptables (no ufw,
 * no firewalld): wgforward lets exactly the WireGuard port in with a rule of its own, tagged with
 * its owner's mark, first in the chain that drops; the tunnel works with no warning; refresh
 * notices the rule removed by hand and up puts it back; destroy leaves the firewall as it was.
 * (ufw and firewalld: BootedFirewallOpeningIT, on booted hosts.)
 */
class FirewallOpeningIT {
    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void nftables(@TempDir Path scratch) {
        Lab.exec("relay", "nft add table inet hardened && nft add chain inet hardened input "
                + "'{ type filter hook input priority 0; policy drop; }' && nft add rule inet hardened input iifname lo accept"
                + " && nft add rule inet hardened input ct state established,related accept").assertOk();
        try {
            scenario(scratch, "nft", "nft list chain inet hardened input",
                    "nft -a list chain inet hardened input | awk '/udp dport 51820/ {print $NF}'"
                            + " | xargs -r -n1 nft delete rule inet hardened input handle");
        } finally {
            Lab.exec("relay", "nft delete table inet hardened");
        }
    }

    @Test
    void iptables(@TempDir Path scratch) {
        Lab.exec("relay", "iptables-nft -A INPUT -i lo -j ACCEPT && iptables-nft -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED"
                + " -j ACCEPT && iptables-nft -P INPUT DROP").assertOk();
        try {
            scenario(scratch, "ipt", "iptables-nft -S INPUT",
                    "iptables-nft -S INPUT | grep -e '--dport 51820' | sed 's/^-A /-D /' | xargs -r iptables-nft");
        } finally {
            Lab.exec("relay", "iptables-nft -P INPUT ACCEPT; iptables-nft -F INPUT; nft delete table ip filter");
        }
    }

    /** The example as a user asks for the opening: {@code relay.openFirewall: true} in its copy in {@code scratch}. */
    static void openFirewall(Path scratch) {
        Path program = scratch.resolve("port-forward-yaml").resolve("Pulumi.yaml");
        try {
            String yaml = java.nio.file.Files.readString(program);
            String relayAddress = "        address: ${relayTunnelAddress}\n";
            assertTrue(yaml.contains(relayAddress), yaml);
            java.nio.file.Files.writeString(program, yaml.replace(relayAddress, relayAddress + "        openFirewall: true\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code list}: the chain's rules as its tool lists them; {@code removeByHand}: what an admin would run to delete the opening. */
    private static void scenario(Path scratch, String stack, String list, String removeByHand) {
        String relayBefore = Lab.snapshot("relay");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, stack);
        openFirewall(scratch);
        try {
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            assertFalse(up.contains("drops incoming packets by default"), "the port is let in: nothing to warn about\n" + up);
            String rules = Lab.exec("relay", list).assertOk().output();
            assertTrue(rules.lines().anyMatch(l -> l.contains("51820") && l.contains("wgforward-owner=")),
                    "a rule of wgforward's own, with its owner's mark:\n" + rules);
            assertEquals(1, rules.lines().filter(l -> l.contains("wgforward-owner=")).count(), rules);
            String relayIp = s.output("relayTunnelIp");
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
            s.assertQuiet();

            // Removed by hand: refresh reports it, the next up lets the port in again.
            Lab.exec("relay", removeByHand).assertOk();
            assertNotEquals(0, s.project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").exitCode(),
                    "the opening removed by hand is drift");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            assertTrue(Lab.exec("relay", list).assertOk().output().contains("wgforward-owner="));
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
            s.assertQuiet();
        } finally {
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        }
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy removes exactly the opening (and the rest of the forward)");
    }
}
