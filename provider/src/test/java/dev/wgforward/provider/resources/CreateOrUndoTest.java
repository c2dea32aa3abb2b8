package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.ExecResult;
import dev.wgforward.provider.host.ssh.HostAuthenticationException;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.HostUnreachableException;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.resources.ForwardRules.ForwardArgs;
import dev.wgforward.provider.resources.WireGuardInterface.PeerArgs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A failed create undoes what it may have written, and only that: a host never reached is not dialed again. */
class CreateOrUndoTest {
    private static final ConnectionArgs CONNECTION = new ConnectionArgs("relay.example.com", 22, "root", null, null, "pw",
            null, null, null, 1, 0, 1);

    /** Counts dials; each one fails as {@code failure} says, or connects to a host where every script fails. */
    private static final class CountingConnector implements SshConnector {
        final AtomicInteger dials = new AtomicInteger();
        final Supplier<RuntimeException> failure;
        final int exitCode;

        CountingConnector(Supplier<RuntimeException> failure) {
            this(failure, 1);
        }

        /** A host where every script exits with {@code exitCode} (73: wgforward's "not yours, nothing changed"). */
        CountingConnector(Supplier<RuntimeException> failure, int exitCode) {
            this.failure = failure;
            this.exitCode = exitCode;
        }

        @Override
        public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor) {
            dials.incrementAndGet();
            if (failure != null) {
                throw failure.get();
            }
            return new FailingSession(exitCode);
        }
    }

    private static final class FailingSession implements HostSession {
        private final int exitCode;

        FailingSession(int exitCode) {
            this.exitCode = exitCode;
        }

        @Override
        public ExecResult run(String script, Duration timeout) {
            return new ExecResult(exitCode, "", "no such luck");
        }

        @Override
        public String label() {
            return "root@relay.example.com:22";
        }

        @Override
        public String hostKey() {
            return "ssh-ed25519 AAAA";
        }

        @Override
        public List<String> proxyHostKeys() {
            return List.of();
        }

        @Override
        public boolean isRoot() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static WireGuardInterface.Inputs wgInputs() {
        return new WireGuardInterface.Inputs(CONNECTION, "wgf0", "10.77.42.1/24", WgKeys.generate().privateKey(), 51820, null,
                List.of(new PeerArgs(WgKeys.generate().publicKey(), List.of("10.77.42.2/32"), null, null)));
    }

    private static ForwardRules.Inputs rulesInputs() {
        return new ForwardRules.Inputs(CONNECTION, "wgf0", "10.77.42.1", "10.77.42.2", List.of(new ForwardArgs(8888, "10.200.0.2", 22, "tcp")));
    }

    @Test
    void anUnreachableHostIsDialedOnceNotAgainToUndo() {
        CountingConnector unreachable = new CountingConnector(
                () -> new HostUnreachableException("root@relay.example.com:22", 1, "connection refused", null));
        ProviderException wg = assertThrows(ProviderException.class,
                () -> new WireGuardInterface(unreachable).create(ctx("wg", false), wgInputs()));
        assertTrue(wg.getMessage().contains("unreachable"), wg.getMessage());
        assertEquals(0, wg.getSuppressed().length, "no undo was attempted");
        assertEquals(1, unreachable.dials.get(), "one dial for the create, none for an undo");

        unreachable.dials.set(0);
        assertThrows(ProviderException.class, () -> new ForwardRules(unreachable).create(ctx("rules", false), rulesInputs()));
        assertEquals(1, unreachable.dials.get(), "one dial for the create, none for an undo");
    }

    @Test
    void refusedCredentialsAreNotTriedAgainToUndo() {
        CountingConnector refusing = new CountingConnector(
                () -> new HostAuthenticationException("root@relay.example.com:22", "authentication failed", List.of("password")));
        assertThrows(ProviderException.class, () -> new WireGuardInterface(refusing).create(ctx("wg", false), wgInputs()));
        assertEquals(1, refusing.dials.get());
    }

    @Test
    void aCreateThatFailsOnTheHostIsUndone() {
        CountingConnector reachable = new CountingConnector(null);
        ProviderException e = assertThrows(ProviderException.class,
                () -> new WireGuardInterface(reachable).create(ctx("wg", false), wgInputs()));
        assertTrue(e.getMessage().contains("failed on host"), e.getMessage());
        assertEquals(2, reachable.dials.get(), "the create, then the undo: something may have been written");

        reachable.dials.set(0);
        assertThrows(ProviderException.class, () -> new ForwardRules(reachable).create(ctx("rules", false), rulesInputs()));
        assertEquals(2, reachable.dials.get(), "the create, then the undo");
    }

    @Test
    void aCreateTheHostRefusedBeforeChangingAnythingIsNotUndone() {
        // An undo would find only the other owner's objects, and warn about leaving them.
        for (int refusal : new int[] {73, 75}) {
            CountingConnector refusing = new CountingConnector(null, refusal);
            ProviderException wg = assertThrows(ProviderException.class,
                    () -> new WireGuardInterface(refusing).create(ctx("wg", false), wgInputs()));
            assertTrue(wg.getMessage().contains("(exit " + refusal + ")"), wg.getMessage());
            assertEquals(1, refusing.dials.get(), "no undo after exit " + refusal);

            refusing.dials.set(0);
            assertThrows(ProviderException.class, () -> new ForwardRules(refusing).create(ctx("rules", false), rulesInputs()));
            assertEquals(1, refusing.dials.get(), "no undo after exit " + refusal);
        }
    }

    @Test
    void createOrUndoItself() {
        AtomicBoolean undone = new AtomicBoolean();
        RemoteHost.NotReached notReached = new RemoteHost.NotReached("host: unreachable", null);
        assertSame(notReached, assertThrows(RemoteHost.NotReached.class,
                () -> CreateOrUndo.run(() -> { throw notReached; }, () -> undone.set(true))));
        assertFalse(undone.get(), "nothing was written, so nothing is undone");

        ProviderException stepFailed = new ProviderException("step failed");
        RuntimeException undoFailed = new ProviderException("undo failed too");
        ProviderException thrown = assertThrows(ProviderException.class,
                () -> CreateOrUndo.run(() -> { throw stepFailed; }, () -> {
                    undone.set(true);
                    throw undoFailed;
                }));
        assertSame(stepFailed, thrown);
        assertTrue(undone.get());
        assertSame(undoFailed, thrown.getSuppressed()[0]);

        assertEquals("made", CreateOrUndo.run(() -> "made", () -> {
            throw new AssertionError("a create that succeeded is not undone");
        }));
    }
}
