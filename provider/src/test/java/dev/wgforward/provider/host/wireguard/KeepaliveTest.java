package dev.wgforward.provider.host.wireguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A declared keepalive and what wg shows of it round-trip: 0 and none are both off, and neither is drift. */
class KeepaliveTest {

    @Test
    void noneAndZeroAreBothOffInThePeer() {
        assertEquals(OptionalInt.empty(), WgPeer.keepalive(null));
        assertEquals(OptionalInt.empty(), WgPeer.keepalive(0));
        assertEquals(OptionalInt.of(25), WgPeer.keepalive(25));
    }

    @Test
    void offReadsBackAsTheDeclaredForm() {
        WgHostScripts.ObservedPeer off = new WgHostScripts.ObservedPeer("k", List.of(), Optional.empty(), Optional.empty());
        assertEquals(0, off.keepaliveAsDeclared(0));
        assertNull(off.keepaliveAsDeclared(null));
        assertNull(off.keepaliveAsDeclared(25), "declared 25 but off on the host: drift");
    }

    @Test
    void aRunningKeepaliveReadsBackAsIs() {
        WgHostScripts.ObservedPeer on = new WgHostScripts.ObservedPeer("k", List.of(), Optional.empty(), Optional.of(25));
        assertEquals(25, on.keepaliveAsDeclared(25));
        assertEquals(25, on.keepaliveAsDeclared(0));
        assertEquals(25, on.keepaliveAsDeclared(null));
    }
}
