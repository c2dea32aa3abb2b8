package dev.wgforward.provider.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay (and a client) shared by several stacks, as relays are: each stack owns what it makes,
 * none rewrites or removes another's, and the relay-wide ip_forward returns to what it was once
 * the last tunnel is gone, whatever the order. Runs at the same moment are serialized on the host.
 */
class SharedRelayIT {

    @BeforeAll
    static void lab() {
        Lab.ensure(Lab.Mode.PLAIN);
    }

    /** The seed program as stack {@code name}, with tunnel {@code n}'s own interface, UDP port, range and forwarded port. */
    private static PortForwardScenario tunnel(Path scratch, String name, int n) {
        PortForwardScenario s = PortForwardScenario.of("examples/port-forward-yaml", scratch.resolve(name), name);
        s.config("tunnelInterface", "wgs" + n);
        s.config("listenPort", Integer.toString(51830 + n));
        s.config("relayTunnelAddress", "10.77.5" + n + ".1/24");
        // Dual stack by default: relay.address6 is left out, its default follows relay.address, so
        // each tunnel's own IPv4 range gives it its own IPv6 range (what README asks of a second stack).
        s.config("clientTunnelAddress", "10.77.5" + n + ".2");
        s.config("forwardPort", Integer.toString(8880 + n));
        return s;
    }

    private static String relayIp(int n) {
        return "10.77.5" + n + ".1";
    }

    private static String ipForward() {
        return Lab.exec("relay", "cat /proc/sys/net/ipv4/ip_forward").assertOk().output().trim();
    }

    @Test
    void twoStacksWorkSideBySideAndDestroyingOneLeavesTheOther(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        assertEquals("0", ipForward(), "the lab's relay starts with forwarding off");
        PortForwardScenario alpha = tunnel(scratch, "alpha", 1);
        PortForwardScenario beta = tunnel(scratch, "beta", 2);

        alpha.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        beta.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp(1), 8881);
        PortForwardScenario.assertLandsOnTarget(relayIp(2), 8882);
        // Each tunnel's default IPv6 range follows its IPv4 one: 10.77.51.0 is 0a4d:3300, 10.77.52.0 is 0a4d:3400.
        assertTrue(Lab.exec("relay", "ip -6 addr show dev wgs1").assertOk().output().contains("fd77:a4d:3300::1/64"));
        assertTrue(Lab.exec("relay", "ip -6 addr show dev wgs2").assertOk().output().contains("fd77:a4d:3400::1/64"));
        alpha.assertNoDrift();
        beta.assertNoDrift();

        // The first stack to arrive goes first: the second keeps its tunnel, rules and forwarding.
        alpha.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertNotEquals(0, PortForwardScenario.sshThroughForward(relayIp(1), 8881).exitCode(), "alpha's forward is gone");
        PortForwardScenario.assertLandsOnTarget(relayIp(2), 8882);
        assertEquals("1", ipForward(), "beta still needs forwarding");
        beta.assertQuiet();

        beta.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals("0", ipForward(), "forwarding is off again, as before the first tunnel arrived");
        assertEquals(relayBefore, Lab.snapshot("relay"), "both destroyed: the relay is as it was");
        assertEquals(clientBefore, Lab.snapshot("client"), "both destroyed: the client is as it was");
    }

    @Test
    void aStackWhoseNamesAreTakenIsRefusedAndChangesNothing(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario first = tunnel(scratch, "first", 3);
        first.project.pulumi("up", "--yes", "--skip-preview").assertOk();
        String relayWithFirst = Lab.snapshot("relay");
        String clientWithFirst = Lab.snapshot("client");

        // Same interface names, port and range on the same hosts: another stack's objects.
        PortForwardScenario second = tunnel(scratch, "second", 3);
        Commands.Result refused = second.project.pulumi("up", "--yes", "--skip-preview");
        assertNotEquals(0, refused.exitCode(), refused.output());
        String out = refused.output();
        assertTrue(out.contains("interface wgs3 already exists on this host and belongs to another wgforward resource"), out);
        assertTrue(out.contains("urn:pulumi:first::"), "the other owner is named: " + out);
        assertTrue(out.contains("nothing was changed") && out.contains("interfaceName"), "the fix is named: " + out);
        // One error per failure: the component names the child that failed instead of the engine's
        // "grpc: the client connection is closing", and a refused create is not "undone" (the undo
        // would only find the other stack's objects and warn about leaving them).
        assertTrue(out.contains("WireGuardInterface 'forward-relay' failed (its own error says why)")
                || out.contains("WireGuardInterface 'forward-client' failed (its own error says why)"), out);
        assertFalse(out.contains("grpc:"), out);
        assertFalse(out.contains("untouched: it is not this resource's"), out);
        assertEquals(relayWithFirst, Lab.snapshot("relay"), "the refused stack changed nothing on the relay");
        assertEquals(clientWithFirst, Lab.snapshot("client"), "the refused stack changed nothing on the client");
        PortForwardScenario.assertLandsOnTarget(relayIp(3), 8883);

        // Its destroy removes nothing of the first stack's.
        second.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        PortForwardScenario.assertLandsOnTarget(relayIp(3), 8883);
        first.assertQuiet();

        first.project.pulumi("destroy", "--yes", "--skip-preview").assertOk();
        assertEquals(relayBefore, Lab.snapshot("relay"));
        assertEquals(clientBefore, Lab.snapshot("client"));
    }

    @Test
    void runsAtTheSameMomentOnOneRelayBothSucceed(@TempDir Path scratch) {
        String relayBefore = Lab.snapshot("relay");
        String clientBefore = Lab.snapshot("client");
        PortForwardScenario gamma = tunnel(scratch, "gamma", 4);
        PortForwardScenario delta = tunnel(scratch, "delta", 5);

        both(gamma, delta, "up", "--yes", "--skip-preview");
        PortForwardScenario.assertLandsOnTarget(relayIp(4), 8884);
        PortForwardScenario.assertLandsOnTarget(relayIp(5), 8885);
        gamma.assertQuiet();
        delta.assertQuiet();

        both(gamma, delta, "destroy", "--yes", "--skip-preview");
        assertEquals(relayBefore, Lab.snapshot("relay"), "both destroyed at once: the relay is as it was");
        assertEquals(clientBefore, Lab.snapshot("client"));
    }

    /** Runs the same pulumi command in both stacks at the same moment; both must succeed. */
    private static void both(PortForwardScenario a, PortForwardScenario b, String... args) {
        CompletableFuture<Commands.Result> first = CompletableFuture.supplyAsync(() -> a.project.pulumi(args));
        CompletableFuture<Commands.Result> second = CompletableFuture.supplyAsync(() -> b.project.pulumi(args));
        first.join().assertOk();
        second.join().assertOk();
    }
}
