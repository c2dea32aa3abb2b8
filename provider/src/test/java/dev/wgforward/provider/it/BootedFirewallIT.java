package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firewalls real relays run, really running on a booted Debian relay: ufw enabled (default
 * deny incoming, routed packets dropped) and firewalld (zone public). As README says, wgforward
 * leaves the admin's firewall alone, `pulumi up` warns that the WireGuard port must be let in and
 * how, and names every chain that drops the forward with the fix to paste; the fixes it prints are
 * all an admin needs for the forward to work, also after a reboot; destroy leaves the firewall as
 * it was.
 */
class BootedFirewallIT {
    private static final int PORT = 8888;
    /** A fix as the warnings print it: a command in backquotes after "Fix:" or "for example". */
    private static final Pattern FIX = Pattern.compile("(?:Fix: |for example )`([^`]+)`");

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
        // As an admin sets up ufw on a server: ssh allowed, everything else incoming denied.
        Lab.exec("relay", "ufw allow 22/tcp && ufw --force enable && ufw status verbose").assertOk();
        scenario(scratch, "ufw", List.of("ufw delete allow 51820/udp", "ufw route delete allow in on wgf0"), "^/etc/ufw/");
    }

    @Test
    void firewalld(@TempDir Path scratch) {
        Lab.exec("relay", "systemctl enable --now firewalld.service && firewall-cmd --state").assertOk();
        scenario(scratch, "firewalld", List.of(
                "firewall-cmd --permanent --remove-port=51820/udp; firewall-cmd --permanent --zone=trusted --remove-interface=wgf0; "
                        + "firewall-cmd --reload"), "^/(etc/firewalld/zones/|var/log/firewalld )");
    }

    /**
     * {@code adminFiles} (a pattern of snapshot lines): where the firewall's own tool keeps the
     * admin's rules, and its log; undoing a fix leaves them rewritten (firewall-cmd also keeps a
     * {@code .old} copy, and logs an undo of what was not there), which is the admin's doing, not
     * wgforward's, and is left out of the comparison.
     */
    private static void scenario(Path scratch, String stack, List<String> undoFixes, String adminFiles) {
        String relayBefore = withoutAdminFiles(Lab.snapshot("relay"), adminFiles);
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, stack);
        String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
        assertTrue(up.contains("drops incoming packets by default: allow UDP port 51820"), up);
        String relayIp = s.output("relayTunnelIp");
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, PORT).exitCode(),
                "the admin's firewall still drops the tunnel: wgforward did not open it behind their back");

        List<String> fixes = fixes(up);
        System.out.println("BootedFirewallIT: " + stack + ": fixes wgforward printed: " + fixes);
        for (String fix : fixes) {
            Lab.exec("relay", fix).assertOk();
        }
        PortForwardScenario.assertLandsOnTarget(relayIp, PORT);
        PortForwardScenario.assertNoWayIn(relayIp, PORT);
        s.assertQuiet();

        // The firewall's own boot-time start and wgforward's unit, in whatever order systemd runs them.
        Lab.reboot("relay");
        System.out.printf("BootedFirewallIT: %s: reboot -> forward working %.1f s%n", stack,
                PortForwardScenario.secondsUntilTheForwardWorksAgain(relayIp, PORT, System.nanoTime()));
        s.assertQuiet();

        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        for (String undo : undoFixes) {
            Lab.exec("relay", undo);
        }
        assertEquals(relayBefore, withoutAdminFiles(Lab.snapshot("relay"), adminFiles),
                "destroy leaves the firewall as the admin had it");
    }

    private static String withoutAdminFiles(String snapshot, String adminFiles) {
        Pattern admin = Pattern.compile(adminFiles);
        return snapshot.lines().filter(l -> !admin.matcher(l).find()).reduce("", (a, b) -> a + b + "\n");
    }

    private static List<String> fixes(String upOutput) {
        List<String> fixes = new ArrayList<>();
        Matcher m = FIX.matcher(upOutput.replaceAll("\\s*\\n\\s*", " "));
        while (m.find()) {
            if (!fixes.contains(m.group(1))) {
                fixes.add(m.group(1));
            }
        }
        return fixes;
    }
}
