package dev.wgforward.provider.host.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HostKeyPinningTest {
    private static final String PASSWORD = "pin-test-password-0c2";

    @RegisterExtension
    static final MinaSshServerExtension SERVER = MinaSshServerExtension.builder().password("root", PASSWORD).build();

    /** Another server's key: a well-formed key that is not this host's. */
    @RegisterExtension
    static final MinaSshServerExtension IMPOSTOR = MinaSshServerExtension.builder().password("root", PASSWORD).build();

    private final List<String> retries = new ArrayList<>();
    private final DialListener listener = (target, attempt, limit, reason) -> retries.add(reason);
    private final SshConnector connector = new SshjConnector(Map.of());

    private SshTarget.Builder target() {
        return SERVER.target("root").password(PASSWORD).dialErrorLimit(5);
    }

    @Test
    void theRightPinnedKeyIsAccepted() {
        try (HostSession session = connector.open(target().hostKey(SERVER.hostKey() + " a comment").build(), listener)) {
            assertEquals(SERVER.hostKey(), session.hostKey());
            assertEquals("ok\n", session.run("echo ok", Duration.ofSeconds(10)).stdout());
        }
    }

    @Test
    void anyOfSeveralPinnedKeysIsAccepted() {
        String both = IMPOSTOR.hostKey() + "\n" + SERVER.hostKey() + "\n";
        try (HostSession session = connector.open(target().hostKey(both).build(), listener)) {
            assertEquals(SERVER.hostKey(), session.hostKey());
        }
    }

    @Test
    void aWrongPinnedKeyFailsAtOnceNamingBothFingerprints() {
        SshTarget target = target().hostKey(IMPOSTOR.hostKey()).build();
        HostKeyMismatchException e = assertThrows(HostKeyMismatchException.class, () -> connector.open(target, listener));
        String expected = HostKeys.fingerprint(IMPOSTOR.hostKey());
        String actual = HostKeys.fingerprint(SERVER.hostKey());
        assertEquals(List.of(expected), e.expectedFingerprints());
        assertEquals(actual, e.actualFingerprint());
        assertEquals(SERVER.hostKey(), e.actualKey());
        assertTrue(e.getMessage().startsWith(target.label() + ": host key mismatch"), e::getMessage);
        assertTrue(e.getMessage().contains("expected " + expected), e::getMessage);
        assertTrue(e.getMessage().contains("presented " + actual), e::getMessage);
        assertTrue(e.getMessage().contains("update hostKey"), e::getMessage);
        assertEquals(List.of(), retries, "a host key mismatch must not be retried");
        assertEquals(List.of(), SERVER.commandLines());
    }

    @Test
    void trustOnFirstUseReportsTheServersRealKey() {
        SshTarget target = target().build();
        try (HostSession session = connector.open(target, listener)) {
            assertEquals(SERVER.hostKey(), session.hostKey());
            assertEquals(HostKeys.fingerprint(SERVER.hostKey()), HostKeys.fingerprint(session.hostKey()));
            if (MinaSshServerExtension.ed25519Supported()) {
                assertTrue(session.hostKey().startsWith("ssh-ed25519 AAAA"), session::hostKey);
            }
        }
    }

    @Test
    void anExplicitPolicyPinsTheKeySeenBefore() {
        SshTarget target = target().build();
        String seen;
        try (HostSession first = connector.open(target, HostKeyPolicy.trustOnFirstUse(), listener)) {
            seen = first.hostKey();
        }
        try (HostSession second = connector.open(target, HostKeyPolicy.pinned(seen), listener)) {
            assertEquals(seen, second.hostKey());
        }
        assertThrows(HostKeyMismatchException.class,
                () -> connector.open(target, HostKeyPolicy.pinned(IMPOSTOR.hostKey()), listener));
    }

    @Test
    void policiesAreValidated() {
        assertThrows(IllegalArgumentException.class, HostKeyPolicy::pinned);
        assertThrows(IllegalArgumentException.class, () -> HostKeyPolicy.pinned("not a key"));
        assertEquals(HostKeyPolicy.trustOnFirstUse(), HostKeyPolicy.forTarget(target().build()));
        assertEquals(HostKeyPolicy.pinned(SERVER.hostKey()),
                HostKeyPolicy.forTarget(target().hostKey(SERVER.hostKey() + " comment").build()));
    }
}
