package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reaching a host through one and through two jump hosts, each with its own host key check. */
class JumpHostTest {
    private static final String TARGET_PASSWORD = "target-pw-11aa";
    private static final String FIRST_PASSWORD = "first-hop-pw-22bb";
    private static final String SECOND_PASSWORD = "second-hop-pw-33cc";

    @RegisterExtension
    static final MinaSshServerExtension FIRST_HOP = MinaSshServerExtension.builder()
            .password("jumper", FIRST_PASSWORD).jumpHost().build();

    @RegisterExtension
    static final MinaSshServerExtension SECOND_HOP = MinaSshServerExtension.builder()
            .password("jumper", SECOND_PASSWORD).jumpHost().build();

    @RegisterExtension
    static final MinaSshServerExtension TARGET = MinaSshServerExtension.builder()
            .password("root", TARGET_PASSWORD).build();

    /** Not a jump host: forwarding is refused. */
    @RegisterExtension
    static final MinaSshServerExtension NO_FORWARDING = MinaSshServerExtension.builder()
            .password("jumper", FIRST_PASSWORD).build();

    private final List<String> retries = new ArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(target.endpoint() + ": " + reason);
    private final SshConnector connector = new SshjConnector(Map.of());

    private SshTarget firstHop() {
        return FIRST_HOP.target("jumper").password(FIRST_PASSWORD).hostKey(FIRST_HOP.hostKey()).build();
    }

    private SshTarget secondHop(SshTarget via, String hostKey) {
        return SECOND_HOP.target("jumper").password(SECOND_PASSWORD).hostKey(hostKey).proxy(via).build();
    }

    private SshTarget.Builder target(SshTarget via) {
        return TARGET.target("root").password(TARGET_PASSWORD).hostKey(TARGET.hostKey()).proxy(via);
    }

    @Test
    void throughOneJumpHost() {
        SshTarget target = target(firstHop()).build();
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("via-one\n", session.run("echo via-one", Duration.ofSeconds(10)).stdout());
            assertEquals(target.label(), session.label());
            assertEquals(TARGET.hostKey(), session.hostKey());
        }
        assertEquals(List.of("127.0.0.1:" + TARGET.port()), FIRST_HOP.forwardedTo());
        assertEquals(List.of("sh -s"), TARGET.commandLines());
        assertEquals(List.of(), FIRST_HOP.commandLines());
        assertEquals(List.of(), retries);
    }

    @Test
    void throughAChainOfTwoJumpHosts() {
        SshTarget target = target(secondHop(firstHop(), SECOND_HOP.hostKey())).build();
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("via-two\n", session.run("echo via-two", Duration.ofSeconds(10)).stdout());
        }
        assertEquals(List.of("127.0.0.1:" + SECOND_HOP.port()), FIRST_HOP.forwardedTo());
        assertEquals(List.of("127.0.0.1:" + TARGET.port()), SECOND_HOP.forwardedTo());
        assertEquals(List.of("sh -s"), TARGET.commandLines());
    }

    @Test
    void closingTheSessionClosesEveryHop() throws InterruptedException {
        awaitNoSessions(); // earlier tests' connections may still be winding down
        SshTarget target = target(secondHop(firstHop(), SECOND_HOP.hostKey())).build();
        HostSession session = connector.open(target, listener);
        assertEquals(List.of(1, 1, 1), activeSessions());
        session.close();
        awaitNoSessions();
    }

    @Test
    void aFailedChainLeavesNoHopOpen() throws InterruptedException {
        SshTarget target = target(secondHop(firstHop(), SECOND_HOP.hostKey())).password("wrong-target-pw").build();
        assertThrows(HostAuthenticationException.class, () -> connector.open(target, listener));
        awaitNoSessions();
    }

    private static List<Integer> activeSessions() {
        return List.of(FIRST_HOP.activeSessions(), SECOND_HOP.activeSessions(), TARGET.activeSessions());
    }

    /** The servers notice a closed connection asynchronously. */
    private static void awaitNoSessions() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!activeSessions().equals(List.of(0, 0, 0)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(0, 0, 0), activeSessions());
    }

    @Test
    void eachJumpHostsKeyIsChecked() {
        // The second hop pinned to the first hop's key: a mismatch on the middle of the chain.
        SshTarget target = target(secondHop(firstHop(), FIRST_HOP.hostKey())).build();
        HostKeyMismatchException e = assertThrows(HostKeyMismatchException.class, () -> connector.open(target, listener));
        assertTrue(e.host().startsWith("jumper@127.0.0.1:" + SECOND_HOP.port()), e::host);
        assertTrue(e.host().contains("jump host for root@127.0.0.1:" + TARGET.port()), e::host);
        assertEquals(HostKeys.fingerprint(SECOND_HOP.hostKey()), e.actualFingerprint());
        assertEquals(List.of(), TARGET.commandLines());
        assertEquals(List.of(), retries);
    }

    @Test
    void theTargetsPolicyDoesNotApplyToJumpHosts() {
        // Pinning only the target: the jump host (without hostKey) is trusted on first use.
        SshTarget hop = FIRST_HOP.target("jumper").password(FIRST_PASSWORD).build();
        SshTarget target = target(hop).hostKey(null).build();
        try (HostSession session = connector.open(target, HostKeyPolicy.pinned(TARGET.hostKey()), listener)) {
            assertEquals(TARGET.hostKey(), session.hostKey(), "the jump host was trusted on first use, the target's pin held");
        }
        assertThrows(HostKeyMismatchException.class,
                () -> connector.open(target, HostKeyPolicy.pinned(FIRST_HOP.hostKey()), listener));
    }

    @Test
    void aTargetThatRefusesBehindTheJumpHostIsRetriedThenUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SshTarget target = SshTarget.builder("127.0.0.1").port(closedPort).password("x").proxy(firstHop())
                .dialErrorLimit(3).dialRetryDelay(Duration.ofMillis(20)).build();
        HostUnreachableException e = assertThrows(HostUnreachableException.class, () -> connector.open(target, listener));
        assertEquals(3, e.attempts());
        assertEquals(2, retries.size());
        assertTrue(e.getMessage().contains("the jump host could not connect to 127.0.0.1:" + closedPort), e::getMessage);
    }

    @Test
    void aJumpHostWithoutForwardingIsAClearError() {
        SshTarget hop = NO_FORWARDING.target("jumper").password(FIRST_PASSWORD).hostKey(NO_FORWARDING.hostKey()).build();
        HostException e = assertThrows(HostException.class, () -> connector.open(target(hop).build(), listener));
        assertTrue(e.getMessage().contains("refused to forward"), e::getMessage);
        assertEquals(List.of(), retries);
    }
}
