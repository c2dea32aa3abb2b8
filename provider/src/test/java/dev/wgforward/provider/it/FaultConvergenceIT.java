package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's SSH connection cut in the middle of create, of an update and of delete, at each step in
 * turn, before the step's script runs and after it ran (its answer lost): the run fails naming
 * the host and the step, and the next `pulumi up` (or `destroy`) converges to exactly what a
 * clean run leaves. The cut is the lab's fault gate (lab.sh fault), which kills the whole SSH
 * connection when the step's script arrives: deterministic, no sleeping.
 */
class FaultConvergenceIT {

    /** The steps of a create, as the scripts name themselves ({@code # wgforward step: ...}). */
    private static final List<Step> CREATE = List.of(
            new Step("relay", "write /etc/wireguard/wgf0.conf (0600) and bring up WireGuard interface wgf0"),
            new Step("relay", "find the firewall the relay uses"),
            new Step("relay", "write 1 forward(s) to nftables"),
            new Step("client", "write /etc/wireguard/wgf0.conf (0600) and bring up WireGuard interface wgf0"));

    /** The steps of changing the forwarded port. */
    private static final List<Step> UPDATE = List.of(
            new Step("relay", "write 1 forward(s) to nftables"));

    private static final List<Step> DELETE = List.of(
            new Step("relay", "remove the boot unit"),
            new Step("relay", "remove WireGuard interface wgf0"),
            new Step("client", "remove WireGuard interface wgf0"));

    record Step(String host, String description) {
        String pattern() {
            return "# wgforward step: " + description;
        }
    }

    @TempDir
    static Path scratch;
    private static String relayClean;
    private static String clientClean;
    private static int stacks;

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
        relayClean = Lab.snapshot("relay");
        clientClean = Lab.snapshot("client");
    }

    @AfterEach
    void disarm() {
        Lab.clearFault("relay");
        Lab.clearFault("client");
    }

    private static PortForwardScenario stack() {
        String name = "faults" + (++stacks);
        return PortForwardScenario.of("examples/port-forward-yaml", scratch.resolve(name), name);
    }

    @TestFactory
    Stream<DynamicTest> aCutDuringCreateFailsNamingTheStepAndTheNextUpConverges() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Step step : CREATE) {
            for (Lab.Cut when : Lab.Cut.values()) {
                tests.add(DynamicTest.dynamicTest("create, cut " + when + " '" + step.description() + "' on " + step.host(), () -> {
                    PortForwardScenario s = stack();
                    destroyingOnFailure(s, () -> {
                        failsWhenCut(s, step, when, "up", "--yes", "--skip-preview");

                        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
                        PortForwardScenario.assertLandsOnTarget("10.77.42.1", 8888);
                        s.project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes").assertOk();
                        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
                        assertHostsClean();
                    });
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aCutDuringAnUpdateFailsAndTheNextUpConverges() {
        PortForwardScenario s = stack();
        int[] port = {8888};
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("set up", () -> s.project.pulumi("up", "--yes", "--skip-preview").assertOk()));
        for (Step step : UPDATE) {
            for (Lab.Cut when : Lab.Cut.values()) {
                tests.add(DynamicTest.dynamicTest("update, cut " + when + " '" + step.description() + "' on " + step.host(), () -> {
                    int next = port[0] == 8888 ? 8899 : 8888;
                    s.config("forwardPort", Integer.toString(next));
                    failsWhenCut(s, step, when, "up", "--yes", "--skip-preview");

                    s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
                    port[0] = next;
                    PortForwardScenario.assertLandsOnTarget("10.77.42.1", next);
                    assertNotEquals(0, PortForwardScenario.sshThroughForward("10.77.42.1", next == 8888 ? 8899 : 8888).exitCode(),
                            "the old port is closed");
                    s.project.pulumi("preview", "--expect-no-changes").assertOk();
                }));
            }
        }
        tests.add(DynamicTest.dynamicTest("no drift, then destroy leaves the hosts clean", () -> {
            s.project.pulumi("refresh", "--yes", "--expect-no-changes").assertOk();
            s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
            assertHostsClean();
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aCutDuringDeleteFailsAndTheNextDestroyConverges() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Step step : DELETE) {
            for (Lab.Cut when : Lab.Cut.values()) {
                tests.add(DynamicTest.dynamicTest("delete, cut " + when + " '" + step.description() + "' on " + step.host(), () -> {
                    PortForwardScenario s = stack();
                    destroyingOnFailure(s, () -> {
                        s.project.pulumi("up", "--yes", "--skip-preview").assertOk();
                        failsWhenCut(s, step, when, "destroy", "--yes", "--skip-preview");

                        s.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
                        assertHostsClean();
                    });
                }));
            }
        }
        return tests.stream();
    }

    /**
     * Runs one case; if it fails, disarms the gates and destroys its stack, so that the next case
     * starts from clean hosts instead of meeting this one's objects (which it may not take over).
     */
    private static void destroyingOnFailure(PortForwardScenario s, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException | AssertionError e) {
            Lab.clearFault("relay");
            Lab.clearFault("client");
            s.project.pulumi("destroy", "--yes", "--skip-preview");
            throw e;
        }
    }

    /**
     * Runs {@code pulumi args} with the connection to the step's host cut {@code when} the step's
     * script arrives: the cut happens, and the run fails naming the step and the host. The gate
     * is disarmed afterwards.
     */
    private static void failsWhenCut(PortForwardScenario s, Step step, Lab.Cut when, String... pulumiArgs) {
        Lab.fault(step.host(), step.pattern(), when, 1);
        Commands.Result failed = s.project.pulumi(pulumiArgs);
        assertTrue(Lab.faultFired(step.host()), "the cut happened: " + Lab.faultStatus(step.host()));
        assertFailedNaming(failed, step);
        Lab.clearFault(step.host());
    }

    /** The run failed, and its output names the step and the host (by its SSH port on the lab's loopback). */
    private static void assertFailedNaming(Commands.Result failed, Step step) {
        String out = failed.output();
        assertNotEquals(0, failed.exitCode(), out);
        assertTrue(out.contains("step '" + step.description()), "the failed step is named:\n" + out);
        String port = Lab.get(step.host().toUpperCase(java.util.Locale.ROOT) + "_SSH_PORT");
        assertTrue(out.contains(":" + port), "the host is named:\n" + out);
        assertTrue(out.contains("connection"), "the cause, a lost connection, is named:\n" + out);
    }

    private static void assertHostsClean() {
        assertEquals(relayClean, Lab.snapshot("relay"), "the relay ends as after a clean run");
        assertEquals(clientClean, Lab.snapshot("client"), "the client ends as after a clean run");
    }
}
