package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lab/selftest.sh, the lab's own end-to-end check (isolation of the hosts, the fault gate, the
 * snapshot, routing, a reachability test that can fail, the same over IPv6, cables, wireguard-go,
 * --nat, a booted host's reboot and reset, and a `down` that leaves nothing behind), run on a lab
 * of its own: the tests' lab with its state directory, namespace prefix and ssh ports moved
 * aside, so that it neither sees nor takes down the lab the other tests use.
 */
class LabSelftestIT {
    /** The self-test's ports lie this far above the tests' lab's (which uses base+1 to base+6). */
    private static final int PORT_OFFSET = 50;

    @Test
    void theLabPassesItsSelfTest() {
        Map<String, String> config = new HashMap<>();
        for (String line : Lab.lab(Duration.ofSeconds(30), "config").assertOk().output().lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                config.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        Map<String, String> env = Lab.env();
        env.put("LAB_DIR", config.get("LAB_DIR") + "-selftest");
        env.put("LAB_NS_PREFIX", config.get("LAB_NS_PREFIX") + "st-");
        env.put("LAB_SSH_PORT_BASE", String.valueOf(Integer.parseInt(config.get("LAB_SSH_PORT_BASE")) + PORT_OFFSET));

        // The self-test refuses a lab that is up already; one left by an interrupted run is ours to take down.
        Commands.run(Toolchain.repoRoot(), env, Duration.ofMinutes(2),
                List.of("bash", Toolchain.repoRoot().resolve("lab/lab.sh").toString(), "down")).assertOk();
        Commands.Result run = Commands.run(Toolchain.repoRoot(), env, Duration.ofMinutes(15),
                List.of("bash", Toolchain.repoRoot().resolve("lab/selftest.sh").toString()));

        String failed = String.join("\n", run.output().lines().filter(l -> l.startsWith("FAIL") || l.startsWith("   - ")).toList());
        assertEquals(0, run.exitCode(), "the self-test failed:\n" + failed + "\n--- output ---\n" + run.output());
        assertTrue(run.output().contains("== all checks passed"), run.output());
        assertTrue(run.output().lines().filter(l -> l.startsWith("ok   - ")).count() > 100, "it ran its checks:\n" + run.output());
        // The IPv6 part ran: the dual-stack paths, and its reachability test that can fail.
        for (String check : List.of("relay reaches target's sshd over IPv6 ([2001:db8:200::2]:22)",
                "client reaches relay's sshd over IPv6 ([2001:db8:113::1]:22)",
                "outsider cannot connect to [2001:db8:200::2]:22 (the relay does not forward)",
                "outsider NOW gets target's ssh banner via the relay over IPv6",
                "booted relay reaches target's sshd over IPv6")) {
            assertTrue(run.output().lines().anyMatch(("ok   - " + check)::equals), "the self-test checked: " + check + "\n" + run.output());
        }
    }
}
