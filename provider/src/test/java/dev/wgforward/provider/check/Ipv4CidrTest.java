package dev.wgforward.provider.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void parsesAndFormats() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("192.168.77.1/24");
        assertEquals(0xc0a84d01, cidr.address());
        assertEquals(24, cidr.prefix());
        assertEquals("192.168.77.1", cidr.hostAddress());
        assertEquals("192.168.77.0", cidr.networkAddress());
        assertEquals("192.168.77.255", cidr.broadcastAddress());
        assertEquals("192.168.77.1/24", cidr.toString());
        assertEquals(0xffffff00, cidr.mask());
    }

    @Test
    void highAddressesStayUnsigned() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("255.255.255.254/31");
        assertEquals("255.255.255.254", cidr.hostAddress());
        assertEquals("255.255.255.254", cidr.networkAddress());
        assertEquals("255.255.255.255", cidr.broadcastAddress());
    }

    @Test
    void contains() {
        Ipv4Cidr relay = Ipv4Cidr.parse("192.168.77.1/24");
        assertTrue(relay.contains("192.168.77.2"));
        assertTrue(relay.contains("192.168.77.255"));
        assertFalse(relay.contains("192.168.78.2"));
        assertFalse(relay.contains("10.0.0.1"));
        assertTrue(Ipv4Cidr.parse("10.1.2.3/0").contains("203.0.113.1"));
        assertTrue(Ipv4Cidr.parse("10.1.2.3/32").contains("10.1.2.3"));
        assertFalse(Ipv4Cidr.parse("10.1.2.3/32").contains("10.1.2.4"));
        assertThrows(IllegalArgumentException.class, () -> relay.contains("192.168.77.2;ls"));
    }

    @Test
    void edgePrefixes() {
        Ipv4Cidr all = Ipv4Cidr.parse("10.1.2.3/0");
        assertEquals("0.0.0.0", all.networkAddress());
        assertEquals("255.255.255.255", all.broadcastAddress());
        Ipv4Cidr host = Ipv4Cidr.parse("10.1.2.3/32");
        assertEquals("10.1.2.3", host.networkAddress());
        assertEquals("10.1.2.3", host.broadcastAddress());
    }

    @Test
    void networkOrBroadcastAddress() {
        assertTrue(Ipv4Cidr.parse("192.168.77.0/24").isNetworkOrBroadcastAddress());
        assertTrue(Ipv4Cidr.parse("192.168.77.255/24").isNetworkOrBroadcastAddress());
        assertFalse(Ipv4Cidr.parse("192.168.77.1/24").isNetworkOrBroadcastAddress());
        assertFalse(Ipv4Cidr.parse("192.168.77.254/24").isNetworkOrBroadcastAddress());
        // Point-to-point /31 and single-host /32 have no network or broadcast address to avoid.
        assertFalse(Ipv4Cidr.parse("192.168.77.0/31").isNetworkOrBroadcastAddress());
        assertFalse(Ipv4Cidr.parse("192.168.77.1/31").isNetworkOrBroadcastAddress());
        assertFalse(Ipv4Cidr.parse("192.168.77.0/32").isNetworkOrBroadcastAddress());
        assertTrue(Ipv4Cidr.parse("192.168.77.3/30").isNetworkOrBroadcastAddress());
    }

    @Test
    void rejectsInvalidInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("192.168.77.1/33"));
        assertEquals("must be an IPv4 address with a prefix length from /0 to /32, such as 192.168.77.1/24, got \"192.168.77.1/33\"",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("$(id)/24"));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(0, 33));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parseAddress("1.2.3.4\n"));
    }
}
