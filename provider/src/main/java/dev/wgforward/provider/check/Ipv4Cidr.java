package dev.wgforward.provider.check;

/**
 * An IPv4 address together with the prefix length of its network, as written in {@code
 * 192.168.77.1/24}. The address keeps its host bits: it is an interface address, not a network.
 *
 * @param address the address as an unsigned 32-bit value stored in an int
 * @param prefix the prefix length, 0 to 32
 */
public record Ipv4Cidr(int address, int prefix) {

    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length must be from 0 to 32, got " + prefix);
        }
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @throws IllegalArgumentException with the reason from {@link Validators#ipv4Cidr} when the
     *     text is not such a value
     */
    public static Ipv4Cidr parse(String text) {
        Validators.ipv4Cidr(text).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int slash = text.indexOf('/');
        return new Ipv4Cidr(parseAddress(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
    }

    /**
     * Parses a dotted-decimal IPv4 address into its 32-bit value.
     *
     * @throws IllegalArgumentException with the reason from {@link Validators#ipv4}
     */
    public static int parseAddress(String text) {
        Validators.ipv4(text).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        String[] octets = text.split("\\.");
        int value = 0;
        for (String octet : octets) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    /** Formats a 32-bit value as a dotted-decimal IPv4 address. */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** The netmask as a 32-bit value ({@code /24} gives 0xffffff00). */
    public int mask() {
        // A shift by 32 is a no-op in Java, so /0 needs its own case.
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** Whether {@code ipv4} (dotted decimal) lies inside this network. */
    public boolean contains(String ipv4) {
        return (parseAddress(ipv4) & mask()) == (address & mask());
    }

    /** The address without its prefix, e.g. {@code 192.168.77.1}. */
    public String hostAddress() {
        return formatAddress(address);
    }

    /** The first address of the network, e.g. {@code 192.168.77.0} for {@code 192.168.77.1/24}. */
    public String networkAddress() {
        return formatAddress(address & mask());
    }

    /** The last address of the network, e.g. {@code 192.168.77.255} for {@code 192.168.77.1/24}. */
    public String broadcastAddress() {
        return formatAddress((address & mask()) | ~mask());
    }

    /**
     * Whether the address is the network or broadcast address of its network and so cannot be
     * given to a host. Always false for /31 (point-to-point links, RFC 3021, use both addresses)
     * and /32 (a single host).
     */
    public boolean isNetworkOrBroadcastAddress() {
        if (prefix >= 31) {
            return false;
        }
        return address == (address & mask()) || address == ((address & mask()) | ~mask());
    }

    @Override
    public String toString() {
        return hostAddress() + "/" + prefix;
    }
}
