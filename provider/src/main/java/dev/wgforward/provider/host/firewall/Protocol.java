package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;

/** The transport protocol of a forward. */
public enum Protocol {
    TCP("tcp"),
    UDP("udp");

    private final String keyword;

    Protocol(String keyword) {
        this.keyword = keyword;
    }

    /** The name nft, iptables and wgforward's rule tags use: {@code tcp} or {@code udp}. */
    public String keyword() {
        return keyword;
    }

    /** Parses {@code tcp} or {@code udp}. */
    public static Protocol parse(String text) {
        for (Protocol protocol : values()) {
            if (protocol.keyword.equals(text)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("protocol " + Validators.protocol(text).orElseThrow());
    }
}
