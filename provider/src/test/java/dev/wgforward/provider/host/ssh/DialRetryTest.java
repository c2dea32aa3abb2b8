package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Connection-level failures are retried up to the limit; the count and timing are exact. */
class DialRetryTest {
    private static final String PASSWORD = "dial-test-pw-77e1";

    private record Retry(String endpoint, int attempt, int limit, String reason) {}

    private final List<Retry> retries = new CopyOnWriteArrayList<>();
    private final DialListener listener =
            (target, attempt, limit, reason) -> retries.add(new Retry(target.endpoint(), attempt, limit, reason));
    private final SshConnector connector = new SshjConnector(Map.of());

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aRefusingPortFailsAfterExactlyTheLimit() throws IOException {
        int port = closedPort();
        SshTarget target = SshTarget.builder("127.0.0.1").port(port).password(PASSWORD)
                .dialErrorLimit(4).dialRetryDelay(Duration.ofMillis(100)).build();
        long start = System.nanoTime();
        HostUnreachableException e = assertThrows(HostUnreachableException.class, () -> connector.open(target, listener));
        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertEquals(4, e.attempts());
        assertEquals("connection refused", e.lastReason());
        assertEquals("root@127.0.0.1:" + port + ": unreachable after 4 attempts; last error: connection refused",
                e.getMessage());
        assertEquals(List.of(
                new Retry("root@127.0.0.1:" + port, 1, 4, "connection refused"),
                new Retry("root@127.0.0.1:" + port, 2, 4, "connection refused"),
                new Retry("root@127.0.0.1:" + port, 3, 4, "connection refused")), retries);
        // Three delays between four attempts, none after the last.
        assertTrue(elapsedMs >= 300 && elapsedMs < 2000, () -> "took " + elapsedMs + "ms");
    }

    @Test
    void aSingleAttemptMeansNoRetry() throws IOException {
        SshTarget target = SshTarget.builder("127.0.0.1").port(closedPort()).password(PASSWORD).dialErrorLimit(1).build();
        HostUnreachableException e = assertThrows(HostUnreachableException.class, () -> connector.open(target, listener));
        assertEquals(1, e.attempts());
        assertTrue(e.getMessage().contains("after 1 attempt;"), e::getMessage);
        assertEquals(List.of(), retries);
    }

    @Test
    void aServerThatStartsLateIsReachedOnALaterAttempt() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            // The port is free when picked, but on a busy machine another socket can take it in the
            // second before the server binds it: the server never listens, and unlimited dials would
            // wait forever. Such a run is stopped when the start fails, and made again on another port.
            for (int run = 1; ; run++) {
                Optional<Throwable> notStarted = reachAServerThatStartsLate(scheduler);
                if (notStarted.isEmpty()) {
                    return;
                }
                if (run == 3) {
                    throw new AssertionError("the late server could not start, " + run + " times", notStarted.get());
                }
                retries.clear();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Dials a port where a server starts 1 s later; what kept the server from starting, if anything did. */
    private Optional<Throwable> reachAServerThatStartsLate(ScheduledExecutorService scheduler) throws Exception {
        int port = closedPort();
        MinaSshServerExtension late = MinaSshServerExtension.builder().port(port).password("root", PASSWORD).build();
        try {
            ScheduledFuture<MinaSshServerExtension> start = scheduler.schedule(late::start, 1, TimeUnit.SECONDS);
            SshTarget target = SshTarget.builder("127.0.0.1").port(port).password(PASSWORD).hostKey(late.hostKey())
                    .dialErrorLimit(SshTarget.UNLIMITED_DIALS).dialRetryDelay(Duration.ofMillis(200)).build();
            CancelToken untilTheStartFails = CancelToken.of(() -> startFailure(start).isPresent());
            try (HostSession session = connector.open(target, HostKeyPolicy.forTarget(target), listener, Redactor.of(),
                    untilTheStartFails)) {
                assertEquals("finally\n", session.run("echo finally", Duration.ofSeconds(10)).stdout());
            } catch (HostOperationStoppedException e) {
                if (startFailure(start).isPresent()) {
                    return startFailure(start);
                }
                throw e;
            }
            // About five (1s / 200ms); more on a slow machine, never none.
            assertTrue(retries.size() >= 2, () -> retries.size() + " retries: " + retries);
            assertTrue(retries.stream().allMatch(r -> r.limit() == SshTarget.UNLIMITED_DIALS));
            assertEquals(1, retries.get(0).attempt());
            return Optional.empty();
        } finally {
            late.close();
        }
    }

    private static Optional<Throwable> startFailure(Future<?> start) {
        if (!start.isDone()) {
            return Optional.empty();
        }
        try {
            start.get();
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (InterruptedException | CancellationException e) {
            return Optional.of(e);
        }
    }

    @Test
    void aHostThatAcceptsButNeverSpeaksTimesOutPerDial() throws Exception {
        // Only the per-dial timeout ends each attempt at a silent host.
        try (SilentHost silent = new SilentHost()) {
            SshTarget target = SshTarget.builder("127.0.0.1").port(silent.port()).password(PASSWORD)
                    .dialErrorLimit(2).dialRetryDelay(Duration.ofMillis(10)).perDialTimeout(Duration.ofMillis(400)).build();
            long start = System.nanoTime();
            HostUnreachableException e = assertThrows(HostUnreachableException.class,
                    () -> connector.open(target, listener));
            long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals("timed out after 400ms", e.lastReason());
            assertEquals(1, retries.size());
            assertTrue(elapsedMs >= 800 && elapsedMs < 3000, () -> "took " + elapsedMs + "ms");
            assertEquals(2, silent.connections());
        }
    }

    @Test
    void retryReasonsPassThroughTheRedactor() throws IOException {
        // "refused" stands in for a secret: no real reason holds one, but nothing may bypass
        // the redactor on its way to the user.
        int port = closedPort();
        SshTarget target = SshTarget.builder("127.0.0.1").port(port).password(PASSWORD)
                .dialErrorLimit(2).dialRetryDelay(Duration.ofMillis(10)).build();
        HostUnreachableException e = assertThrows(HostUnreachableException.class,
                () -> connector.open(target, HostKeyPolicy.trustOnFirstUse(), listener, Redactor.of("refused")));
        assertEquals(List.of(new Retry("root@127.0.0.1:" + port, 1, 2, "connection [secret]")), retries);
        assertFalse(e.getMessage().contains("refused"), e::getMessage);
    }
}
