package dev.wgforward.provider.check;

import java.time.Duration;
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
    private static final Pattern IPV6_PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern PEER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** Tunnel networks larger than a /8 would route a large part of all addresses into the tunnel. */
    static final int MIN_TUNNEL_PREFIX = 8;
    /** A relay's network needs at least one more address, the client's. */
    static final int MAX_RELAY_PREFIX = 30;
    static final int MIN_IPV6_ROUTE_PREFIX = 16;
    /** An IPv6 tunnel network is at most a /64, the size a site gives one link. */
    static final int MIN_TUNNEL_PREFIX6 = 64;
    /** A relay's IPv6 network needs room for a client too: a /127 (RFC 6164) is the least. */
    static final int MAX_RELAY_PREFIX6 = 127;
    static final int MIN_MTU = 1280;
    static final int MAX_MTU = 9000;
    /** The longest pause between SSH dials and the longest single dial: an hour. */
    static final Duration MAX_DIAL_DURATION = Duration.ofHours(1);
    /** How long the relay may try each forward's target in getTunnelStatus. */
    static final int MAX_CONNECT_TIMEOUT_SECONDS = 60;

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
     * The target of a forward: a unicast IPv4 address the relay can send a forwarded packet to.
     * The kernel drops forwarded packets to loopback (unless route_localnet is set) and never
     * routes to 0.0.0.0/8, multicast, the reserved 240.0.0.0/4 or the limited broadcast address,
     * so such a forward would install fine and then silently lead nowhere.
     */
    public static Optional<String> forwardTargetHost(String value) {
        if (value != null && value.indexOf(':') >= 0) {
            return forwardTargetHost6(value);
        }
        Optional<String> syntax = ipv4(value);
        if (syntax.isPresent()) {
            return syntax.map(reason -> reason + " (the target's IPv4 or IPv6 address as the relay reaches it)");
        }
        return notUnicast(value).map(why -> "must be the unicast IPv4 address of a host the relay reaches over its network, such as "
                + "192.168.1.10, but " + value + " is " + why + (isLoopback(value)
                        ? "; a service on the relay itself needs no forward: connect to the relay's tunnel address directly"
                        : ""));
    }

    /**
     * An IPv6 target of a forward: a global or unique-local unicast address. The unspecified
     * address, loopback, multicast and IPv4-mapped addresses lead nowhere (as their IPv4
     * counterparts do), and a link-local address (fe80::/10) names a host only together with an
     * interface (a zone), which a forward's target has no place for.
     */
    private static Optional<String> forwardTargetHost6(String value) {
        if (ipv6(value).isPresent()) {
            return Optional.of("must be an IPv4 or IPv6 address as the relay reaches the target, without a port (that is targetPort)"
                    + " or a %zone, such as 192.168.1.10 or 2001:db8:200::2, got " + displayValue(value));
        }
        return notUnicast6(value).map(why -> "must be the unicast IPv6 address of a host the relay reaches over its network, such as "
                + "2001:db8:200::2, but " + value + " is " + why
                + (Ipv6Cidr.canonical(value).equals("::1")
                        ? "; a service on the relay itself needs no forward: connect to the relay's tunnel address directly"
                        : ""));
    }

    /**
     * Why a valid IPv6 address is no address of a single host that can be reached without a zone,
     * if it isn't: the unspecified address, loopback, multicast, link-local, IPv4-mapped.
     */
    public static Optional<String> notUnicast6(String ipv6) {
        long[] address = Ipv6Cidr.parseAddress(ipv6);
        long high = address[0];
        long low = address[1];
        if (high == 0 && low == 0) {
            return Optional.of("the unspecified address ::, which means \"any address\", not a host to send to");
        }
        if (high == 0 && low == 1) {
            return Optional.of("the loopback address, which the kernel never forwards to");
        }
        if ((high >>> 56) == 0xff) {
            return Optional.of("a multicast address (ff00::/8), not the address of one host");
        }
        if ((high >>> 54) == (0xfe80L >>> 6)) {
            return Optional.of("a link-local address (fe80::/10), which names a host only together with an interface (a zone);"
                    + " give the host's global or unique-local (fd00::/8) address");
        }
        if (high == 0 && (low >>> 32) == 0xffffL) {
            return Optional.of("an IPv4-mapped address (::ffff:0:0/96); write the IPv4 address itself, such as "
                    + Ipv4Cidr.formatAddress((int) low));
        }
        return Optional.empty();
    }

    /**
     * A forward's target compared with the tunnel's two addresses: forwarding to either would
     * send packets back into the tunnel (or to the relay itself) instead of on to a target.
     */
    public static Optional<String> forwardTargetIsNotATunnelAddress(String target, String relayTunnelIp, String clientTunnelIp) {
        if (target == null) {
            return Optional.empty();
        }
        if (sameAddress(target, relayTunnelIp)) {
            return Optional.of("must be a host behind the relay, not a tunnel address: " + target + " is the relay's own tunnel address;"
                    + " a service on the relay itself needs no forward: connect to " + target + " and the service's port directly");
        }
        if (sameAddress(target, clientTunnelIp)) {
            return Optional.of("must be a host behind the relay, not a tunnel address: " + target + " is the client's tunnel address,"
                    + " so packets would loop back into the tunnel; give the address of the target as the relay reaches it");
        }
        return Optional.empty();
    }

    /** Whether two addresses are the same, IPv6 ones compared by value ({@code fd77:42:0::1} is {@code fd77:42::1}). */
    private static boolean sameAddress(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.indexOf(':') >= 0 && b.indexOf(':') >= 0 && ipv6(a).isEmpty() && ipv6(b).isEmpty()) {
            return Ipv6Cidr.canonical(a).equals(Ipv6Cidr.canonical(b));
        }
        return a.equals(b);
    }

    /** The client's tunnel address beside the relay's ({@code relayField}): each end needs its own. */
    public static Optional<String> clientTunnelIpBesides(String clientTunnelIp, String relayTunnelIp, String relayField) {
        if (sameAddress(clientTunnelIp, relayTunnelIp)) {
            return Optional.of("must differ from " + relayField + ": the client and the relay need their own tunnel addresses,"
                    + " both are " + clientTunnelIp);
        }
        return Optional.empty();
    }

    /** A host's own address on the tunnel, without prefix: a unicast IPv4 address. */
    public static Optional<String> tunnelIp(String value) {
        Optional<String> syntax = ipv4(value);
        if (syntax.isPresent()) {
            return syntax;
        }
        return notUnicast(value).map(why -> "must be a unicast IPv4 address for the tunnel, such as 10.77.42.2, but " + value + " is " + why);
    }

    /**
     * A WireGuard interface's address with the prefix of its tunnel network, e.g. {@code
     * 10.77.42.1/24}: a unicast host address (not the network's first or last address), and a
     * prefix from /8 to /32. wg-quick routes the whole network into the tunnel, so a shorter
     * prefix would pull a huge range (with /0: every address, the SSH connection to the host
     * included) away from the host's own network. /31 and /32 are point-to-point addresses.
     */
    public static Optional<String> tunnelAddress(String value) {
        return tunnelAddress(value, 32, "");
    }

    /**
     * The relay's tunnel address in a PortForward: a {@link #tunnelAddress} whose network leaves
     * room for the client, so from /8 to /30.
     */
    public static Optional<String> relayTunnelAddress(String value) {
        return tunnelAddress(value, MAX_RELAY_PREFIX, " (the tunnel network must leave room for the client)");
    }

    private static Optional<String> tunnelAddress(String value, int maxPrefix, String whyMax) {
        Optional<String> syntax = ipv4Cidr(value);
        if (syntax.isPresent()) {
            return syntax;
        }
        Ipv4Cidr cidr = Ipv4Cidr.parse(value);
        String range = "must have a prefix length from /" + MIN_TUNNEL_PREFIX + " to /" + maxPrefix + whyMax + ", got " + displayValue(value);
        if (cidr.prefix() < MIN_TUNNEL_PREFIX) {
            return Optional.of(range + ": the whole network is routed into the tunnel, and /" + cidr.prefix() + " would take "
                    + (cidr.prefix() == 0 ? "every address (the host's own connections included)" : "a large part of all addresses")
                    + " away from the host's network; use a small private network such as " + cidr.hostAddress() + "/24");
        }
        if (cidr.prefix() > maxPrefix) {
            return Optional.of(range);
        }
        Optional<String> host = notUnicast(cidr.hostAddress());
        if (host.isPresent()) {
            return Optional.of("must be a unicast address with a prefix, such as 10.77.42.1/24, but " + cidr.hostAddress() + " is "
                    + host.get());
        }
        if (cidr.isNetworkOrBroadcastAddress()) {
            return Optional.of("must be a host address, not the network or broadcast address of its network, got " + displayValue(value)
                    + "; use for example " + Ipv4Cidr.formatAddress(Ipv4Cidr.parseAddress(cidr.networkAddress()) + 1) + "/"
                    + cidr.prefix());
        }
        return Optional.empty();
    }

    /** An IPv6 address with a prefix length from /0 to /128, e.g. {@code fd77:42::1/64}. */
    public static Optional<String> ipv6Cidr(String value) {
        String expected = "must be an IPv6 address with a prefix length from /0 to /128, such as fd77:42::1/64, got ";
        if (value == null || value.isEmpty()) {
            return Optional.of("must be an IPv6 address with a prefix length from /0 to /128, such as fd77:42::1/64, but it is empty");
        }
        int slash = value.indexOf('/');
        if (slash < 0 || !IPV6_PREFIX.matcher(value.substring(slash + 1)).matches()
                || Integer.parseInt(value.substring(slash + 1)) > 128 || ipv6(value.substring(0, slash)).isPresent()) {
            return Optional.of(expected + displayValue(value));
        }
        return Optional.empty();
    }

    /** A host's own IPv6 address on the tunnel, without prefix: a unicast address (not link-local). */
    public static Optional<String> tunnelIp6(String value) {
        Optional<String> syntax = ipv6(value);
        if (syntax.isPresent()) {
            return syntax;
        }
        return notUnicast6(value).map(why -> "must be a unicast IPv6 address for the tunnel, such as fd77:42::2, but " + value + " is " + why);
    }

    /**
     * A WireGuard interface's IPv6 address with the prefix of its tunnel network, e.g. {@code
     * fd77:42::1/64}: a unicast address (not link-local: the kernel gives every interface its own),
     * not the network's first address (the subnet-router anycast address), and a prefix from /64
     * to /128. The whole network is routed into the tunnel, so a shorter prefix would pull a large
     * range away from the host's own network; a /64 is what a site gives one link.
     */
    public static Optional<String> tunnelAddress6(String value) {
        return tunnelAddress6(value, 128, "");
    }

    /**
     * The relay's IPv6 tunnel address in a PortForward (relay.address6): a {@link #tunnelAddress6}
     * whose network leaves room for the clients, so from /64 to /127.
     */
    public static Optional<String> relayTunnelAddress6(String value) {
        return tunnelAddress6(value, MAX_RELAY_PREFIX6, " (the tunnel network must leave room for the client)");
    }

    private static Optional<String> tunnelAddress6(String value, int maxPrefix, String whyMax) {
        Optional<String> syntax = ipv6Cidr(value);
        if (syntax.isPresent()) {
            return syntax;
        }
        Ipv6Cidr cidr = Ipv6Cidr.parse(value);
        if (cidr.prefix() < MIN_TUNNEL_PREFIX6 || cidr.prefix() > maxPrefix) {
            return Optional.of("must have a prefix length from /" + MIN_TUNNEL_PREFIX6 + " to /" + maxPrefix + whyMax + ", got "
                    + displayValue(value) + (cidr.prefix() < MIN_TUNNEL_PREFIX6
                            ? ": the whole network is routed into the tunnel; use one /64 such as " + cidr.hostAddress() + "/64"
                            : ""));
        }
        Optional<String> host = notUnicast6(cidr.hostAddress());
        if (host.isPresent()) {
            return Optional.of("must be a unicast address with a prefix, such as fd77:42::1/64, but " + cidr.hostAddress() + " is "
                    + host.get());
        }
        if (cidr.prefix() < 127 && cidr.isNetworkAddress()) {
            return Optional.of("must be a host address, not the first address of its network (the subnet-router anycast address), got "
                    + displayValue(value) + "; use for example " + cidr.withHostNumber(1) + "/" + cidr.prefix());
        }
        return Optional.empty();
    }

    /**
     * A host IPv6 address inside a tunnel network: in it, and not its first address. {@code
     * address} is a valid {@link #tunnelIp6}.
     */
    public static Optional<String> addressInNetwork6(String address, Ipv6Cidr network) {
        if (!network.contains(address)) {
            return Optional.of(address + " is outside the tunnel network " + network.network() + "; pick an address inside it");
        }
        if (network.prefix() < 127 && Ipv6Cidr.canonical(address).equals(network.networkAddress())) {
            return Optional.of(address + " is the first address of " + network.network()
                    + " (the subnet-router anycast address); pick another address inside it");
        }
        return Optional.empty();
    }

    /**
     * One of a peer's allowed IPs: an IPv4 or IPv6 network with prefix, such as {@code
     * 10.77.42.2/32} or {@code fd00::2/128}. The host's routes to the peer are made from these,
     * in its main routing table, so a prefix shorter than /8 (IPv4) or /16 (IPv6) is refused: it
     * would take over most of the host's routes, down to its default route and the SSH
     * connection wgforward uses.
     */
    public static Optional<String> allowedIp(String value) {
        String expected = "must be an IPv4 or IPv6 network with a prefix length, such as 10.77.42.2/32 or fd00::2/128, got ";
        if (value == null || value.isEmpty()) {
            return Optional.of(expected + "nothing");
        }
        int slash = value.indexOf('/');
        boolean isIpv6 = value.indexOf(':') >= 0;
        if (!isIpv6) {
            if (ipv4Cidr(value).isPresent()) {
                return Optional.of(expected + displayValue(value));
            }
        } else if (slash < 0 || !IPV6_PREFIX.matcher(value.substring(slash + 1)).matches()
                || Integer.parseInt(value.substring(slash + 1)) > 128 || ipv6(value.substring(0, slash)).isPresent()) {
            return Optional.of(expected + displayValue(value));
        }
        int prefix = Integer.parseInt(value.substring(slash + 1));
        int least = isIpv6 ? MIN_IPV6_ROUTE_PREFIX : MIN_TUNNEL_PREFIX;
        if (prefix < least) {
            return Optional.of("must have a prefix length of at least /" + least + ", got " + displayValue(value)
                    + ": routes to the peer are made from it, and this one would take over most of the host's routes,"
                    + " its default route and the SSH connection included");
        }
        return Optional.empty();
    }

    /**
     * A WireGuard interface MTU, 1280 to 9000: 1280 is the least IPv6 allows (and a tunnel may
     * carry IPv6), 9000 the largest jumbo frame; leave it unset for wg-quick's choice (1420 on
     * most links).
     */
    public static Optional<String> mtu(long value) {
        if (value < MIN_MTU || value > MAX_MTU) {
            return Optional.of("must be from " + MIN_MTU + " to " + MAX_MTU + ", got " + value
                    + " (leave it unset for wg-quick's choice, 1420 on most links)");
        }
        return Optional.empty();
    }

    /** Seconds between WireGuard keepalives: 0 (off) to 65535. */
    public static Optional<String> persistentKeepalive(long value) {
        if (value < 0 || value > 65535) {
            return Optional.of("must be 0 (off) to 65535 seconds, got " + value);
        }
        return Optional.empty();
    }

    /** A Linux login name as useradd accepts it by default: lower-case letters, digits, '_', '.', '-'; at most 32. */
    public static Optional<String> userName(String value) {
        if (value == null || !USER_NAME.matcher(value).matches()) {
            return Optional.of("must be a Linux user name (lower-case letters, digits, '_', '.', '-'; at most 32), got "
                    + displayValue(value));
        }
        return Optional.empty();
    }

    /**
     * The name of a tunnel's peer (a client of a relay): 1 to 32 of {@code a-z 0-9 -}, starting
     * with a letter or digit, so that it can stand in rule comments, file and interface names.
     */
    public static Optional<String> peerName(String value) {
        if (value == null || !PEER_NAME.matcher(value).matches()) {
            return Optional.of("must be 1 to 32 of a-z, 0-9 and '-', starting with a letter or digit, got " + displayValue(value));
        }
        return Optional.empty();
    }

    /** How many SSH dials to try: at least 1, or -1 for no limit. */
    public static Optional<String> dialErrorLimit(long value) {
        if (value != -1 && value < 1) {
            return Optional.of("must be at least 1, or -1 for no limit; got " + value);
        }
        return Optional.empty();
    }

    /** The pause between dials, in seconds: 0 to 3600. */
    public static Optional<String> dialRetryDelaySeconds(long value) {
        return dialRetryDelay(Duration.ofSeconds(value));
    }

    /** The pause between dials: 0 to an hour (the SSH layer's form of {@link #dialRetryDelaySeconds}). */
    public static Optional<String> dialRetryDelay(Duration value) {
        if (value.isNegative() || value.compareTo(MAX_DIAL_DURATION) > 0) {
            return Optional.of("must be 0 to " + MAX_DIAL_DURATION.toSeconds() + " seconds; got " + seconds(value));
        }
        return Optional.empty();
    }

    /** The time limit of one dial, in seconds: 1 to 3600. */
    public static Optional<String> perDialTimeoutSeconds(long value) {
        return perDialTimeout(Duration.ofSeconds(value));
    }

    /**
     * The time limit of one dial: more than 0, at most an hour (the SSH layer's form of {@link
     * #perDialTimeoutSeconds}; it may be a fraction of a second there, never zero).
     */
    public static Optional<String> perDialTimeout(Duration value) {
        if (value.isNegative() || value.isZero() || value.compareTo(MAX_DIAL_DURATION) > 0) {
            return Optional.of("must be 1 to " + MAX_DIAL_DURATION.toSeconds() + " seconds; got " + seconds(value));
        }
        return Optional.empty();
    }

    /** getTunnelStatus: a peer is stale after at least 1 second without a handshake. */
    public static Optional<String> staleAfterSeconds(long value) {
        if (value < 1) {
            return Optional.of("must be at least 1 second, got " + value);
        }
        return Optional.empty();
    }

    /** getTunnelStatus: how long the relay tries each target's TCP port, 1 to 60 seconds. */
    public static Optional<String> connectTimeoutSeconds(long value) {
        if (value < 1 || value > MAX_CONNECT_TIMEOUT_SECONDS) {
            return Optional.of("must be 1 to " + MAX_CONNECT_TIMEOUT_SECONDS + " seconds, got " + value);
        }
        return Optional.empty();
    }

    /**
     * A value that ends up in a label or a message: one line, so that it cannot forge a second
     * line in the engine's log.
     */
    public static Optional<String> singleLine(String value) {
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0)) {
            return Optional.of("must be a single line, got " + displayValue(value));
        }
        return Optional.empty();
    }

    /**
     * A host address inside a tunnel network: in it, and neither its network nor its broadcast
     * address. {@code address} is a valid {@link #tunnelIp}.
     */
    public static Optional<String> addressInNetwork(String address, Ipv4Cidr network) {
        String cidr = network.networkAddress() + "/" + network.prefix();
        if (!network.contains(address)) {
            return Optional.of(address + " is outside the tunnel network " + cidr + "; pick an address inside it");
        }
        if (new Ipv4Cidr(Ipv4Cidr.parseAddress(address), network.prefix()).isNetworkOrBroadcastAddress()) {
            return Optional.of(address + " is the network or broadcast address of " + cidr + "; pick another address inside it");
        }
        return Optional.empty();
    }

    private static String seconds(Duration value) {
        return value.toMillis() % 1000 == 0 ? Long.toString(value.toSeconds()) : Double.toString(value.toMillis() / 1000.0);
    }

    /** Why a valid dotted-decimal address is no address of a single reachable host, if it isn't. */
    private static Optional<String> notUnicast(String ipv4) {
        int address = Ipv4Cidr.parseAddress(ipv4);
        int firstOctet = address >>> 24;
        if (firstOctet == 0) {
            return Optional.of("in 0.0.0.0/8, which means \"this host\" or \"any address\", not a host to send to");
        }
        if (firstOctet == 127) {
            return Optional.of("a loopback address, which the kernel never forwards to");
        }
        if (firstOctet >= 224 && firstOctet <= 239) {
            return Optional.of("a multicast address (224.0.0.0/4), not the address of one host");
        }
        if (address == -1) {
            return Optional.of("the broadcast address, not the address of one host");
        }
        if (firstOctet >= 240) {
            return Optional.of("in the reserved range 240.0.0.0/4, which is not routed");
        }
        return Optional.empty();
    }

    private static boolean isLoopback(String ipv4) {
        return Ipv4Cidr.parseAddress(ipv4) >>> 24 == 127;
    }

    /**
     * A hub client's name: 1 to 32 of {@code a-z 0-9 -}, starting with a letter or digit. It names
     * the client's outputs and its child resources, so it is kept plain.
     */
    public static Optional<String> clientName(String value) {
        if (value == null || !PEER_NAME.matcher(value).matches()) { // a hub client is a peer of the relay
            return Optional.of("a client's name is 1 to 32 of a-z, 0-9 and '-', starting with a letter or digit (such as laptop"
                    + " or ci-runner-2), got " + displayValue(value));
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
     * What a client dials to reach the relay: a {@link #hostname}, or an {@link #endpoint} with
     * its port (without one, the relay's listen port is added).
     */
    public static Optional<String> relayEndpoint(String value) {
        if (endpoint(value).isEmpty() || hostname(value).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("must be a host name or address, optionally with :port (what the client dials), got " + displayValue(value));
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
