package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.function.Function;

/** Which tool the relay's forwarding rules are written with. */
public enum FirewallBackend {
    /** Native nftables: wgforward's own {@code table ip wgforward_<iface>} (and {@code table ip6} on a tunnel with IPv6). */
    NFTABLES("nftables", backend -> new NftablesScripts()),
    /** iptables on the nf_tables kernel API ({@code iptables-nft}, the default of current distributions); ip6tables-nft for IPv6. */
    IPTABLES_NFT("iptables-nft", IptablesScripts::new),
    /** iptables on the old x_tables kernel API ({@code iptables-legacy}). */
    IPTABLES_LEGACY("iptables-legacy", IptablesScripts::new);

    private final String keyword;
    private final RuleScripts scripts;

    FirewallBackend(String keyword, Function<FirewallBackend, RuleScripts> scripts) {
        this.keyword = keyword;
        this.scripts = scripts.apply(this);
    }

    /** This backend's scripts and listing reader: the one place where the backends part ways. */
    RuleScripts scripts() {
        return scripts;
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
