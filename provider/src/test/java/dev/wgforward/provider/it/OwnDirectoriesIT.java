package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wgforward's directories on the relay ({@code /etc/wgforward}, here for the iptables-nft record,
 * and {@code /var/lib/wgforward}, for the forwarding registry) go with destroy only where
 * wgforward made them: an empty directory of the same name that was there before stays, so that
 * after destroy the relay is exactly as before either way. The same for {@code /etc/wireguard},
 * which wgforward shares with the admin's own tunnels.
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

    private static String wireguardDir(String host) {
        return Lab.exec(host, "if [ -d /etc/wireguard ]; then stat -c %A /etc/wireguard; ls -A /etc/wireguard; else echo absent; fi")
                .assertOk().output().trim();
    }

    /**
     * /etc/wireguard, wg-quick's directory, is shared with the admin's own tunnels: on the relay
     * and the client, wgforward makes it (0700, marked) only where it is missing and takes it away
     * with its config only then; one that was there, empty or holding the admin's file, stays.
     */
    @Test
    void destroyRemovesEtcWireguardOnlyWhereWgforwardMadeIt(@TempDir Path scratch) {
        List<String> hosts = List.of("relay", "client");
        // The lab's hosts see the machine's /etc below theirs: put back what was there (mode and all).
        Map<String, String> lab = new LinkedHashMap<>();
        for (String host : hosts) {
            lab.put(host, Lab.exec(host, "stat -c %a /etc/wireguard 2>/dev/null || echo absent").assertOk().output().trim());
        }
        try {
            PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "own-wireguard-dir");

            // Without it (where the machine has one, the host's own layer removes it).
            Map<String, String> without = new LinkedHashMap<>();
            for (String host : hosts) {
                Lab.exec(host, "rm -rf /etc/wireguard").assertOk();
                assertEquals("absent", wireguardDir(host));
                without.put(host, Lab.snapshot(host));
            }
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            for (String host : hosts) {
                assertEquals("drwx------\n" + MARKER + "\nwgf0.conf", wireguardDir(host), host + ": made, 0700 and marked");
            }
            PortForwardScenario.assertLandsOnTarget(s.output("relayTunnelIp"), 8888);
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            for (String host : hosts) {
                assertEquals("absent", wireguardDir(host), host + ": gone with wgforward's config");
                assertEquals(without.get(host), Lab.snapshot(host), host + " is as before: without /etc/wireguard");
            }

            // There before, empty (mode 0750 here: kept as it is), on both hosts.
            Map<String, String> empty = new LinkedHashMap<>();
            for (String host : hosts) {
                Lab.exec(host, "mkdir -m 0750 /etc/wireguard").assertOk();
                empty.put(host, Lab.snapshot(host));
            }
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            for (String host : hosts) {
                assertEquals("drwxr-x---\nwgf0.conf", wireguardDir(host), host + ": used, not marked");
            }
            s.assertNoDrift();
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            for (String host : hosts) {
                assertEquals("drwxr-x---", wireguardDir(host), host + ": kept, empty, its mode untouched");
                assertEquals(empty.get(host), Lab.snapshot(host), host + " is as before: with its empty /etc/wireguard");
            }

            // There before with the admin's own tunnel config in it.
            Map<String, String> withFile = new LinkedHashMap<>();
            for (String host : hosts) {
                Lab.exec(host, "printf '[Interface]\\nListenPort = 51999\\n' > /etc/wireguard/wg7.conf && chmod 600 /etc/wireguard/wg7.conf")
                        .assertOk();
                withFile.put(host, Lab.snapshot(host));
            }
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            for (String host : hosts) {
                assertEquals("drwxr-x---\nwg7.conf", wireguardDir(host), host + ": the admin's directory and file stay");
                assertEquals(withFile.get(host), Lab.snapshot(host), host + " is as before: with the admin's file");
            }
        } finally {
            for (String host : hosts) {
                Lab.exec(host, "rm -rf /etc/wireguard" + (lab.get(host).equals("absent") ? "" : "; mkdir -m " + lab.get(host) + " /etc/wireguard"));
            }
        }
    }
}
