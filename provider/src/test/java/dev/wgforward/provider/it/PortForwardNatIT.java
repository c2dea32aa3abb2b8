package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client behind a NAT router, and logins as a non-root user with passwordless sudo (as on
 * cloud images): the relay holds no endpoint for the client, whose keepalives keep the path open.
 */
class PortForwardNatIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.NAT);
    }

    @Test
    void aClientBehindNatReachesTheTargetWithWgforwardLoggedInAsASudoUser(@TempDir Path scratch) {
        // This relay already forwards for something else: destroy must leave ip_forward on.
        Lab.exec("relay", "sysctl -qw net.ipv4.ip_forward=1").assertOk();
        try {
            run(scratch);
        } finally {
            Lab.exec("relay", "sysctl -qw net.ipv4.ip_forward=0");
        }
    }

    private void run(Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "nat");
        s.config("sshUser", "wgadmin");

        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        String relayIp = s.output("relayTunnelIp");
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

        // The relay learned the client's address from its packets: the router's public side.
        String endpoints = Lab.exec("relay", "wg show wgf0 endpoints").assertOk().output();
        assertTrue(endpoints.contains("203.0.113.20:"), "the relay sees the client through the NAT router:\n" + endpoints);
        // The configuration on disk is root's alone, though a non-root user installed it.
        assertEquals("600 root", Lab.exec("relay", "stat -c '%a %U' /etc/wireguard/wgf0.conf").assertOk().output().trim());

        PortForwardScenario.assertNoWayIn(relayIp, 8888);
        s.assertNoDrift();

        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals("1", Lab.exec("relay", "cat /proc/sys/net/ipv4/ip_forward").assertOk().output().trim(),
                "ip_forward was on before wgforward: left on");
        assertEquals(relayBefore, Lab.snapshot("relay"));
        assertEquals(clientBefore, Lab.snapshot("client"));
    }
}
