package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plugin's connection pool ({@link SshjConnector#sharingConnections}): the resources of one
 * run log in to a host once and run their scripts side by side on that login; nothing is shared
 * across credentials, a host key the caller would refuse, or a connection that broke; each
 * caller's secrets stay hidden in its own output; idle and remaining connections are closed.
 */
class ConnectionPoolTest {
    private static final String PASSWORD = "pool-pw-7f3e";
    private static final String OTHER_PASSWORD = "pool-other-pw-91c2";
    private static final String JUMP_PASSWORD = "pool-jump-pw-5d0a";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final MinaSshServerExtension host = MinaSshServerExtension.builder()
            .password("root", PASSWORD).password("admin", OTHER_PASSWORD).build();

    @RegisterExtension
    final MinaSshServerExtension otherHost = MinaSshServerExtension.builder().password("root", PASSWORD).build();

    @RegisterExtension
    final MinaSshServerExtension jump = MinaSshServerExtension.builder().password("jumper", JUMP_PASSWORD).jumpHost().build();

    private final SshjConnector pool = SshjConnector.sharingConnections(Map.of(), Duration.ofMinutes(5));

    @AfterEach
    void closePool() {
        pool.close();
    }

    private SshTarget target() {
        return host.target("root").password(PASSWORD).hostKey(host.hostKey()).build();
    }

    private HostSession open(SshTarget target, Redactor redactor) {
        return pool.open(target, HostKeyPolicy.forTarget(target), DialListener.NONE, redactor);
    }

    private static String run(HostSession session, String script) {
        ExecResult result = session.run(script, TIMEOUT);
        assertEquals(0, result.exitCode(), result::toString);
        return result.stdout();
    }

    @Test
    void twoSessionsForTheSameHostShareOneLogin() {
        try (HostSession first = open(target(), Redactor.of()); HostSession second = open(target(), Redactor.of())) {
            assertEquals("one\n", run(first, "echo one"));
            assertEquals("two\n", run(second, "echo two"));
            assertEquals(host.hostKey(), second.hostKey());
        }
        // A session opened after both closed still finds the connection.
        try (HostSession third = open(target(), Redactor.of())) {
            assertEquals("three\n", run(third, "echo three"));
        }
        assertEquals(1, host.logins(), "one login for three sessions");
        assertEquals(1, host.activeSessions(), "one connection, kept open for the next session");
    }

    @Test
    void scriptsOfSeveralSessionsRunSideBySideOnOneLoginAndEachGetsItsOwnOutput() throws Exception {
        int sessions = 6;
        ExecutorService threads = Executors.newFixedThreadPool(sessions);
        try {
            CountDownLatch allRunning = new CountDownLatch(sessions);
            List<Future<String>> outputs = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String marker = "session-" + i;
                outputs.add(threads.submit(() -> {
                    try (HostSession session = open(target(), Redactor.of())) {
                        allRunning.countDown();
                        // Each script waits until every session has dialed or leased: they overlap.
                        assertTrue(allRunning.await(10, TimeUnit.SECONDS));
                        return run(session, "for i in 1 2 3; do echo " + marker + "; sleep 0.05; done");
                    }
                }));
            }
            for (int i = 0; i < sessions; i++) {
                assertEquals(("session-" + i + "\n").repeat(3), outputs.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, host.logins(), "sessions that dial at the same time wait for one login");
    }

    @Test
    void differentCredentialsNeverShareAConnection() {
        SshTarget admin = host.target("admin").password(OTHER_PASSWORD).hostKey(host.hostKey()).build();
        SshTarget wrongPassword = host.target("root").password("not-the-password").hostKey(host.hostKey())
                .dialErrorLimit(1).build();
        try (HostSession root = open(target(), Redactor.of()); HostSession other = open(admin, Redactor.of())) {
            run(root, "true");
            run(other, "true");
            assertEquals(2, host.logins(), "another user is another login");
            // Same host, same user, a connection open: a wrong password must still be refused by the host.
            assertThrows(HostAuthenticationException.class, () -> open(wrongPassword, Redactor.of()).close());
        }
        assertEquals(2, host.logins());
        try (HostSession elsewhere = open(otherHost.target("root").password(PASSWORD).hostKey(otherHost.hostKey()).build(),
                Redactor.of())) {
            run(elsewhere, "true");
        }
        assertEquals(1, otherHost.logins(), "another host is another login, whatever the credentials");
    }

    @Test
    void aHostKeyTheCallerWouldRefuseIsNeverServedFromThePool() {
        try (HostSession trusting = pool.open(host.target("root").password(PASSWORD).build(), HostKeyPolicy.trustOnFirstUse(),
                DialListener.NONE, Redactor.of())) {
            run(trusting, "true");
            String otherKey = otherHost.hostKey();
            SshTarget pinnedElsewhere = host.target("root").password(PASSWORD).hostKey(otherKey).dialErrorLimit(1).build();
            assertThrows(HostKeyMismatchException.class, () -> open(pinnedElsewhere, Redactor.of()).close());
            // Pinned to the key the host did present: the open connection serves.
            try (HostSession pinned = open(target(), Redactor.of())) {
                run(pinned, "true");
            }
        }
        assertEquals(1, host.logins(), "the refused caller dialed (and was refused) before any login");
    }

    @Test
    void aConnectionKilledOnTheHostIsEvictedAndTheNextSessionDialsAgain() throws Exception {
        try (HostSession first = open(target(), Redactor.of())) {
            run(first, "true");
        }
        assertEquals(1, host.killConnections());
        // The idle connection is dead: the next session must not get it.
        try (HostSession second = open(target(), Redactor.of())) {
            assertEquals("again\n", run(second, "echo again"));
        }
        assertEquals(2, host.logins());
        assertEquals(1, pool.openConnections(), "the dead connection is gone from the pool");
    }

    @Test
    void aConnectionKilledWhileAScriptRunsFailsThatScriptAsLostAndIsNeverReused() throws Exception {
        try (HostSession session = open(target(), Redactor.of())) {
            CompletableFuture<ExecResult> running = CompletableFuture.supplyAsync(() -> session.run("sleep 5; echo done", TIMEOUT));
            waitFor(() -> host.commandLines().size() == 1);
            Thread.sleep(200); // the script is on its way
            host.killConnections();
            Exception failure = assertThrows(Exception.class, () -> running.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof HostException, String.valueOf(failure.getCause()));
            assertTrue(failure.getCause().getMessage().contains("connection was lost while the script ran"),
                    failure.getCause().getMessage());
            // The same session's next script goes out on a fresh login: nothing of it ran before.
            assertEquals("next\n", run(session, "echo next"));
        }
        try (HostSession later = open(target(), Redactor.of())) {
            assertEquals("later\n", run(later, "echo later"));
        }
        assertEquals(2, host.logins(), "one login before the cut, one after");
    }

    @Test
    void eachSessionHidesItsOwnSecretsAndTheConnectionsOnesEvenWhenItDidNotDialIt() {
        String firstSecret = "first-resource-secret-0c1d";
        String secondSecret = "second-resource-secret-8e2f";
        Redactor firstRedactor = Redactor.of(firstSecret);
        Redactor secondRedactor = Redactor.of(secondSecret);
        try (HostSession first = open(target(), firstRedactor); HostSession second = open(target(), secondRedactor)) {
            assertEquals(1, host.logins(), "the second session leased the first one's connection");
            String printsAll = "echo " + firstSecret + "; echo " + secondSecret + "; echo " + PASSWORD + " >&2; exit 3";
            ExecResult firstSees = first.run(printsAll, TIMEOUT);
            ExecResult secondSees = second.run(printsAll, TIMEOUT);
            // Each hides its own secret and the login's password, wherever the connection came from.
            assertFalse(firstSees.stdout().contains(firstSecret), firstSees.stdout());
            assertFalse(firstSees.stderr().contains(PASSWORD), firstSees.stderr());
            assertFalse(secondSees.stdout().contains(secondSecret), secondSees.stdout());
            assertFalse(secondSees.stderr().contains(PASSWORD), secondSees.stderr());
            // Neither redactor learned the other's secret: no resource's secret travels to another's log.
            assertEquals(Redactor.MASK + "\n" + secondSecret + "\n", firstSees.stdout());
            assertEquals(firstSecret + "\n" + Redactor.MASK + "\n", secondSees.stdout());
            assertEquals(firstSecret, secondRedactor.redact(firstSecret));
            assertEquals(secondSecret, firstRedactor.redact(secondSecret));
        }
    }

    @Test
    void aJumpHostsConnectionIsSharedToo() {
        SshTarget viaJump = jump.target("jumper").password(JUMP_PASSWORD).hostKey(jump.hostKey()).build();
        SshTarget first = host.target("root").password(PASSWORD).hostKey(host.hostKey()).proxy(viaJump).build();
        SshTarget second = otherHost.target("root").password(PASSWORD).hostKey(otherHost.hostKey()).proxy(viaJump).build();
        try (HostSession a = open(first, Redactor.of()); HostSession b = open(first, Redactor.of());
                HostSession c = open(second, Redactor.of())) {
            run(a, "true");
            run(b, "true");
            run(c, "true");
        }
        assertEquals(1, jump.logins(), "one login to the jump host for both targets");
        assertEquals(1, host.logins());
        assertEquals(1, otherHost.logins());
        assertEquals(2, jump.forwardedTo().size(), "one tunnel per target: " + jump.forwardedTo());
        // The same target without the jump host is another connection.
        try (HostSession direct = open(target(), Redactor.of())) {
            run(direct, "true");
        }
        assertEquals(2, host.logins());
    }

    @Test
    void idleConnectionsCloseAndClosingThePoolClosesTheRest() throws Exception {
        try (SshjConnector quick = SshjConnector.sharingConnections(Map.of(), Duration.ofMillis(300))) {
            try (HostSession session = quick.open(target(), HostKeyPolicy.forTarget(target()), DialListener.NONE, Redactor.of())) {
                run(session, "true");
            }
            assertEquals(1, host.activeSessions());
            waitFor(() -> host.activeSessions() == 0);
            assertEquals(0, quick.openConnections());
        }
        HostSession leased = open(target(), Redactor.of());
        run(leased, "true");
        pool.close();
        waitFor(() -> host.activeSessions() == 0);
        assertThrows(HostException.class, () -> leased.run("true", TIMEOUT));
        leased.close();
        assertThrows(RuntimeException.class, () -> open(target(), Redactor.of()), "a closed pool dials no more");
    }

    @Test
    void withoutSharingEverySessionIsALoginOfItsOwn() {
        SshConnector unshared = new SshjConnector(Map.of());
        for (int i = 0; i < 2; i++) {
            try (HostSession session = unshared.open(target(), DialListener.NONE)) {
                run(session, "true");
            }
        }
        assertEquals(2, host.logins());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting");
            Thread.sleep(20);
        }
    }
}
