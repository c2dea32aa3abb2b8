package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails at `pulumi preview`, naming the field and what is allowed, and touches no host. */
class CheckIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void badInputFailsAtPreviewNamingTheFieldAndNothingReachesAHost(@TempDir Path scratch) {
        String relayBefore = PortForwardIT.snapshot("relay");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "check");

        s.config("forwardPort", "70000");
        Commands.Result port = s.project.pulumi("preview");
        assertNotEquals(0, port.exitCode(), port.output());
        assertTrue(port.output().contains("forwards[0].port") && port.output().contains("65535"), port.output());

        s.config("forwardPort", "8888");
        s.config("targetHost", "10.200.0.2; touch /tmp/pwned");
        Commands.Result injection = s.project.pulumi("preview");
        assertNotEquals(0, injection.exitCode(), injection.output());
        assertTrue(injection.output().contains("forwards[0].targetHost"), injection.output());

        s.config("targetHost", "10.200.0.2");
        s.config("relayHostKey", "not a key");
        Commands.Result hostKey = s.project.pulumi("preview");
        assertNotEquals(0, hostKey.exitCode(), hostKey.output());
        assertTrue(hostKey.output().contains("relay.connection.hostKey"), hostKey.output());

        assertEquals(relayBefore, PortForwardIT.snapshot("relay"), "a failed preview must not touch the relay");
        assertNotEquals(0, Lab.exec("relay", "test -e /tmp/pwned").exitCode());
    }

    @Test
    void aWrongPinnedHostKeyIsRefusedWithBothFingerprints(@TempDir Path scratch) {
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "hostkey");
        // The target's key, not the relay's: a man in the middle as far as wgforward can tell.
        s.config("relayHostKey", Lab.get("TARGET_HOST_KEY"));
        Commands.Result up = s.project.pulumi("up", "--yes", "--skip-preview");
        assertNotEquals(0, up.exitCode(), up.output());
        assertTrue(up.output().contains("SHA256:"), "the refusal shows fingerprints:\n" + up.output());
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertNotEquals(0, Lab.exec("relay", "ip link show wgf0").exitCode(), "nothing may be installed on the relay");
    }

    @Test
    void aFailedStepNamesTheStepTheHostAndStderrAndARerunConverges(@TempDir Path scratch) {
        String relayBefore = PortForwardIT.snapshot("relay");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "rerun");
        // The relay lacks wireguard-tools (the lab's /usr is the relay's own copy-on-write layer).
        Lab.exec("relay", "mv /usr/bin/wg /usr/bin/wg.away").assertOk();
        Commands.Result failed;
        try {
            failed = s.project.pulumi("up", "--yes", "--skip-preview");
        } finally {
            Lab.exec("relay", "mv /usr/bin/wg.away /usr/bin/wg").assertOk();
        }
        assertNotEquals(0, failed.exitCode(), failed.output());
        assertTrue(failed.output().contains("step 'bring up WireGuard interface wgf0 (10.77.42.1/24, 1 peer(s))' failed on host root@127.0.0.1:"
                + Lab.get("RELAY_SSH_PORT")), "the failure names the step and the host:\n" + failed.output());
        assertTrue(failed.output().contains("install wireguard-tools"), "with the step's stderr:\n" + failed.output());
        assertTrue(!failed.output().contains(Lab.privateKey().lines().skip(1).findFirst().orElseThrow()),
                "no secret in the failure");
        // Nothing half-installed on the relay, and the same up now converges.
        assertNotEquals(0, Lab.exec("relay", "ip link show wgf0").exitCode(), "the failed create was rolled back");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(s.output("relayTunnelIp"), 8888);
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(relayBefore, PortForwardIT.snapshot("relay"));
    }
}
