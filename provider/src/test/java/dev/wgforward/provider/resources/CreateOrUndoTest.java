package dev.wgforward.provider.resources;

import static dev.wgforward.provider.testing.TestSupport.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.host.ssh.CancelToken;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.MinaSshServerExtension;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import dev.wgforward.provider.host.wireguard.WgKeys;
import dev.wgforward.provider.resources.ForwardRules.ForwardArgs;
import dev.wgforward.provider.resources.WireGuardInterface.PeerArgs;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failed create undoes what it may have written, and only that: a host never reached is not
 * dialed again. Through the real SSH client against the in-process SSH server, whose {@code sh}
 * fails every script the way a host would; only the dials are counted on the way.
 */
class CreateOrUndoTest {
    private static final String PASSWORD = "undo-test-password";

    @RegisterExtension
    static final MinaSshServerExtension SERVER = MinaSshServerExtension.builder().password("root", PASSWORD).build();

    /** The relay: the in-process server, one dial attempt, no waiting between attempts. */
    private static ConnectionArgs connection(int port, String password) {
        return new ConnectionArgs(MinaSshServerExtension.HOST, port, "root", null, null, password, null, SERVER.hostKey(), null,
                1, 0, 5);
    }

    private static ConnectionArgs reachable() {
        return connection(SERVER.port(), PASSWORD);
    }

    /** A host where every script exits with {@code exitCode} (73: wgforward's "not yours, nothing changed"; 75: the host lock is held). */
    private static void everyScriptExits(int exitCode) {
        SERVER.installStub("sh", "#!/bin/sh\ncat >/dev/null\necho 'no such luck' >&2\nexit " + exitCode + "\n");
    }

    /** The real SSH client, counting its dials. */
    private static final class CountingConnector implements SshConnector {
        final AtomicInteger dials = new AtomicInteger();
        private final SshConnector real = new SshjConnector();

        @Override
        public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor) {
            dials.incrementAndGet();
            return real.open(target, hostKeyPolicy, listener, redactor);
        }

        @Override
        public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor,
                CancelToken cancel) {
            dials.incrementAndGet();
            return real.open(target, hostKeyPolicy, listener, redactor, cancel);
        }
    }

    /** A local port nothing listens on: connection refused, as from a host that is gone. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static WireGuardInterface.Inputs wgInputs(ConnectionArgs connection) {
        return new WireGuardInterface.Inputs(connection, "wgf0", "10.77.42.1/24", null, WgKeys.generate().privateKey(), 51820, null,
                List.of(new PeerArgs(WgKeys.generate().publicKey(), List.of("10.77.42.2/32"), null, null)));
    }

    private static ForwardRules.Inputs rulesInputs(ConnectionArgs connection) {
        return new ForwardRules.Inputs(connection, "wgf0", "10.77.42.1", "10.77.42.2", List.of(new ForwardArgs(8888, "10.200.0.2", 22, "tcp")));
    }

    @Test
    void anUnreachableHostIsDialedOnceNotAgainToUndo() throws IOException {
        ConnectionArgs gone = connection(closedPort(), PASSWORD);
        CountingConnector unreachable = new CountingConnector();
        ProviderException wg = assertThrows(ProviderException.class,
                () -> new WireGuardInterface(unreachable).create(ctx("wg", false), wgInputs(gone)));
        assertTrue(wg.getMessage().contains("unreachable"), wg.getMessage());
        assertEquals(0, wg.getSuppressed().length, "no undo was attempted");
        assertEquals(1, unreachable.dials.get(), "one dial for the create, none for an undo");

        unreachable.dials.set(0);
        assertThrows(ProviderException.class, () -> new ForwardRules(unreachable).create(ctx("rules", false), rulesInputs(gone)));
        assertEquals(1, unreachable.dials.get(), "one dial for the create, none for an undo");
    }

    @Test
    void refusedCredentialsAreNotTriedAgainToUndo() {
        CountingConnector refusing = new CountingConnector();
        ProviderException e = assertThrows(ProviderException.class,
                () -> new WireGuardInterface(refusing).create(ctx("wg", false), wgInputs(connection(SERVER.port(), "wrong password"))));
        assertTrue(e.getMessage().contains("authentication"), e.getMessage());
        assertEquals(1, refusing.dials.get());
    }

    @Test
    void aCreateThatFailsOnTheHostIsUndone() {
        everyScriptExits(1);
        CountingConnector reachable = new CountingConnector();
        ProviderException e = assertThrows(ProviderException.class,
                () -> new WireGuardInterface(reachable).create(ctx("wg", false), wgInputs(reachable())));
        assertTrue(e.getMessage().contains("failed on host"), e.getMessage());
        assertEquals(2, reachable.dials.get(), "the create, then the undo: something may have been written");

        reachable.dials.set(0);
        assertThrows(ProviderException.class, () -> new ForwardRules(reachable).create(ctx("rules", false), rulesInputs(reachable())));
        assertEquals(2, reachable.dials.get(), "the create, then the undo");
    }

    @Test
    void aCreateTheHostRefusedBeforeChangingAnythingIsNotUndone() {
        // An undo would find only the other owner's objects, and warn about leaving them.
        for (int refusal : new int[] {73, 75}) {
            everyScriptExits(refusal);
            CountingConnector refusing = new CountingConnector();
            ProviderException wg = assertThrows(ProviderException.class,
                    () -> new WireGuardInterface(refusing).create(ctx("wg", false), wgInputs(reachable())));
            assertTrue(wg.getMessage().contains("(exit " + refusal + ")"), wg.getMessage());
            assertEquals(1, refusing.dials.get(), "no undo after exit " + refusal);

            refusing.dials.set(0);
            assertThrows(ProviderException.class, () -> new ForwardRules(refusing).create(ctx("rules", false), rulesInputs(reachable())));
            assertEquals(1, refusing.dials.get(), "no undo after exit " + refusal);
        }
    }

    @Test
    void onlyACreateThatReachedTheHostIsUndoneAndAFailedUndoIsAttached() {
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
