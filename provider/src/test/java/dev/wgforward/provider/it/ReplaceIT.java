package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change of the relay's interface name is a different host object: preview says "replace",
 * the old interface and its rules go first (the names are host-global), the new ones work.
 */
class ReplaceIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void renamingTheRelayInterfaceReplacesItAndItsRules(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        PulumiProject project = PulumiProject.copyOf(Toolchain.repoRoot().resolve("provider/src/test/resources/programs/replace"), scratch);
        project.pulumi("stack", "init", "replace").assertOk();
        for (String[] kv : new String[][] {
                {"relayHost", Lab.get("RELAY_SSH_HOST")}, {"relayPort", Lab.get("RELAY_SSH_PORT")},
                {"relayHostKey", Lab.get("RELAY_HOST_KEY")}, {"relayEndpoint", Lab.get("RELAY_ADDR")},
                {"relayInterfaceName", "wgf0"},
                {"clientHost", Lab.get("CLIENT_SSH_HOST")}, {"clientPort", Lab.get("CLIENT_SSH_PORT")},
                {"clientHostKey", Lab.get("CLIENT_HOST_KEY")}, {"targetHost", "10.200.0.2"}}) {
            project.pulumi("config", "set", kv[0], "--", kv[1]).assertOk();
        }
        project.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();
        project.pulumi("up", "--yes", "--skip-preview").assertOk();
        String relayIp = project.pulumi("stack", "output", "relayTunnelIp").assertOk().output().trim();
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);

        project.pulumi("config", "set", "relayInterfaceName", "wgrelay").assertOk();
        String preview = project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(preview.contains("replace"), "an interface rename must be shown as a replacement:\n" + preview);
        project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertNotEquals(0, Lab.exec("relay", "ip link show wgf0").exitCode(), "the old interface is gone");
        assertNotEquals(0, Lab.exec("relay", "nft list table ip wgforward_wgf0").exitCode(), "and its rules");
        Lab.exec("relay", "ip link show wgrelay && nft list table ip wgforward_wgrelay").assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
        project.pulumi("preview", "--expect-no-changes").assertOk();
        project.pulumi("refresh", "--yes", "--expect-no-changes").assertOk();

        project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(relayBefore, Lab.snapshot("relay"));
    }
}
