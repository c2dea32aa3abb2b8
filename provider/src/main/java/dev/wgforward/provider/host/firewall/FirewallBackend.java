package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;

/** Which tool the relay's forwarding rules are written with. */
public enum FirewallBackend {
    /** Native nftables: wgforward's own {@code table ip wgforward_<iface>}. */
    NFTABLES("nftables"),
    /** iptables on the nf_tables kernel API ({@code iptables-nft}, the default of current distributions). */
    IPTABLES_NFT("iptables-nft"),
    /** iptables on the old x_tables kernel API ({@code iptables-legacy}). */
    IPTABLES_LEGACY("iptables-legacy");

    private final String keyword;

    FirewallBackend(String keyword) {
        this.keyword = keyword;
    }

    /** The word {@link FirewallScripts#detectBackend()} prints for this backend. */
    public String keyword() {
        return keyword;
    }

    /** Parses what {@link FirewallScripts#detectBackend()} printed (surrounding whitespace ignored). */
    public static FirewallBackend parse(String text) {
        String trimmed = text == null ? null : text.strip();
        for (FirewallBackend backend : values()) {
            if (backend.keyword.equals(trimmed)) {
                return backend;
            }
        }
        throw new IllegalArgumentException("firewall backend must be one of nftables, iptables-nft or iptables-legacy, got "
                + Validators.displayValue(trimmed));
    }
}
