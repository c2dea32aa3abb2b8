package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code relay.openFirewall} on a booted Debian relay running ufw (default deny incoming) or
 * firewalld (zone public): wgforward lets the WireGuard port in through that firewall's own tool
 * (the ufw rule carries its owner's mark; firewalld gets the port at runtime and permanently), or,
 * with plain nftables, a tagged rule first in the chain that drops, put back at boot by a unit of its own; so
 * the tunnel comes up with no warning about the port; the opening survives a reboot; refresh
 * notices it removed by hand and up restores it; destroy leaves the relay exactly as before.
 * The tunnel is shown up by a handshake: routed packets are another matter (BootedFirewallIT).
 */
class BootedFirewallOpeningIT {
    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.BOOTED);
    }

    @AfterEach
    void freshHosts() {
        Lab.reset("relay");
        Lab.reset("client");
    }

    @Test
    void ufw(@TempDir Path scratch) {
        Lab.exec("relay", "ufw allow 22/tcp && ufw --force enable").assertOk();
        scenario(scratch, "ufw", "ufw status", "ufw delete allow 51820/udp");
    }

    @Test
    void firewalld(@TempDir Path scratch) {
        Lab.exec("relay", "systemctl enable --now firewalld.service && firewall-cmd --state").assertOk();
        scenario(scratch, "firewalld", "firewall-cmd --list-ports && firewall-cmd --permanent --list-ports",
                "firewall-cmd --remove-port=51820/udp && firewall-cmd --permanent --remove-port=51820/udp");
    }

    /**
     * A plain nftables firewall, loaded at boot from /etc/nftables.conf: wgforward's rule in its
     * chain would be gone after a reboot, so the opening's own boot unit puts it back.
     */
    @Test
    void nftables(@TempDir Path scratch) {
        Lab.exec("relay", "cat > /etc/nftables.conf <<'EOF'\n#!/usr/sbin/nft -f\nflush ruleset\ntable inet hardened {\n"
                + "\tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tiifname \"lo\" accept\n"
                + "\t\tct state established,related accept\n\t}\n}\nEOF\nsystemctl enable --now nftables.service").assertOk();
        scenario(scratch, "nft", "nft list chain inet hardened input | sed 's/dport 51820 /51820\\/udp /'",
                "nft -a list chain inet hardened input | awk '/udp dport 51820/ {print $NF}' | xargs -r -n1 nft delete rule inet hardened input handle");
    }

    private static void scenario(Path scratch, String stack, String list, String removeByHand) {
        String relayBefore = Lab.snapshot("relay");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, stack);
        FirewallOpeningIT.openFirewall(scratch);
        try {
            String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            System.out.println("BootedFirewallOpeningIT: " + stack + ": up:\n" + up);
            assertFalse(up.contains("drops incoming packets by default"), "the port is let in: nothing to warn about\n" + up);
            String opened = Lab.exec("relay", list).assertOk().output();
            assertTrue(opened.contains("51820/udp"), opened);
            assertHandshake();
            s.assertQuiet();

            Lab.reboot("relay");
            assertTrue(Lab.exec("relay", list).assertOk().output().contains("51820/udp"), "the opening survives a reboot");
            assertHandshake();
            s.assertQuiet();

            Lab.exec("relay", removeByHand).assertOk();
            assertNotEquals(0, s.project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").exitCode(),
                    "the opening removed by hand is drift");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            assertTrue(Lab.exec("relay", list).assertOk().output().contains("51820/udp"), "up opens it again");
            s.assertQuiet();
        } finally {
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        }
        String relayAfter = Lab.snapshot("relay");
        assertEquals(relayBefore, relayAfter, "destroy removes exactly the opening (and the rest of the forward)");
    }

    /**
     * The relay answers the client's handshake: its WireGuard port is let in. After the relay's
     * reboot the client keeps its old session until its rekey timeout (README: 15-45 s).
     */
    private static void assertHandshake() {
        String seen = "";
        for (int attempt = 0; attempt < 60; attempt++) {
            Lab.exec("client", "ping -c 1 -W 1 10.77.42.1 >/dev/null 2>&1 || true");
            seen = Lab.exec("relay", "wg show wgf0 latest-handshakes").output();
            if (seen.lines().anyMatch(l -> l.split("\\s+").length == 2 && !l.split("\\s+")[1].equals("0"))) {
                return;
            }
            PortForwardScenario.sleep(1000);
        }
        throw new AssertionError("no handshake with the client reached the relay: " + seen + "\nclient:\n"
                + Lab.exec("client", "wg show; ip route").output() + "\nrelay:\n"
                + Lab.exec("relay", "wg show; ufw status; firewall-cmd --list-all; ss -lun").output());
    }
}
