package dev.wgforward.provider.check;

/**
 * An IPv6 address together with the prefix length of its network, as written in {@code
 * fd77:42::1/64}. Like {@link Ipv4Cidr}, the address keeps its host bits: it is an interface
 * address, not a network. Printed in RFC 5952 canonical text (lowercase, no leading zeros, the
 * longest run of two or more zero groups compressed to {@code ::}), exactly as {@code ip} and
 * {@code nft list} print addresses, so that what wgforward writes compares equal to what it
 * reads back.
 *
 * @param high the upper 64 bits of the address
 * @param low the lower 64 bits of the address
 * @param prefix the prefix length, 0 to 128
 */
public record Ipv6Cidr(long high, long low, int prefix) {

    public Ipv6Cidr {
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("prefix length must be from 0 to 128, got " + prefix);
        }
    }

    /**
     * Parses {@code address/n} in any RFC 4291 text form.
     *
     * @throws IllegalArgumentException with the reason from {@link Validators#ipv6Cidr}
     */
    public static Ipv6Cidr parse(String text) {
        Validators.ipv6Cidr(text).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int slash = text.indexOf('/');
        long[] address = parseAddress(text.substring(0, slash));
        return new Ipv6Cidr(address[0], address[1], Integer.parseInt(text.substring(slash + 1)));
    }

    /** A single address as a /128. */
    public static Ipv6Cidr host(String address) {
        long[] value = parseAddress(address);
        return new Ipv6Cidr(value[0], value[1], 128);
    }

    /**
     * Parses an IPv6 address (any RFC 4291 form, an embedded IPv4 tail included) into its upper
     * and lower 64 bits.
     *
     * @throws IllegalArgumentException with the reason from {@link Validators#ipv6}
     */
    public static long[] parseAddress(String text) {
        Validators.ipv6(text).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int[] groups = new int[8];
        int doubleColon = text.indexOf("::");
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | groups[i];
            low = (low << 16) | groups[i + 4];
        }
        return new long[] {high, low};
    }

    /** The 16-bit groups of one side of a {@code ::}, an IPv4 tail counting as two. */
    private static int[] groups(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        boolean v4Tail = texts[texts.length - 1].indexOf('.') >= 0;
        int[] out = new int[texts.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < texts.length; i++) {
            if (v4Tail && i == texts.length - 1) {
                int v4 = Ipv4Cidr.parseAddress(texts[i]);
                out[i] = v4 >>> 16;
                out[i + 1] = v4 & 0xffff;
            } else {
                out[i] = Integer.parseInt(texts[i], 16);
            }
        }
        return out;
    }

    /** RFC 5952 text of an address given as its upper and lower 64 bits. */
    public static String formatAddress(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        // The longest run of at least two zero groups, the first one when two are as long (RFC 5952 4.2).
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /**
     * The RFC 5952 canonical text of an IPv6 address ({@code FD77:0042:0:0::0001} gives {@code
     * fd77:42::1}), or of an address with a prefix.
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static String canonical(String text) {
        if (text.indexOf('/') >= 0) {
            return parse(text).toString();
        }
        long[] value = parseAddress(text);
        return formatAddress(value[0], value[1]);
    }

    /** Whether {@code text} is an IPv6 address (or network) rather than an IPv4 one: it has a colon. */
    public static boolean isIpv6(String text) {
        return text != null && text.indexOf(':') >= 0;
    }

    /** The upper 64 bits of the netmask. */
    private long highMask() {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    /** The lower 64 bits of the netmask. */
    private long lowMask() {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    /** Whether {@code ipv6} (any text form) lies inside this network. */
    public boolean contains(String ipv6) {
        long[] value = parseAddress(ipv6);
        return (value[0] & highMask()) == (high & highMask()) && (value[1] & lowMask()) == (low & lowMask());
    }

    /** The address without its prefix, in canonical text, e.g. {@code fd77:42::1}. */
    public String hostAddress() {
        return formatAddress(high, low);
    }

    /** The first address of the network, e.g. {@code fd77:42::} for {@code fd77:42::1/64}. */
    public String networkAddress() {
        return formatAddress(high & highMask(), low & lowMask());
    }

    /** The network in canonical text with its prefix, e.g. {@code fd77:42::/64}. */
    public String network() {
        return networkAddress() + "/" + prefix;
    }

    /** Whether the address is the network's first one (its host bits all zero): the subnet-router anycast address. */
    public boolean isNetworkAddress() {
        return (high & highMask()) == high && (low & lowMask()) == low;
    }

    /**
     * The address with host number {@code hostNumber} in this network: {@code fd77:42::1/64} with
     * 2 gives {@code fd77:42::2}. The number must fit in the host bits.
     *
     * @throws IllegalArgumentException when it does not
     */
    public String withHostNumber(long hostNumber) {
        int hostBits = 128 - prefix;
        if (hostNumber < 0 || (hostBits < 63 && hostNumber >= 1L << hostBits)) {
            throw new IllegalArgumentException("host number " + hostNumber + " does not fit in " + network());
        }
        return formatAddress(high & highMask(), (low & lowMask()) | hostNumber);
    }

    /** Canonical text with the prefix, e.g. {@code fd77:42::1/64}. */
    @Override
    public String toString() {
        return hostAddress() + "/" + prefix;
    }
}
