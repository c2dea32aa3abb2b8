package dev.wgforward.provider.host.firewall;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules one forward consists of. The role is the last part of each rule's tag, so a listing
 * says which parts of a forward are still there.
 */
enum RuleRole {
    /** Rewrites the destination from the relay's tunnel address and port to the target. */
    DNAT("dnat"),
    /** Rewrites the source to the relay's address toward the target, so the target's replies come back through the relay. */
    MASQUERADE("masquerade"),
    /** Clamps the MSS of the client's SYN to the path MTU (TCP only). */
    MSS("mss"),
    /** Clamps the MSS of the target's SYN-ACK to the tunnel's MTU (TCP only). */
    MSS_REPLY("mss-reply"),
    /** Lets the DNATed packets from the tunnel through FORWARD. */
    ACCEPT("accept"),
    /** Lets the target's replies through FORWARD, back into the tunnel. */
    REPLY("reply");

    private final String tagSuffix;

    RuleRole(String tagSuffix) {
        this.tagSuffix = tagSuffix;
    }

    String tagSuffix() {
        return tagSuffix;
    }

    static Optional<RuleRole> fromTagSuffix(String suffix) {
        for (RuleRole role : values()) {
            if (role.tagSuffix.equals(suffix)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The roles a complete forward of this protocol has rules for. */
    static Set<RuleRole> requiredFor(Protocol protocol) {
        return protocol == Protocol.TCP
                ? EnumSet.allOf(RuleRole.class)
                : EnumSet.of(DNAT, MASQUERADE, ACCEPT, REPLY);
    }
}
