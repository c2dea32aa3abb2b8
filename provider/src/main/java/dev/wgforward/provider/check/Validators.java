package dev.wgforward.provider.check;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation of user inputs. Every function returns empty when the value is valid, otherwise a
 * reason meant for the user. Reasons are phrased to follow the name of the field ("port must be a
 * port number from 1 to 65535, got 70000"), say what is allowed, and show the rejected value with
 * control characters escaped, except for keys, which may be private and are never echoed.
 *
 * <p>These rules are deliberately narrower than what the kernel or the tools accept: every value
 * ends up in shell scripts, firewall rules and config files on remote hosts, so only characters
 * with no special meaning in any of them are let through.
 */
public final class Validators {
    private Validators() {}

    /** The rejected value is shown at most this long, so that a huge input can't flood a message. */
    private static final int MAX_SHOWN_CHARS = 80;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV4_CIDR = Pattern.compile("([0-9.]+)/(\\d{1,2})");
    private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?");
    private static final Pattern ALL_DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    private static final Pattern PORT_DIGITS = Pattern.compile("\\d{1,5}");

    /** A TCP or UDP port: 1 to 65535 (0 means "any port" to the kernel, so it is never a real port). */
    public static Optional<String> port(long port) {
        if (port < 1 || port > 65535) {
            return Optional.of("must be a port number from 1 to 65535, got " + port);
        }
        return Optional.empty();
    }

    /** An IPv4 address in dotted-decimal form, four numbers from 0 to 255 without leading zeros. */
    public static Optional<String> ipv4(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must be an IPv4 address such as 192.168.77.1, but it is empty");
        }
        Matcher matcher = IPV4.matcher(value);
        if (!matcher.matches()) {
            return Optional.of("must be an IPv4 address in dotted-decimal form such as 192.168.77.1, got " + displayValue(value));
        }
        for (int group = 1; group <= 4; group++) {
            String octet = matcher.group(group);
            if (Integer.parseInt(octet) > 255) {
                return Optional.of("must be an IPv4 address whose four numbers are each from 0 to 255, got " + displayValue(value));
            }
            // inet_aton and friends read 010 as octal 8, other tools as decimal 10: refuse the ambiguity.
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                return Optional.of("must be an IPv4 address written without leading zeros (some tools read them as octal), got "
                        + displayValue(value));
            }
        }
        return Optional.empty();
    }

    /** An IPv4 address with a prefix length from /0 to /32, e.g. {@code 192.168.77.1/24}. */
    public static Optional<String> ipv4Cidr(String value) {
        String expected = "must be an IPv4 address with a prefix length from /0 to /32, such as 192.168.77.1/24, got ";
        if (value == null || value.isEmpty()) {
            return Optional.of("must be an IPv4 address with a prefix length from /0 to /32, such as 192.168.77.1/24, but it is empty");
        }
        Matcher matcher = IPV4_CIDR.matcher(value);
        if (!matcher.matches()) {
            return Optional.of(expected + displayValue(value));
        }
        if (ipv4(matcher.group(1)).isPresent()) {
            return Optional.of(expected + displayValue(value));
        }
        if (Integer.parseInt(matcher.group(2)) > 32 || (matcher.group(2).length() > 1 && matcher.group(2).charAt(0) == '0')) {
            return Optional.of(expected + displayValue(value));
        }
        return Optional.empty();
    }

    /**
     * A Linux network interface name: 1 to 15 characters from {@code a-z A-Z 0-9 _ = + . -}.
     * Linux itself allows more; these are the characters that need no quoting in ip(8), nft and
     * iptables rules or chain names. A leading {@code -} would read as an option, and a trailing
     * {@code +} is a wildcard to iptables ({@code -i wg+} matches every interface starting with
     * "wg"), so both are refused.
     */
    public static Optional<String> interfaceName(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must be a network interface name such as wgf0, but it is empty");
        }
        if (value.length() > 15) {
            return Optional.of("must be at most 15 characters long (the Linux limit for interface names), got "
                    + value.length() + " characters: " + displayValue(value));
        }
        if (!INTERFACE_NAME.matcher(value).matches()) {
            return Optional.of("may only contain letters, digits and the characters _ = + . - (such as wgf0), got " + displayValue(value));
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("must not be \".\" or \"..\", which Linux reserves, got " + displayValue(value));
        }
        if (value.startsWith("-")) {
            return Optional.of("must not start with '-' (it would be read as a command option), got " + displayValue(value));
        }
        if (value.endsWith("+")) {
            return Optional.of("must not end with '+' (iptables reads a trailing + as a wildcard), got " + displayValue(value));
        }
        return Optional.empty();
    }

    /** A transport protocol: {@code tcp} or {@code udp}, in lower case. */
    public static Optional<String> protocol(String value) {
        if ("tcp".equals(value) || "udp".equals(value)) {
            return Optional.empty();
        }
        return Optional.of("must be \"tcp\" or \"udp\", got " + displayValue(value));
    }

    /**
     * A WireGuard key as {@code wg genkey} and {@code wg pubkey} print it: 32 bytes in standard
     * base64 with padding, 44 characters ending in {@code =}. The value is not echoed: it may be a
     * private key.
     */
    public static Optional<String> wireguardKey(String value) {
        String expected = "must be a WireGuard key as printed by \"wg genkey\" or \"wg pubkey\": 44 characters of base64 ending in '='";
        if (value == null || value.isEmpty()) {
            return Optional.of(expected + ", but it is empty");
        }
        if (value.length() != 44) {
            return Optional.of(expected + ", got " + value.length() + " characters");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            return Optional.of(expected + ", got characters that are not base64");
        }
        // wg(8) refuses a key whose unused last bits aren't zero; Java's decoder would accept it,
        // so insist on the canonical encoding.
        if (decoded.length != 32 || !Base64.getEncoder().encodeToString(decoded).equals(value)) {
            return Optional.of(expected + ", got a value that does not encode exactly 32 bytes");
        }
        return Optional.empty();
    }

    /**
     * A host to connect to: a DNS name, an IPv4 address, or an IPv6 address (without brackets).
     * DNS names are dot-separated labels of letters, digits, hyphens and underscores, each 1 to 63
     * characters not starting or ending with a hyphen, 253 characters in all, optionally ending
     * in a dot.
     */
    public static Optional<String> hostname(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("must be a host name or IP address such as relay.example.com or 203.0.113.10, but it is empty");
        }
        if (value.indexOf(':') >= 0) {
            if (value.startsWith("[") && value.endsWith("]")) {
                return Optional.of("must be an IPv6 address without brackets, such as 2001:db8::1, got " + displayValue(value));
            }
            return ipv6(value);
        }
        return dnsNameOrIpv4(value);
    }

    /**
     * A WireGuard endpoint: {@code host:port} with a DNS name or IPv4 address as host, or {@code
     * [ipv6]:port}.
     */
    public static Optional<String> endpoint(String value) {
        String expected = "must be host:port, such as relay.example.com:51820, 203.0.113.10:51820 or [2001:db8::1]:51820, got ";
        if (value == null || value.isEmpty()) {
            return Optional.of("must be host:port, such as relay.example.com:51820, but it is empty");
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            if (close < 0) {
                return Optional.of(expected + displayValue(value));
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
            Optional<String> hostProblem = ipv6(host);
            if (hostProblem.isPresent()) {
                return Optional.of("must have an IPv6 address inside the brackets, such as [2001:db8::1]:51820, got " + displayValue(value));
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon < 0) {
                return Optional.of(expected + displayValue(value));
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                return Optional.of("must write an IPv6 address in brackets, such as [2001:db8::1]:51820, got " + displayValue(value));
            }
            Optional<String> hostProblem = dnsNameOrIpv4(host);
            if (hostProblem.isPresent()) {
                return Optional.of("must have a host name or IPv4 address before the ':', such as relay.example.com:51820, got "
                        + displayValue(value));
            }
        }
        if (!PORT_DIGITS.matcher(port).matches()) {
            return Optional.of("must end in ':' and a port number from 1 to 65535, such as relay.example.com:51820, got " + displayValue(value));
        }
        if (port(Long.parseLong(port)).isPresent()) {
            return Optional.of("must have a port number from 1 to 65535 after the ':', got " + displayValue(value));
        }
        return Optional.empty();
    }

    /** An IPv6 address in any RFC 4291 text form, including an embedded IPv4 tail; no zone index. */
    public static Optional<String> ipv6(String value) {
        String expected = "must be an IPv6 address such as 2001:db8::1 (without a %zone), got ";
        if (value == null || value.isEmpty()) {
            return Optional.of("must be an IPv6 address such as 2001:db8::1, but it is empty");
        }
        int doubleColon = value.indexOf("::");
        if (doubleColon >= 0 && value.indexOf("::", doubleColon + 1) >= 0) {
            return Optional.of(expected + displayValue(value));
        }
        String head = doubleColon >= 0 ? value.substring(0, doubleColon) : value;
        String tail = doubleColon >= 0 ? value.substring(doubleColon + 2) : "";
        int groups = 0;
        String[] headGroups = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] tailGroups = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        String[] last = doubleColon >= 0 ? tailGroups : headGroups;
        for (String[] part : new String[][] {headGroups, tailGroups}) {
            for (int i = 0; i < part.length; i++) {
                boolean isLastOfAddress = part == last && i == part.length - 1;
                if (isLastOfAddress && part[i].indexOf('.') >= 0) {
                    if (ipv4(part[i]).isPresent()) {
                        return Optional.of(expected + displayValue(value));
                    }
                    groups += 2;
                } else if (HEX_GROUP.matcher(part[i]).matches()) {
                    groups += 1;
                } else {
                    return Optional.of(expected + displayValue(value));
                }
            }
        }
        boolean complete = doubleColon >= 0 ? groups <= 7 : groups == 8;
        if (!complete) {
            return Optional.of(expected + displayValue(value));
        }
        return Optional.empty();
    }

    private static Optional<String> dnsNameOrIpv4(String value) {
        if (value.isEmpty()) {
            return Optional.of("must be a host name or IP address such as relay.example.com or 203.0.113.10, but it is empty");
        }
        // A name made only of digits and dots is no DNS name (no top-level domain is numeric):
        // the user meant an IPv4 address, so say what is wrong with it as one.
        if (ALL_DIGITS_AND_DOTS.matcher(value).matches()) {
            return ipv4(value);
        }
        String expected = "must be a host name (dot-separated labels of letters, digits, '-' and '_', such as relay.example.com) "
                + "or an IP address, got ";
        String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        if (name.isEmpty() || name.length() > 253) {
            return Optional.of(expected + displayValue(value));
        }
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return Optional.of(expected + displayValue(value));
            }
        }
        return Optional.empty();
    }

    /**
     * A rejected value as shown in a message: quoted, with control and non-ASCII characters
     * escaped (so a newline can't forge a second log line), and shortened when long.
     */
    public static String displayValue(String value) {
        if (value == null) {
            return "nothing";
        }
        StringBuilder out = new StringBuilder("\"");
        int end = Math.min(value.length(), MAX_SHOWN_CHARS);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (value.length() > MAX_SHOWN_CHARS) {
            out.append(" (").append(value.length()).append(" characters, shortened)");
        }
        return out.toString();
    }
}
