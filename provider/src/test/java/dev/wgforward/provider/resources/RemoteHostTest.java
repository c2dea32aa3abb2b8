package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.ssh.CancelToken;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostOperationStoppedException;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshjConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RemoteHostTest {
    private static final String URN = "urn:pulumi:dev::p::wgforward:index:PortForward$wgforward:index:ForwardRules::forward-forwards";

    @Test
    void anUnreachableHostSaysHowToForgetTheResourceWhenTheHostIsGone() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed: connection refused, as from a host that is gone
        }
        ResourceContext ctx = new ResourceContext(URN, "forward-forwards", false, EngineLog.DISCARD, () -> false, Optional.empty());
        ConnectionArgs connection = new ConnectionArgs("127.0.0.1", closedPort, "root", null, null, "password-material", null, null,
                null, 1, 0, 5);
        ProviderException e = assertThrows(ProviderException.class,
                () -> RemoteHost.open(ctx, new SshjConnector(), "relay", connection, null, Redactor.of("password-material")));
        assertTrue(e.getMessage().contains("pulumi state delete '" + URN + "'"), e.getMessage());
        assertTrue(!e.getMessage().contains("password-material"), e.getMessage());
    }

    @Test
    void theEnginesCancelAndTheOperationsDeadlineReachTheDial() {
        AtomicReference<CancelToken> seen = new AtomicReference<>();
        SshConnector recording = new SshConnector() {
            @Override
            public HostSession open(SshTarget target, HostKeyPolicy policy, DialListener listener, Redactor redactor) {
                throw new AssertionError("the cancellable variant must be used");
            }

            @Override
            public HostSession open(SshTarget target, HostKeyPolicy policy, DialListener listener, Redactor redactor,
                    CancelToken cancel) {
                seen.set(cancel);
                throw new HostOperationStoppedException(target.endpoint(), "cancelled while dialing", true);
            }
        };
        AtomicBoolean cancelled = new AtomicBoolean();
        // customTimeouts of 20s on an operation that began 30s ago.
        ResourceContext ctx = new ResourceContext(URN, "forward-forwards", false, EngineLog.DISCARD, cancelled::get,
                Optional.of(Duration.ofSeconds(20)), System.nanoTime() - Duration.ofSeconds(30).toNanos());
        ConnectionArgs connection = new ConnectionArgs("203.0.113.1", 22, "root", "key-material", null, null, null, null, null,
                null, null, null);
        ProviderException e = assertThrows(ProviderException.class,
                () -> RemoteHost.open(ctx, recording, "relay", connection, null, Redactor.of()));
        assertEquals("relay: root@203.0.113.1:22: cancelled while dialing", e.getMessage());
        assertTrue(seen.get().isTimedOut());
        assertFalse(seen.get().isCancelled());
        cancelled.set(true);
        assertTrue(seen.get().isCancelled());
    }
}
