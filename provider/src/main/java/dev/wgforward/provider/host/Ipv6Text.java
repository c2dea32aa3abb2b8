package dev.wgforward.provider.host;

import dev.wgforward.provider.check.Ipv6Cidr;
import dev.wgforward.provider.check.Validators;
import java.util.Optional;

/**
 * IPv6 addresses as the host layer writes them: in RFC 5952 canonical text (lower case, no
 * leading zeros, the longest run of two or more zero groups as {@code ::}), which is how {@code
 * nft list}, {@code ip} and {@code wg} print them, so that what wgforward writes reads back equal.
 * The resources layer hands over canonical text already; canonicalizing again here is cheap and
 * keeps a listing comparable even when it did not. Parsing, formatting and the unicast rule are
 * check/'s ({@link Ipv6Cidr}, {@link Validators}): one implementation for Check and the hosts.
 */
public final class Ipv6Text {
    private Ipv6Text() {}

    /** Whether {@code value} is written as an IPv6 address (or CIDR): it has a colon, which no IPv4 form has. */
    public static boolean isIpv6(String value) {
        return Ipv6Cidr.isIpv6(value);
    }

    /** The canonical text of a valid IPv6 address ({@link Validators#ipv6}); throws for anything else. */
    public static String canonical(String address) {
        if (address.indexOf('/') >= 0) {
            throw new IllegalArgumentException("must be an IPv6 address without a prefix, got " + Validators.displayValue(address));
        }
        return Ipv6Cidr.canonical(address);
    }

    /** {@code fd77:42::1/64} with the address part canonical and the prefix as given (0 to 128). */
    public static String canonicalCidr(String cidr) {
        if (cidr.indexOf('/') < 0) {
            throw new IllegalArgumentException("must be an IPv6 address with a prefix length such as fd77:42::1/64, got "
                    + Validators.displayValue(cidr));
        }
        return Ipv6Cidr.parse(cidr).toString();
    }

    /** The network of an IPv6 CIDR, canonical: {@code fd77:42::1/64} gives {@code fd77:42::/64}. */
    public static String network(String cidr) {
        return Ipv6Cidr.parse(cidr).network();
    }

    /** The address part of a CIDR (or the address itself). */
    public static String addressOf(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    /**
     * Why a (valid) IPv6 address is no single host a relay can forward to, if it is not: the one
     * rule Check applies too ({@link Validators#notUnicast6}).
     */
    public static Optional<String> notUnicast(String address) {
        return Validators.notUnicast6(address);
    }
}
