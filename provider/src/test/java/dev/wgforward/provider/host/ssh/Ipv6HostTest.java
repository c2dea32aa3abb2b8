package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host whose connection address is an IPv6 literal ({@code connection.host: "2001:db8::10"}), as a
 * relay reached over IPv6 is: the in-process server listens on ::1 only, so nothing but an IPv6
 * connection can reach it. The lab's hosts are reached through forwarders on 127.0.0.1, which is
 * why this is tested here.
 */
class Ipv6HostTest {
    private static final String PASSWORD = "v6-host-pw-7d1e";
    private static final String JUMP_PASSWORD = "v4-jump-pw-91c0";

    @RegisterExtension
    static final MinaSshServerExtension SERVER = MinaSshServerExtension.builder().host("::1").password("root", PASSWORD).build();

    /** A jump host on IPv4 in front of the IPv6 host. */
    @RegisterExtension
    static final MinaSshServerExtension JUMP = MinaSshServerExtension.builder().password("jumper", JUMP_PASSWORD).jumpHost().build();

    private final List<String> retries = new ArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(target.endpoint() + ": " + reason);
    private final SshConnector connector = new SshjConnector(Map.of());

    @Test
    void aHostIsReachedByItsIpv6AddressWithItsHostKeyPinned() {
        SshTarget target = SERVER.target("root").password(PASSWORD).hostKey(SERVER.hostKey()).build();
        assertEquals("root@[::1]:" + SERVER.port(), target.label(), "the port must not read as part of the address");
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("over-ipv6\n", session.run("echo over-ipv6", Duration.ofSeconds(10)).stdout());
            assertEquals(SERVER.hostKey(), session.hostKey());
        }
        assertEquals(List.of(), retries);
    }

    @Test
    void anIpv6HostIsReachedThroughAJumpHostOnIpv4() {
        SshTarget jump = JUMP.target("jumper").password(JUMP_PASSWORD).hostKey(JUMP.hostKey()).build();
        SshTarget target = SERVER.target("root").password(PASSWORD).hostKey(SERVER.hostKey()).proxy(jump).build();
        try (HostSession session = connector.open(target, listener)) {
            assertEquals("via-jump\n", session.run("echo via-jump", Duration.ofSeconds(10)).stdout());
        }
        assertEquals(1, JUMP.forwardedTo().size(), JUMP.forwardedTo()::toString);
        assertTrue(JUMP.forwardedTo().get(0).endsWith(":" + SERVER.port()), JUMP.forwardedTo()::toString);
    }

    @Test
    void anUnreachableIpv6HostIsNamedWithBrackets() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            port = socket.getLocalPort();
        }
        SshTarget target = SshTarget.builder("::1").port(port).password(PASSWORD).dialErrorLimit(1).build();
        HostUnreachableException e = assertThrows(HostUnreachableException.class, () -> connector.open(target, listener));
        assertTrue(e.getMessage().startsWith("root@[::1]:" + port + ": unreachable"), e::getMessage);
    }
}
