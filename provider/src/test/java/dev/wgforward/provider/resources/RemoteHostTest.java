package dev.wgforward.provider.resources;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wgforward.provider.framework.EngineLog;
import dev.wgforward.provider.framework.ProviderException;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.ssh.HostUnreachableException;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteHostTest {
    private static final String URN = "urn:pulumi:dev::p::wgforward:index:PortForward$wgforward:index:ForwardRules::forward-forwards";

    @Test
    void anUnreachableHostSaysHowToForgetTheResourceWhenTheHostIsGone() {
        SshConnector unreachable = (target, policy, listener, redactor) -> {
            throw new HostUnreachableException(target.endpoint(), 10, "connection refused", null);
        };
        ResourceContext ctx = new ResourceContext(URN, "forward-forwards", false, EngineLog.DISCARD, () -> false, Optional.empty());
        ConnectionArgs connection = new ConnectionArgs("203.0.113.1", 22, "root", "key-material", null, null, null, null, null,
                null, null, null);
        ProviderException e = assertThrows(ProviderException.class,
                () -> RemoteHost.open(ctx, unreachable, "relay", connection, null, Redactor.of()));
        assertTrue(e.getMessage().contains("pulumi state delete '" + URN + "'"), e.getMessage());
        assertTrue(!e.getMessage().contains("key-material"), e.getMessage());
    }
}
