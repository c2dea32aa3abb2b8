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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dialing stops promptly when the caller is cancelled (Ctrl-C on {@code pulumi up}) or its time
 * is up, whether it is waiting to retry or in the middle of an attempt.
 */
class CancellationTest {
    private static final String PASSWORD = "cancel-test-pw-5b2e";

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicLong cancelledAt = new AtomicLong();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(reason);
    private final SshConnector connector = new SshjConnector(Map.of());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A fresh VM's port: refused, with the default patience of 10 dials 5 s apart. */
    private static SshTarget refusingTarget() throws IOException {
        return SshTarget.builder("127.0.0.1").port(closedPort()).password(PASSWORD)
                .dialErrorLimit(10).dialRetryDelay(Duration.ofSeconds(5)).build();
    }

    private void cancelAfter(Duration delay) {
        scheduler.schedule(() -> {
            cancelledAt.set(System.nanoTime());
            cancelled.set(true);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private HostOperationStoppedException openUntilStopped(SshTarget target, CancelToken cancel) {
        return assertThrows(HostOperationStoppedException.class,
                () -> connector.open(target, HostKeyPolicy.trustOnFirstUse(), listener, Redactor.of(), cancel));
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    @Test
    void cancellingStopsTheWaitBetweenDials() throws IOException {
        SshTarget target = refusingTarget();
        cancelAfter(Duration.ofSeconds(1));
        HostOperationStoppedException e = openUntilStopped(target, CancelToken.of(cancelled::get));
        long afterCancelMs = millisSince(cancelledAt.get());

        assertTrue(e.cancelled());
        assertEquals(target.label() + ": cancelled while dialing (1 failed attempt; last error: connection refused)",
                e.getMessage());
        assertEquals(List.of("connection refused"), retries);
        // Cancelled 1 s in, during the first 5 s wait: back within a fraction of a second.
        assertTrue(afterCancelMs < 1000, () -> "returned " + afterCancelMs + "ms after the cancel");
    }

    @Test
    void theDeadlineStopsTheWaitBetweenDials() throws IOException {
        SshTarget target = refusingTarget();
        long start = System.nanoTime();
        HostOperationStoppedException e = openUntilStopped(target,
                CancelToken.of(cancelled::get, Duration.ofMillis(1500), start));
        long elapsedMs = millisSince(start);

        assertFalse(e.cancelled());
        assertEquals(target.label() + ": timed out after 1.5s while dialing (1 failed attempt;"
                + " last error: connection refused)", e.getMessage());
        assertTrue(elapsedMs >= 1400 && elapsedMs < 2500, () -> "took " + elapsedMs + "ms");
    }

    @Test
    void theDeadlineCountsFromTheStartOfTheOperation() throws IOException {
        // Most of the operation's time went elsewhere (another host, say): little is left here.
        SshTarget target = refusingTarget();
        long start = System.nanoTime();
        HostOperationStoppedException e = openUntilStopped(target,
                CancelToken.of(cancelled::get, Duration.ofSeconds(60), start - Duration.ofSeconds(59).toNanos()));
        assertTrue(e.getMessage().contains("timed out after 1m while dialing"), e::getMessage);
        assertTrue(millisSince(start) < 2000, () -> "took " + millisSince(start) + "ms");
    }

    @Test
    void cancellingEndsAnAttemptInProgress() throws Exception {
        // Only the 30 s per-dial timeout would end a dial to a silent host.
        try (SilentHost silent = new SilentHost()) {
            SshTarget target = SshTarget.builder("127.0.0.1").port(silent.port()).password(PASSWORD)
                    .perDialTimeout(Duration.ofSeconds(30)).build();
            cancelAfter(Duration.ofMillis(700));
            HostOperationStoppedException e = openUntilStopped(target, CancelToken.of(cancelled::get));
            long afterCancelMs = millisSince(cancelledAt.get());

            assertEquals(target.label() + ": cancelled while dialing", e.getMessage());
            assertEquals(List.of(), retries, "the attempt was stopped, not failed");
            assertEquals(1, silent.connections());
            assertTrue(afterCancelMs < 1000, () -> "returned " + afterCancelMs + "ms after the cancel");
        }
    }

    @Test
    void anOperationCancelledBeforehandDialsNothing() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SshTarget target = SshTarget.builder("127.0.0.1").port(listening.getLocalPort()).password(PASSWORD).build();
            cancelled.set(true);
            HostOperationStoppedException e = openUntilStopped(target, CancelToken.of(cancelled::get));
            assertEquals(target.label() + ": cancelled while dialing", e.getMessage());
            listening.setSoTimeout(200);
            assertThrows(java.net.SocketTimeoutException.class, listening::accept, "no connection was made");
        }
    }

    @Test
    void aSessionOpenedInTimeIsUnaffected() throws IOException {
        try (MinaSshServerExtension server = MinaSshServerExtension.builder().password("root", PASSWORD).build().start()) {
            SshTarget target = server.target("root").password(PASSWORD).hostKey(server.hostKey()).build();
            CancelToken cancel = CancelToken.of(cancelled::get, Duration.ofSeconds(30), System.nanoTime());
            try (HostSession session = connector.open(target, HostKeyPolicy.forTarget(target), listener,
                    Redactor.of(), cancel)) {
                // A cancel after login is for the caller's next step to notice, not for the session.
                cancelled.set(true);
                assertEquals("alive\n", session.run("echo alive", Duration.ofSeconds(10)).stdout());
            }
        }
    }

    @Test
    void connectorsThatCannotStopMidwayStillCheckFirst() {
        SshConnector neverDials = (target, policy, dialListener, redactor) -> {
            throw new AssertionError("must not dial");
        };
        cancelled.set(true);
        SshTarget target = SshTarget.builder("192.0.2.1").password(PASSWORD).build();
        HostOperationStoppedException e = assertThrows(HostOperationStoppedException.class, () -> neverDials.open(
                target, HostKeyPolicy.trustOnFirstUse(), listener, Redactor.of(), CancelToken.of(cancelled::get)));
        assertEquals(target.label() + ": cancelled while connecting", e.getMessage());
    }
}
