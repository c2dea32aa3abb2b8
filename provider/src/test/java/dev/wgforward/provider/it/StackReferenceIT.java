package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stacks composed on the lab: an "infrastructure" stack (examples/relay-infra-yaml) exports
 * the relay's address, SSH port, host key and endpoint, and the forwarding stack
 * (examples/relay-forward-yaml) reads them with a StackReference, in the same state backend.
 */
class StackReferenceIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    @Test
    void forwardingStackFollowsTheInfrastructureStack(@TempDir Path scratch) {
        String relayBefore = Lab.lab(Duration.ofMinutes(1), "snapshot", "relay").assertOk().output();
        String clientBefore = Lab.lab(Duration.ofMinutes(1), "snapshot", "client").assertOk().output();
        Path repo = Toolchain.repoRoot();

        PulumiProject infra = PulumiProject.copyOf(repo.resolve("examples/relay-infra-yaml"), scratch);
        infra.pulumi("stack", "init", "lab").assertOk();
        infra.pulumi("config", "set", "relayHost", "--", Lab.get("RELAY_SSH_HOST")).assertOk();
        infra.pulumi("config", "set", "relayPort", "--", Lab.get("RELAY_SSH_PORT")).assertOk();
        infra.pulumi("config", "set", "relayHostKey", "--", Lab.get("RELAY_HOST_KEY")).assertOk();
        infra.pulumi("config", "set", "relayEndpoint", "--", Lab.get("RELAY_ADDR")).assertOk();

        // The forwarding stack in the same backend, as two stacks of one organization are.
        PulumiProject forward = PulumiProject.copyOf(repo.resolve("examples/relay-forward-yaml"), scratch)
                .env("PULUMI_BACKEND_URL", "file://" + infra.dir().resolve(".state"));
        forward.pulumi("stack", "init", "lab").assertOk();
        forward.pulumi("config", "set", "infraStack", "organization/wgforward-relay-infra/lab").assertOk();
        forward.pulumi("config", "set", "clientHost", "--", Lab.get("CLIENT_SSH_HOST")).assertOk();
        forward.pulumi("config", "set", "clientPort", "--", Lab.get("CLIENT_SSH_PORT")).assertOk();
        forward.pulumi("config", "set", "clientHostKey", "--", Lab.get("CLIENT_HOST_KEY")).assertOk();
        forward.pulumi("config", "set", "targetHost", "10.200.0.2").assertOk();
        forward.pulumi("config", "set", "--secret", "sshPrivateKey", "--", Lab.privateKey()).assertOk();

        try {
            // Before the infrastructure stack has run, it exports nothing: the forward's preview
            // stops with the missing relay named, not with a failed connection.
            Commands.Result early = forward.pulumi("preview");
            assertTrue(early.exitCode() != 0 && early.output().contains("relay.connection.host: is required"),
                    "a preview before the infrastructure stack's up names the missing relay:\n" + early.output());

            infra.pulumi("up", "--yes", "--skip-preview").assertOk();
            String preview = forward.pulumi("preview").assertOk().output();
            assertTrue(preview.contains("wgforward:index:PortForward"), "the forward is previewed:\n" + preview);
            forward.pulumi("up", "--yes", "--skip-preview").assertOk();
            String relayIp = forward.pulumi("stack", "output", "relayTunnelIp").assertOk().output().trim();
            assertEquals("10.77.42.1", relayIp);
            PortForwardScenario.assertLandsOnTarget(relayIp, 8888);
            forward.pulumi("preview", "--expect-no-changes").assertOk();
            forward.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
        } finally {
            forward.pulumi("destroy", "--yes", "--skip-preview");
            infra.pulumi("destroy", "--yes", "--skip-preview");
        }
        assertEquals(relayBefore, Lab.lab(Duration.ofMinutes(1), "snapshot", "relay").assertOk().output(),
                "destroy must leave the relay as it was");
        assertEquals(clientBefore, Lab.lab(Duration.ofMinutes(1), "snapshot", "client").assertOk().output(),
                "destroy must leave the client as it was");
    }
}
