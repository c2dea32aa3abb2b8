package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
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
        String relayBefore = Lab.snapshot("relay");
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

        assertEquals(relayBefore, Lab.snapshot("relay"), "a failed preview must not touch the relay");
        assertNotEquals(0, Lab.exec("relay", "test -e /tmp/pwned").exitCode());
    }

    @Test
    void targetsTunnelPrefixesAndKeysThatWouldFailAtUpFailAtPreview(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "check-rules");

        // Three bad inputs at once: every one is named, and the key is not echoed.
        s.config("relayTunnelAddress", "192.168.2.1/0");
        s.config("targetHost", "127.0.0.1");
        String notAKey = "my-ssh-key-text-that-is-no-key";
        s.project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", notAKey).assertOk();
        Commands.Result three = s.project.pulumi("preview");
        assertNotEquals(0, three.exitCode(), three.output());
        for (String named : List.of("forwards[0].targetHost", "loopback", "relay.address", "/8 to /30",
                "relay.connection.privateKey", "client.connection.privateKey", "not an SSH private key")) {
            assertTrue(three.output().contains(named), "the preview names '" + named + "':\n" + three.output());
        }
        assertFalse(three.output().contains(notAKey), "the key is never echoed:\n" + three.output());
        s.config("relayTunnelAddress", "10.77.42.1/24");
        s.project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();

        for (String target : List.of("224.0.0.1", "0.0.0.0", "255.255.255.255")) {
            s.config("targetHost", target);
            Commands.Result bad = s.project.pulumi("preview");
            assertNotEquals(0, bad.exitCode(), bad.output());
            assertTrue(bad.output().contains("forwards[0].targetHost") && bad.output().contains("unicast"), bad.output());
        }
        s.config("targetHost", "10.77.42.1");
        Commands.Result relayItself = s.project.pulumi("preview");
        assertNotEquals(0, relayItself.exitCode(), relayItself.output());
        assertTrue(relayItself.output().contains("forwards[0].targetHost")
                && relayItself.output().contains("relay's own tunnel address"), relayItself.output());

        // IPv6 targets (the tunnel is dual-stack by default): a link-local one needs a zone, the relay's own is no target.
        s.config("targetHost", "fe80::2");
        Commands.Result linkLocal = s.project.pulumi("preview");
        assertNotEquals(0, linkLocal.exitCode(), linkLocal.output());
        assertTrue(linkLocal.output().contains("forwards[0].targetHost") && linkLocal.output().contains("link-local"), linkLocal.output());
        s.config("targetHost", "fd77:a4d:2a00:0::1");
        Commands.Result relayItself6 = s.project.pulumi("preview");
        assertNotEquals(0, relayItself6.exitCode(), relayItself6.output());
        assertTrue(relayItself6.output().contains("forwards[0].targetHost")
                && relayItself6.output().contains("relay's own tunnel address"), relayItself6.output());

        // The same stack with a good target previews cleanly: the refusals were about the inputs.
        s.config("targetHost", "10.200.0.2");
        s.project.pulumi("preview").assertOk();

        assertEquals(relayBefore, Lab.snapshot("relay"), "a failed preview must not touch the relay");
        assertEquals(clientBefore, Lab.snapshot("client"), "a failed preview must not touch the client");
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
        String relayBefore = Lab.snapshot("relay");
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "rerun");
        try {
            // The relay lacks wireguard-tools (the lab's /usr is the relay's own copy-on-write layer).
            Lab.exec("relay", "mv /usr/bin/wg /usr/bin/wg.away").assertOk();
            Commands.Result failed;
            try {
                failed = s.project.pulumi("up", "--yes", "--skip-preview");
            } finally {
                Lab.exec("relay", "mv /usr/bin/wg.away /usr/bin/wg").assertOk();
            }
            assertNotEquals(0, failed.exitCode(), failed.output());
            // The step's name (what it does, the interface and its addresses, IPv6 by default too) and the host it failed on.
            assertTrue(failed.output().matches("(?s).*step 'write /etc/wireguard/wgf0\\.conf \\(0600\\) and bring up WireGuard interface wgf0"
                    + " \\(10\\.77\\.42\\.1/24, fd77:a4d:2a00::1/64, 1 peer\\(s\\)\\)[^\\n]*' failed on host root@127\\.0\\.0\\.1:"
                    + Lab.get("RELAY_SSH_PORT") + ".*"), "the failure names the step and the host:\n" + failed.output());
            assertTrue(failed.output().contains("install wireguard-tools"), "with the step's stderr:\n" + failed.output());
            assertTrue(!failed.output().contains(Lab.privateKey().lines().skip(1).findFirst().orElseThrow()),
                    "no secret in the failure");
            // Nothing half-installed on the relay, and the same up now converges.
            assertNotEquals(0, Lab.exec("relay", "ip link show wgf0").exitCode(), "the failed create was rolled back");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            PortForwardScenario.assertLandsOnTarget(s.output("relayTunnelIp"), 8888);
        } catch (RuntimeException | AssertionError e) {
            // What this test made must not trip the next tests (their creates refuse objects they don't own).
            s.project.pulumi("destroy", "--yes", "--skip-preview");
            throw e;
        }
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(relayBefore, Lab.snapshot("relay"));
    }
}
