package dev.wgforward.provider.host.firewall;

import dev.wgforward.provider.check.Validators;
import java.util.Objects;
import java.util.Optional;

/**
 * POSIX sh scripts that manage the relay's forwarding rules. They are run as root with {@code sh
 * -s}, the script on stdin; each one fails (non-zero exit, message on stderr) rather than half
 * succeeding. Every value in them has been validated by the model and is single-quoted as well.
 *
 * <p>Only wgforward's own objects are ever touched: a table (nftables) or chains and tagged jump
 * rules (iptables) named after the tunnel interface. Base chain policies are never changed, and
 * enabling IP forwarding is left to the caller.
 */
public final class FirewallScripts {
    private FirewallScripts() {}

    /**
     * A script printing the backend to use on the host, one of {@code nftables}, {@code
     * iptables-nft} or {@code iptables-legacy} (see {@link FirewallBackend#parse}), or failing with
     * a message when no firewall tool is usable.
     *
     * <p>The rule is "use the firewall the host already uses". In netfilter an accept is only
     * final for its own chain: a packet our chain accepts is still dropped by a DROP rule or policy
     * in any other chain on the same hook, whichever tool made it. Rules next to the host's own,
     * in the same tool, are the ones an administrator sees and can reason about, and with iptables
     * ours can be placed in front of the host's. So: iptables-legacy if it holds any rule, user
     * chain or non-ACCEPT policy; otherwise iptables-nft on the same criteria (which covers
     * Docker's DOCKER-USER chain and a DROP policy on FORWARD); otherwise nftables when nft works;
     * otherwise whichever iptables works.
     */
    public static String detectBackend() {
        return ScriptText.preamble("print the firewall backend to use: nftables, iptables-nft or iptables-legacy")
                + """
                # Errors of the probes below are expected (a missing tool or kernel module): a probe that
                # fails just doesn't select its backend.
                set +e
                wgf_has() { command -v "$1" >/dev/null 2>&1; }
                # Reads iptables-save output: true when it holds a rule, a user chain or a built-in chain
                # whose policy isn't ACCEPT. An unused host shows nothing or empty ACCEPT chains only.
                wgf_has_rules() {
                  awk '/^-A / { found = 1 } /^:/ && $2 != "ACCEPT" { found = 1 } END { exit found ? 0 : 1 }'
                }
                # iptables 1.8 names its variants iptables-legacy and iptables-nft; before 1.8 the only
                # iptables, unsuffixed, was legacy.
                wgf_legacy=''
                if wgf_has iptables-legacy-save; then
                  wgf_legacy=iptables-legacy
                elif wgf_has iptables-save && wgf_has iptables && ! iptables --version 2>/dev/null | grep -q nf_tables; then
                  wgf_legacy=iptables
                fi
                if [ -n "$wgf_legacy" ] && "$wgf_legacy-save" 2>/dev/null | wgf_has_rules; then
                  echo iptables-legacy
                  exit 0
                fi
                if wgf_has iptables-nft-save && iptables-nft-save 2>/dev/null | wgf_has_rules; then
                  echo iptables-nft
                  exit 0
                fi
                if wgf_has nft && nft list tables >/dev/null 2>&1; then
                  echo nftables
                  exit 0
                fi
                if wgf_has iptables-nft && iptables-nft -w -t filter -S >/dev/null 2>&1; then
                  echo iptables-nft
                  exit 0
                fi
                if [ -n "$wgf_legacy" ] && "$wgf_legacy" -w -t filter -S >/dev/null 2>&1; then
                  echo iptables-legacy
                  exit 0
                fi
                echo 'wgforward: no usable firewall tool on this host: install nftables (nft) or iptables, and make sure the kernel has netfilter' >&2
                exit 1
                """;
    }

    /**
     * A script that makes the relay's rules for {@code ruleset.tunnelInterface()} exactly those of
     * {@code ruleset}, replacing what wgforward had there before. Running it again changes
     * nothing.
     */
    public static String apply(FirewallBackend backend, ForwardRuleset ruleset) {
        return apply(backend, ruleset, Optional.empty());
    }

    /** Like {@link #apply(FirewallBackend, ForwardRuleset)}, with the owner's mark on the table (nft) or chains (iptables). */
    public static String apply(FirewallBackend backend, ForwardRuleset ruleset, Optional<String> ownerMark) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(ruleset, "ruleset");
        return backend.scripts().apply(ruleset, ownerMark);
    }

    /**
     * The rules of {@code ruleset} as text, one rule a line: the nftables tables wgforward writes
     * with nftables (ip, and ip6 on a tunnel with IPv6), exactly as {@code nft -f} gets them (the
     * owner's mark as their comment). With iptables the relay gets the same matches and targets in
     * chains {@code WGF-<iface>-*} of iptables and ip6tables. Made from the ruleset alone, without
     * the relay: what a preview shows.
     */
    public static String rulesetText(ForwardRuleset ruleset, Optional<String> ownerMark) {
        Objects.requireNonNull(ruleset, "ruleset");
        return String.join("\n", NftablesScripts.table(ruleset, ownerMark)) + "\n";
    }

    /**
     * A script fragment setting {@code fw_exists} (whether wgforward's table or chains for the
     * interface exist), {@code fw_mark} (their owner mark, empty when unmarked) and {@code fw_what}
     * (how to name them in a message).
     */
    public static String ownerProbe(FirewallBackend backend, String tunnelInterface) {
        Objects.requireNonNull(backend, "backend");
        checkInterface(tunnelInterface);
        return backend.scripts().ownerProbe(tunnelInterface);
    }

    /** The owner mark in a {@link #list} listing, if any. */
    public static Optional<String> ownerMark(String listing) {
        java.util.regex.Matcher m = OWNER_MARK.matcher(listing == null ? "" : listing);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    private static final java.util.regex.Pattern OWNER_MARK = java.util.regex.Pattern.compile("wgforward-owner=[0-9a-f]+");

    /** A script removing all of wgforward's rules for the interface; succeeds when there are none. */
    public static String remove(FirewallBackend backend, String tunnelInterface) {
        Objects.requireNonNull(backend, "backend");
        checkInterface(tunnelInterface);
        return backend.scripts().remove(tunnelInterface);
    }

    /**
     * A script printing wgforward's current rules for the interface, for {@link
     * FirewallState#parse}: the {@code nft list table} output, or the {@code iptables-save} lines
     * of our chains and the jumps into them. Prints nothing (and succeeds) when there are none.
     */
    public static String list(FirewallBackend backend, String tunnelInterface) {
        Objects.requireNonNull(backend, "backend");
        checkInterface(tunnelInterface);
        return backend.scripts().list(tunnelInterface);
    }

    private static void checkInterface(String tunnelInterface) {
        Validators.interfaceName(tunnelInterface).ifPresent(reason -> {
            throw new IllegalArgumentException("tunnel interface " + reason);
        });
    }
}
