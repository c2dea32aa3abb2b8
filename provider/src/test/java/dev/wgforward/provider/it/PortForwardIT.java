package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lifecycle of the seed scenario in YAML, through the engine, on the lab. One stack
 * lives through all the tests, in order: each behaviour is a step of a user's lifecycle and
 * starts from where the step before left the hosts (a stack per test would take several times
 * the lab time). After a failed step the later ones are skipped, since they would start from
 * the wrong place; the stack is destroyed at the end in any case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortForwardIT {
    private static final String RELAY_IP = "10.77.42.1";

    @TempDir
    static Path scratch;

    private static PortForwardScenario s;
    private static String relayBefore;
    private static String clientBefore;
    private static boolean destroyed;
    private static boolean aStepFailed;

    @RegisterExtension
    static final TestExecutionExceptionHandler LATER_STEPS_SKIP_AFTER_A_FAILURE = (context, failure) -> {
        aStepFailed = true;
        throw failure;
    };

    @BeforeAll
    static void stack() {
        Lab.ensure(Lab.Mode.PLAIN);
        relayBefore = Lab.snapshot("relay");
        clientBefore = Lab.snapshot("client");
        s = PortForwardScenario.of("examples/port-forward-yaml", scratch, "lifecycle");
    }

    @BeforeEach
    void theStepsBeforeSucceeded() {
        Assumptions.assumeFalse(aStepFailed, "an earlier step of the lifecycle failed");
    }

    @AfterAll
    static void destroyWhatAFailedStepLeft() {
        if (s != null && !destroyed) {
            s.project.pulumi("destroy", "--yes", "--skip-preview");
        }
    }

    @Test
    @Order(1)
    void previewShowsWhatWillBeMadeAndMakesNothing() {
        String preview = s.project.pulumi("preview").assertOk().output();
        assertTrue(preview.contains("wgforward:index:PortForward"), preview);
        assertEquals(relayBefore, Lab.snapshot("relay"), "preview must not touch the relay");
    }

    @Test
    @Order(2)
    void upShowsItsHostStepsAndOutputsTheAccessPointsAndASecretClientConfig() {
        String up = s.project.pulumi("up", "--yes", "--skip-preview").assertOk().output();
        assertTrue(up.contains("bring up WireGuard interface"), "host steps show in the up output:\n" + up);
        assertEquals(RELAY_IP, s.output("relayTunnelIp"));
        assertTrue(s.output("accessPoints").contains("10.77.42.1:8888 -> 10.200.0.2:22"), s.output("accessPoints"));
        assertTrue(s.project.pulumi("stack", "output", "clientConfig").assertOk().output().contains("[secret]"));
        assertTrue(s.output("clientConfig").contains("[Interface]"));
    }

    @Test
    @Order(3)
    void sshFromTheClientThroughTheForwardLandsOnTheTarget() {
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
    }

    @Test
    @Order(4)
    void nothingButTunnelTrafficGetsThrough() {
        PortForwardScenario.assertNoWayIn(RELAY_IP, 8888);
    }

    @Test
    @Order(5)
    void anUntouchedStackShowsNoDrift() {
        // The drift checks users run in CI: an untouched stack has none, every time.
        s.assertNoDrift();
    }

    @Test
    @Order(6)
    void afterAnOutageTheForwardWorksAgainWithNothingReestablished() {
        // Pull the client's cable, then plug it back: neither the user nor Pulumi re-establishes
        // anything; the next ssh just works.
        Lab.cable("client", false).assertOk();
        assertNotEquals(0, PortForwardScenario.sshThroughForward(RELAY_IP, 8888).exitCode(), "no path while unplugged");
        Lab.cable("client", true).assertOk();
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8888);
        s.project.pulumi("preview", "--expect-no-changes").assertOk();
    }

    @Test
    @Order(7)
    void aNewPortUpdatesTheRulesInPlaceWithoutRestartingTheTunnel() {
        String wgGoBefore = relayWireguardGo();
        s.config("forwardPort", "8899");
        String changePreview = s.project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(changePreview.contains("forwards"), changePreview);
        assertTrue(!changePreview.contains("replace"), "a forward change must update in place:\n" + changePreview);
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        assertEquals(wgGoBefore, relayWireguardGo(), "the relay's tunnel must not be restarted by a forward change");
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8899);
        assertNotEquals(0, PortForwardScenario.sshThroughForward(RELAY_IP, 8888).exitCode(), "the old port is closed");
    }

    @Test
    @Order(8)
    void aNewTargetUpdatesTheRulesInPlaceWithoutRestartingTheTunnel() {
        String wgGoBefore = relayWireguardGo();
        Lab.exec("target", "setsid socat TCP-LISTEN:7777,reuseaddr,fork SYSTEM:'echo target-7777' </dev/null >/dev/null 2>&1 &").assertOk();
        try {
            s.config("targetPort", "7777");
            String retarget = s.project.pulumi("preview", "--diff").assertOk().output();
            assertTrue(retarget.contains("targetPort") && !retarget.contains("replace"), retarget);
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
            String answer = Lab.exec("client", "timeout 5 bash -c 'cat </dev/tcp/" + RELAY_IP + "/8899'").assertOk().output();
            assertTrue(answer.contains("target-7777"), "the forward now reaches the other service: " + answer);
            assertEquals(wgGoBefore, relayWireguardGo(), "a new target does not restart the tunnel either");
            s.config("targetPort", "22");
            s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        } finally {
            Lab.exec("target", "pkill -x socat");
        }
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8899);
    }

    @Test
    @Order(9)
    void aRuleDeletedByHandIsDriftThatRefreshShowsAndUpRepairs() {
        // The lab's relay starts with an empty firewall, so wgforward writes to nftables there.
        Lab.exec("relay", "nft flush chain ip wgforward_wgf0 prerouting || { nft list ruleset; exit 1; }").assertOk();
        assertNotEquals(0, PortForwardScenario.sshThroughForward(RELAY_IP, 8899).exitCode(), "the hand-made drift breaks the forward");
        s.project.pulumi("refresh", "--yes", "--skip-preview").assertOk();
        String drift = s.project.pulumi("preview", "--diff").assertOk().output();
        assertTrue(drift.contains("ForwardRules") && drift.contains("update"), "refresh must show the drift:\n" + drift);
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8899);
    }

    @Test
    @Order(10)
    void anInterfaceDeletedByHandIsRecreatedByUp() {
        Lab.exec("client", "ip link del wgf0").assertOk();
        s.project.pulumi("refresh", "--yes", "--skip-preview").assertOk();
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(RELAY_IP, 8899);
        s.assertQuiet();
    }

    @Test
    @Order(11)
    void aConfigFileDeletedByHandIsDriftThatUpWritesAgain() {
        // The tunnel still runs, but would not come back at boot.
        Lab.exec("relay", "rm /etc/wireguard/wgf0.conf").assertOk();
        assertNotEquals(0, s.project.pulumi("refresh", "--yes", "--expect-no-changes").exitCode(),
                "a deleted config file is drift");
        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        Lab.exec("relay", "test -f /etc/wireguard/wgf0.conf").assertOk();
        s.assertNoDrift();
    }

    @Test
    @Order(12)
    void destroyLeavesBothHostsExactlyAsBefore() {
        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        destroyed = true;
        assertEquals(relayBefore, Lab.snapshot("relay"), "destroy must leave the relay as it was");
        assertEquals(clientBefore, Lab.snapshot("client"), "destroy must leave the client as it was");
    }

    private static String relayWireguardGo() {
        return Lab.exec("relay", "pgrep -x wireguard-go").assertOk().output().trim();
    }
}
