package dev.wgforward.provider.host.firewall;

import java.util.Optional;

/**
 * Where the backends part ways: the scripts that write, list, probe and remove wgforward's rules
 * with one firewall tool, and how that tool's listing reads. {@link FirewallBackend#scripts()}
 * gives each backend's; {@link FirewallScripts} and {@link FirewallState} only ever ask it, so a
 * backend is chosen in one place.
 */
interface RuleScripts {
    /** See {@link FirewallScripts#apply(FirewallBackend, ForwardRuleset, Optional)}. */
    String apply(ForwardRuleset ruleset, Optional<String> ownerMark);

    /** See {@link FirewallScripts#ownerProbe}. */
    String ownerProbe(String tunnelInterface);

    /** See {@link FirewallScripts#remove}. */
    String remove(String tunnelInterface);

    /** See {@link FirewallScripts#list}. */
    String list(String tunnelInterface);

    /** Reads a non-blank output of {@link #list}; see {@link FirewallState#parse}. */
    FirewallState parseListing(String tunnelInterface, String listing);
}
