package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host reached through a jump host (connection.proxy), with both hosts' keys pinned. */
class JumpHostIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void theClientIsInstalledThroughTheRelayAsJumpHost(@TempDir Path scratch) {
        String clientBefore = Lab.snapshot("client");
        PulumiProject project = PulumiProject.copyOf(
                Toolchain.repoRoot().resolve("provider/src/test/resources/programs/jump-host"), scratch);
        project.pulumi("stack", "init", "jump").assertOk();
        for (String[] kv : new String[][] {
                {"relayHost", Lab.get("RELAY_SSH_HOST")}, {"relayPort", Lab.get("RELAY_SSH_PORT")},
                {"relayHostKey", Lab.get("RELAY_HOST_KEY")}, {"relayEndpoint", Lab.get("RELAY_ADDR")},
                // The client's address on the internet segment: only the relay can dial it.
                {"clientInternetAddress", Lab.get("CLIENT_ADDR")}, {"clientHostKey", Lab.get("CLIENT_HOST_KEY")},
                {"targetHost", "10.200.0.2"}}) {
            project.pulumi("config", "set", kv[0], "--", kv[1]).assertOk();
        }
        project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();

        try {
            String up = project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
            assertTrue(up.contains("root@" + Lab.get("CLIENT_ADDR") + ":22 via root@"), "the step log names the jump:\n" + up);
            String relayIp = project.pulumi("stack", "output", "relayTunnelIp").assertOk().output().trim();
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
            project.pulumi("preview", "--expect-no-changes").assertOk();
            project.pulumi("refresh", "--yes", "--expect-no-changes").assertOk();
        } catch (RuntimeException | AssertionError e) {
            // What this test made must not trip the next tests (their creates refuse objects they don't own).
            project.pulumi("destroy", "--yes", "--skip-preview");
            throw e;
        }
        project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(clientBefore, Lab.snapshot("client"));
    }
}
