package dev.wgforward.provider.host;

import dev.wgforward.provider.check.Validators;
import java.math.BigInteger;
import java.util.Optional;

/**
 * IPv6 addresses as the host layer writes them: in RFC 5952 canonical text (lower case, no
 * leading zeros, the longest run of two or more zero groups as {@code ::}), which is how {@code
 * nft list}, {@code ip} and {@code wg} print them, so that what wgforward writes reads back equal.
 * The resources layer hands over canonical text already; canonicalizing again here is cheap and
 * keeps a listing comparable even when it did not.
 */
public final class Ipv6Text {
    private Ipv6Text() {}

    /** Whether {@code value} is written as an IPv6 address (or CIDR): it has a colon, which no IPv4 form has. */
    public static boolean isIpv6(String value) {
        return value != null && value.indexOf(':') >= 0;
    }

    /** The canonical text of a valid IPv6 address ({@link Validators#ipv6}); throws for anything else. */
    public static String canonical(String address) {
        return format(parse(address));
    }

    /** {@code fd77:42::1/64} with the address part canonical; the prefix is kept as written (validated by the caller). */
    public static String canonicalCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("must be an IPv6 address with a prefix length such as fd77:42::1/64, got "
                    + Validators.displayValue(cidr));
        }
        return canonical(cidr.substring(0, slash)) + "/" + prefixOf(cidr);
    }

    /** The network of an IPv6 CIDR, canonical: {@code fd77:42::1/64} gives {@code fd77:42::/64}. */
    public static String network(String cidr) {
        int slash = cidr.indexOf('/');
        int prefix = prefixOf(cidr);
        BigInteger address = new BigInteger(1, parse(cidr.substring(0, slash)));
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).shiftRight(128 - prefix).shiftLeft(128 - prefix);
        byte[] raw = address.and(mask).toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        return format(bytes) + "/" + prefix;
    }

    /** The address part of a CIDR (or the address itself). */
    public static String addressOf(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    /**
     * Why a (syntactically valid, canonical) IPv6 address is no single host a relay can forward
     * to, if it is not: the unspecified address, loopback, multicast, link-local (needs an
     * interface, which a forward has no way to name), or an IPv4-mapped address (an IPv4 target
     * is written as IPv4).
     */
    public static Optional<String> notUnicast(String address) {
        byte[] b = parse(address);
        boolean zeroUpTo10 = true;
        for (int i = 0; i < 10; i++) {
            zeroUpTo10 &= b[i] == 0;
        }
        BigInteger value = new BigInteger(1, b);
        if (value.signum() == 0) {
            return Optional.of("the unspecified address ::, not a host to send to");
        }
        if (value.equals(BigInteger.ONE)) {
            return Optional.of("the loopback address, which the kernel never forwards to");
        }
        if ((b[0] & 0xff) == 0xff) {
            return Optional.of("a multicast address (ff00::/8), not the address of one host");
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return Optional.of("a link-local address (fe80::/10), which only means something together with an interface;"
                    + " use the target's global or unique-local (fd00::/8) address");
        }
        if (zeroUpTo10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return Optional.of("an IPv4-mapped address; write an IPv4 target as IPv4");
        }
        return Optional.empty();
    }

    private static int prefixOf(String cidr) {
        String prefix = cidr.substring(cidr.indexOf('/') + 1);
        if (!prefix.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefix) > 128) {
            throw new IllegalArgumentException("must be an IPv6 address with a prefix length from /0 to /128, got "
                    + Validators.displayValue(cidr));
        }
        return Integer.parseInt(prefix);
    }

    /** The 16 bytes of a valid IPv6 address, parsed by hand (no resolver involved, embedded IPv4 allowed). */
    static byte[] parse(String address) {
        Validators.ipv6(address).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        int[] groups = new int[8];
        int doubleColon = address.indexOf("::");
        String head = doubleColon >= 0 ? address.substring(0, doubleColon) : address;
        String tail = doubleColon >= 0 ? address.substring(doubleColon + 2) : "";
        int[] headGroups = groupsOf(head);
        int[] tailGroups = groupsOf(tail);
        System.arraycopy(headGroups, 0, groups, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, groups, 8 - tailGroups.length, tailGroups.length);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (groups[i] >> 8);
            bytes[2 * i + 1] = (byte) groups[i];
        }
        return bytes;
    }

    private static int[] groupsOf(String part) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] texts = part.split(":", -1);
        boolean embeddedIpv4 = texts[texts.length - 1].indexOf('.') >= 0;
        int[] groups = new int[texts.length + (embeddedIpv4 ? 1 : 0)];
        for (int i = 0; i < texts.length; i++) {
            if (embeddedIpv4 && i == texts.length - 1) {
                String[] octets = texts[i].split("\\.");
                groups[i] = Integer.parseInt(octets[0]) << 8 | Integer.parseInt(octets[1]);
                groups[i + 1] = Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]);
            } else {
                groups[i] = Integer.parseInt(texts[i], 16);
            }
        }
        return groups;
    }

    /** RFC 5952 section 4: the longest run (the first of equal ones) of at least two zero groups becomes {@code ::}. */
    static String format(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength && i - start >= 2) {
                bestStart = start;
                bestLength = i - start;
            }
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
}
