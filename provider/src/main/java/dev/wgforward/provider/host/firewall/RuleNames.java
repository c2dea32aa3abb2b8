package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of wgforward's firewall objects and the comment tags on its rules. Everything is derived
 * from the tunnel interface name, so two tunnels never share an object and removing one tunnel's
 * rules can't touch another's.
 *
 * <p>Tags: {@code wgforward:<iface>} on iptables jump rules, {@code wgforward:<iface>:drop} on the
 * rule dropping other forwarded tunnel traffic, {@code wgforward:<iface>:<port>/<proto>:<role>} on
 * the rules of one forward; on a hub (rules keyed by client) {@code
 * wgforward:<iface>:<port>/<proto>@<client tunnel address>:<role>}. Interface names can't contain {@code :}, so a tag splits unambiguously.
 */
final class RuleNames {
    private RuleNames() {}

    static final String TAG_PREFIX = "wgforward:";
    static final String ISOLATION_SUFFIX = "drop";

    private static final Pattern FORWARD_TAG_REST = Pattern.compile("([0-9]{1,5})/(tcp|udp)(?:@([0-9.]{7,15}))?:([a-z-]+)");

    /** Tag of the iptables jumps into the interface's chains. */
    static String interfaceTag(String tunnelInterface) {
        return TAG_PREFIX + tunnelInterface;
    }

    static String isolationTag(String tunnelInterface) {
        return TAG_PREFIX + tunnelInterface + ":" + ISOLATION_SUFFIX;
    }

    static String forwardTag(String tunnelInterface, ForwardKey key, RuleRole role) {
        return TAG_PREFIX + tunnelInterface + ":" + key + ":" + role.tagSuffix();
    }

    /** A forward rule's tag, read back. */
    record ForwardTag(ForwardKey key, RuleRole role) {}

    /** Reads a forward rule's tag of this interface; empty for any other comment. */
    static Optional<ForwardTag> parseForwardTag(String tunnelInterface, String comment) {
        String prefix = TAG_PREFIX + tunnelInterface + ":";
        if (comment == null || !comment.startsWith(prefix)) {
            return Optional.empty();
        }
        Matcher matcher = FORWARD_TAG_REST.matcher(comment.substring(prefix.length()));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(matcher.group(1));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        String client = matcher.group(3);
        if (client != null && Validators.tunnelIp(client).isPresent()) {
            return Optional.empty();
        }
        Optional<RuleRole> role = RuleRole.fromTagSuffix(matcher.group(4));
        return role.map(r -> new ForwardTag(new ForwardKey(port, Protocol.parse(matcher.group(2)), client), r));
    }

    /**
     * The nftables table of an interface: {@code wgforward_<iface>}. nft identifiers can't contain
     * {@code =} or {@code +}, which interface names may; they are written as {@code /3d} and {@code
     * /2b}. An interface name never contains {@code /}, so the mapping stays one-to-one.
     */
    static String nftTable(String tunnelInterface) {
        return "wgforward_" + tunnelInterface.replace("=", "/3d").replace("+", "/2b");
    }

    /** iptables chains: at most 4 + 15 + 5 = 24 characters, under the kernel's limit of 28. */
    static String iptablesPreroutingChain(String tunnelInterface) {
        return "WGF-" + tunnelInterface + "-PRE";
    }

    static String iptablesPostroutingChain(String tunnelInterface) {
        return "WGF-" + tunnelInterface + "-POST";
    }

    static String iptablesForwardChain(String tunnelInterface) {
        return "WGF-" + tunnelInterface + "-FWD";
    }
}
