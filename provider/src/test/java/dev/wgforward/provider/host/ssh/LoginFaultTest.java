package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.wgforward.provider.host.ssh.MinaSshServerExtension.LoginPhase;

/**
 * A connection cut during login (a host rebooting, a NAT dropping state) is a failed dial like
 * a refused one: retried up to the limit and reported as lost, never as a rejected login.
 */
class LoginFaultTest {
    private static final String PASSWORD = "fault-test-pw-3c9d";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path KEY_DIR = TestKeys.temporaryDirectory("login-fault-keys");
    private static final TestKeys.KeyFiles KEY = TestKeys.generate(KEY_DIR, "ecdsa", "ecdsa", "", false);

    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(attempt + "/" + limit + " " + reason);
    private final SshConnector connector = new SshjConnector(Map.of());

    @AfterAll
    static void deleteKeys() throws IOException {
        TestKeys.deleteDirectory(KEY_DIR);
    }

    private static MinaSshServerExtension serverDropping(LoginPhase phase, int times) throws IOException {
        return MinaSshServerExtension.builder().password("root", PASSWORD).authorizedKey(KEY.publicKey())
                .dropConnections(phase, times).build().start();
    }

    private static SshTarget.Builder target(MinaSshServerExtension server, int dialErrorLimit) {
        return server.target("root").hostKey(server.hostKey()).dialErrorLimit(dialErrorLimit);
    }

    // Closing a socket with unread data in it resets the connection instead of ending it.
    private static final String CUT = "(the host closed the connection|connection reset)";
    private static final String LOST_IN_KEX = "connection lost during key exchange: " + CUT;
    private static final String LOST_IN_AUTH = "connection lost during authentication: " + CUT;

    private static void assertMatches(String regex, String actual) {
        assertTrue(actual.matches(regex), () -> "expected " + regex + ", got: " + actual);
    }

    private void assertLoggedInAfterRetries(MinaSshServerExtension server, SshTarget target, int drops, String reason) {
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("in\n", session.run("echo in", TIMEOUT).stdout());
        }
        assertEquals(drops, server.droppedConnections());
        assertEquals(drops, retries.size(), retries::toString);
        for (int i = 0; i < drops; i++) {
            assertMatches((i + 1) + "/" + target.dialErrorLimit() + " " + reason, retries.get(i));
        }
    }

    @Test
    void connectionsCutDuringKeyExchangeAreRetried() throws IOException {
        try (MinaSshServerExtension server = serverDropping(LoginPhase.KEY_EXCHANGE, 3)) {
            assertLoggedInAfterRetries(server, target(server, 10).password(PASSWORD).build(), 3, LOST_IN_KEX);
        }
    }

    @Test
    void connectionsCutDuringPasswordAuthenticationAreRetried() throws IOException {
        try (MinaSshServerExtension server = serverDropping(LoginPhase.AUTHENTICATION, 3)) {
            assertLoggedInAfterRetries(server, target(server, 10).password(PASSWORD).build(), 3, LOST_IN_AUTH);
            assertEquals(1, server.passwordAttempts(), "one password check, on the dial that got through");
        }
    }

    @Test
    void connectionsCutDuringKeyAuthenticationAreRetried() throws IOException {
        try (MinaSshServerExtension server = serverDropping(LoginPhase.AUTHENTICATION, 3)) {
            SshTarget target = target(server, 10).privateKey(KEY.privateKey()).build();
            assertLoggedInAfterRetries(server, target, 3, LOST_IN_AUTH);
        }
    }

    @Test
    void cutsUntilTheLimitMakeTheHostUnreachableNotTheLoginRejected() throws IOException {
        try (MinaSshServerExtension server = serverDropping(LoginPhase.AUTHENTICATION, 100)) {
            SshTarget target = target(server, 4).privateKey(KEY.privateKey()).password(PASSWORD).build();
            HostUnreachableException e = assertThrows(HostUnreachableException.class,
                    () -> connector.open(target, listener));
            assertEquals(4, e.attempts());
            assertEquals(4, server.droppedConnections());
            assertEquals(3, retries.size(), retries::toString);
            assertMatches(Pattern.quote(target.label() + ": unreachable after 4 attempts; last error: ") + LOST_IN_AUTH,
                    e.getMessage());
            assertFalse(e.getMessage().contains("authentication as"), e::getMessage);
            assertEquals(0, server.passwordAttempts());
        }
    }

    @Test
    void cutsDuringKeyExchangeUntilTheLimit() throws IOException {
        try (MinaSshServerExtension server = serverDropping(LoginPhase.KEY_EXCHANGE, 100)) {
            SshTarget target = target(server, 3).password(PASSWORD).build();
            HostUnreachableException e = assertThrows(HostUnreachableException.class,
                    () -> connector.open(target, listener));
            assertEquals(3, e.attempts());
            assertMatches(LOST_IN_KEX, e.lastReason());
        }
    }

    @Test
    void aHostThatHangsUpBeforeGreetingIsRetried() throws IOException {
        // Like sshd refusing more unauthenticated connections (MaxStartups), or one still starting.
        try (ServerSocket hangingUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        hangingUp.accept().close();
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SshTarget target = SshTarget.builder("127.0.0.1").port(hangingUp.getLocalPort()).password(PASSWORD)
                    .dialErrorLimit(3).dialRetryDelay(Duration.ofMillis(10)).build();
            HostUnreachableException e = assertThrows(HostUnreachableException.class,
                    () -> connector.open(target, listener));
            assertEquals(3, e.attempts());
            assertMatches("connection lost before the host's SSH greeting: " + CUT, e.lastReason());
        }
    }

    @Test
    void aRejectionAfterACutIsStillFinal() throws IOException {
        // The first dial is cut, the second reaches the host, which says no: that answer ends it.
        try (MinaSshServerExtension server = serverDropping(LoginPhase.AUTHENTICATION, 1)) {
            SshTarget target = target(server, 10).password("wrong-password-11aa").build();
            HostAuthenticationException e = assertThrows(HostAuthenticationException.class,
                    () -> connector.open(target, listener));
            assertEquals(1, retries.size(), retries::toString);
            assertTrue(e.getMessage().contains("authentication as 'root' failed; tried password, keyboard-interactive"),
                    e::getMessage);
            assertEquals(2, server.passwordAttempts());
        }
    }
}
