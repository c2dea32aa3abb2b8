package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole lifecycle of the seed scenario in YAML, through the engine, on the lab. */
class PortForwardIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void upForwardsOnlyTunnelTrafficSurvivesOutagesUpdatesInPlaceRepairsDriftAndDestroysExactly(@TempDir Path scratch) {
        String relayBefore = snapshot("relay");
        String clientBefore = snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "lifecycle");

        // Preview shows what will be made, and makes nothing.
        String preview = s.project.pulumi("preview").assertOk().output();
        assertTrue(preview.contains("wgforward:index:PortForward"), preview);
        assertEquals(relayBefore, snapshot("relay"), "preview must not touch the relay");

        String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
        assertTrue(up.contains("bring up WireGuard interface"), "host steps show in the up output:\n" + up);
        String relayIp = s.output("relayTunnelIp");
        assertEquals("10.77.42.1", relayIp);
        assertTrue(s.output("accessPoints").contains("10.77.42.1:8888 -> 10.200.0.2:22"), s.output("accessPoints"));
        assertTrue(s.project.pulumi("stack", "output", "clientConfig").assertOk().output().contains("[secret]"));
        assertTrue(s.output("clientConfig").contains("[Interface]"));

        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
        PortForwardScenario.assertNoWayIn(relayIp, 8888);
        // The drift checks users run in CI: an untouched stack has none, every time.
        s.assertNoDrift();

        // An outage: pull the client's cable, then plug it back. Nothing is re-established by
        // hand or by Pulumi; the next ssh just works.
        Lab.cable("client", false).assertOk();
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, 8888).exitCode(), "no path while unplugged");
        Lab.cable("client", true).assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

        // Nothing changed: a second preview says so.
        s.project.pulumi("preview", "--expect-no-changes").assertOk();

        // Change the forward in place: the rules update, the tunnel is not touched.
        String wgGoBefore = Lab.exec("relay", "pgrep -x wireguard-go").assertOk().output().trim();
        s.config("forwardPort", "8899");
        String changePreview = s.project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(changePreview.contains("forwards"), changePreview);
        assertTrue(!changePreview.contains("replace"), "a forward change must update in place:\n" + changePreview);
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertEquals(wgGoBefore, Lab.exec("relay", "pgrep -x wireguard-go").assertOk().output().trim(),
                "the relay's tunnel must not be restarted by a forward change");
        PortForwardScenario.assertLandsOnTarget(relayIp, 8899);
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, 8888).exitCode(), "the old port is closed");

        // Change the forward's target in place: another service on the target.
        Lab.exec("target", "setsid socat TCP-LISTEN:7777,reuseaddr,fork SYSTEM:'echo target-7777' </dev/null >/dev/null 2>&1 &").assertOk();
        try {
            s.config("targetPort", "7777");
            String retarget = s.project.pulumi("preview", "--diff").assertOk().output();
            assertTrue(retarget.contains("targetPort") && !retarget.contains("replace"), retarget);
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            String answer = Lab.exec("client", "timeout 5 bash -c 'cat </dev/tcp/" + relayIp + "/8899'").assertOk().output();
            assertTrue(answer.contains("target-7777"), "the forward now reaches the other service: " + answer);
            assertEquals(wgGoBefore, Lab.exec("relay", "pgrep -x wireguard-go").assertOk().output().trim(),
                    "a new target does not restart the tunnel either");
            s.config("targetPort", "22");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        } finally {
            Lab.exec("target", "pkill -x socat");
        }
        PortForwardScenario.assertLandsOnTarget(relayIp, 8899);

        // Drift: a rule deleted by hand on the relay; refresh sees it, the next up repairs it.
        // (The lab's relay starts with an empty firewall, so wgforward writes to nftables there.)
        Lab.exec("relay", "nft flush chain ip wgforward_wgf0 prerouting || { nft list ruleset; exit 1; }").assertOk();
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp, 8899).exitCode(), "the hand-made drift breaks the forward");
        s.project.pulumi("refresh", "--yes", "--skip-preview").assertOk();
        String drift = s.project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(drift.contains("ForwardRules") && drift.contains("update"), "refresh must show the drift:\n" + drift);
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp, 8899);

        // Drift: the client's interface deleted by hand; refresh notices, up recreates it.
        Lab.exec("client", "ip link del wgf0").assertOk();
        s.project.pulumi("refresh", "--yes", "--skip-preview").assertOk();
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp, 8899);
        s.project.pulumi("preview", "--expect-no-changes").assertOk();
        s.project.pulumi("refresh", "--yes", "--expect-no-changes").assertOk();

        // Drift: the config file deleted by hand (the tunnel still runs, but would not come back
        // at boot); refresh reports it, up writes it again.
        Lab.exec("relay", "rm /etc/wireguard/wgf0.conf").assertOk();
        assertNotEquals(0, s.project.pulumi("refresh", "--yes", "--expect-no-changes").exitCode(),
                "a deleted config file is drift");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        Lab.exec("relay", "test -f /etc/wireguard/wgf0.conf").assertOk();
        s.assertNoDrift();

        // Destroy leaves both hosts exactly as before.
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(relayBefore, snapshot("relay"), "destroy must leave the relay as it was");
        assertEquals(clientBefore, snapshot("client"), "destroy must leave the client as it was");
    }

    static String snapshot(String host) {
        return Lab.lab(java.time.Duration.ofMinutes(1), "snapshot", host).assertOk().output();
    }
}
