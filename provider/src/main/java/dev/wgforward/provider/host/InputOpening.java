package dev.wgforward.provider.host;

import static dev.wgforward.provider.host.Shell.quote;

import java.util.Objects;

/**
 * One port opened in a host's input firewall, when the user asks for it ({@code
 * relay.openFirewall}), in whatever the host uses: ufw ({@code ufw allow PORT/udp comment MARK}),
 * firewalld (the port in the default zone, runtime and permanent, so it survives a reload and a
 * reboot), else a rule of wgforward's own, tagged with the owner's mark, first in the chain that
 * drops incoming packets: an nftables chain or iptables' INPUT. (Not a table of its own: in
 * netfilter an accept is final only for its own chain, so a separate table's accept would still
 * meet the admin's drop.) A host whose input accepts anyway gets nothing; nor does one that lets
 * the port in already (the admin's rule is theirs). Closing removes exactly what opening added.
 *
 * <p>{@link #open} prints {@code opened=HOW}, HOW being one of {@code ufw}, {@code firewalld
 * ZONE}, {@code nft FAMILY TABLE CHAIN}, {@code iptables TOOL}, {@code already} (let in before),
 * {@code none} (nothing drops): what {@link #present} and {@link #close} are given back. Where the
 * host's IPv6 input drops in another place than its IPv4 input (an ip6 table's chain beside an ip
 * one, ip6tables' INPUT beside iptables'), the port is opened there too and HOW names both parts,
 * joined by {@code and}: {@code iptables iptables-nft and iptables ip6tables-nft}. ufw, firewalld
 * and an inet chain open both families at once.
 */
public final class InputOpening {
    private InputOpening() {}

    /** Where firewalld openings are recorded: the zone, and whether its file in /etc existed before. */
    public static String recordPath(int port, String protocol) {
        return "/etc/wgforward/input-" + port + "-" + protocol;
    }

    /** The script the boot unit runs: this opening's, again. */
    public static String bootScriptPath(int port, String protocol) {
        return "/etc/wgforward/input-" + port + "-" + protocol + ".sh";
    }

    public static String unitName(int port, String protocol) {
        return "wgforward-input-" + port + "-" + protocol + ".service";
    }

    private static String unit(int port, String protocol, OwnerMark owner) {
        return owner.fileLine() + "\n"
                + "# managed by wgforward: lets " + protocol + " port " + port + " in through the input firewall again at boot\n"
                + "[Unit]\n"
                + "Description=wgforward: let " + protocol + " port " + port + " in\n"
                + "After=network-pre.target nftables.service netfilter-persistent.service\n"
                + "\n"
                + "[Service]\n"
                + "Type=oneshot\n"
                + "RemainAfterExit=yes\n"
                + "ExecStart=/bin/sh " + bootScriptPath(port, protocol) + "\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    private static String head(int port, String protocol, OwnerMark owner) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (!protocol.equals("udp") && !protocol.equals("tcp")) {
            throw new IllegalArgumentException("protocol must be udp or tcp, got " + protocol);
        }
        Objects.requireNonNull(owner, "owner");
        return "PORT=" + port + "\nPROTO=" + protocol + "\nMARK=" + quote(owner.text()) + "\nRECORD=" + quote(recordPath(port, protocol))
                + "\nFILE_LINE=" + quote(owner.fileLine()) + "\nBOOT_SCRIPT=" + quote(bootScriptPath(port, protocol))
                + "\nBOOT_UNIT=" + quote(unitName(port, protocol)) + "\n"
                + OwnDirectory.FUNCTIONS
                + """
                wgf_ufw_line() { ufw status 2>/dev/null | grep -E "^$PORT/$PROTO[[:space:]]+ALLOW[[:space:]]"; }
                wgf_ours_recorded() { [ -f "$RECORD" ] && head -n 1 "$RECORD" | grep -qF "# $MARK "; }
                wgf_nft_handles() {
                  nft -a list chain "$1" "$2" "$3" 2>/dev/null | grep -F "comment \\"$MARK\\"" | grep -F "$PROTO dport $PORT " \\
                    | sed -n 's/.*# handle \\([0-9][0-9]*\\)$/\\1/p'
                }
                # TOOL OPERATION [POSITION]: the opening's rule, as iptables checks (-C), inserts (-I 1) or deletes (-D) it.
                wgf_ipt_rule() {
                  wgf_t=$1 wgf_op=$2
                  shift 2
                  "$wgf_t" -w "$wgf_op" INPUT "$@" -p "$PROTO" --dport "$PORT" -m comment --comment "$MARK" -j ACCEPT
                }
                """;
    }

    /**
     * Prints the firewall to open the port in: {@code ufw}, {@code firewalld}, {@code nft FAMILY
     * TABLE CHAIN} or {@code iptables TOOL} (the chain that drops, as {@link InputFirewall#probe}
     * finds it), or {@code none}.
     */
    private static String manager() {
        return "wgf_probe=$(sh <<'WGF_INPUT_PROBE'\n" + InputFirewall.probe() + "WGF_INPUT_PROBE\n)\n"
                + "wgf_manager() {\n"
                + "  if command -v ufw >/dev/null 2>&1 && ufw status 2>/dev/null | head -n 1 | grep -q '^Status: active'; then echo ufw; return; fi\n"
                + "  if command -v firewall-cmd >/dev/null 2>&1 && [ \"$(firewall-cmd --state 2>/dev/null)\" = running ]; then echo firewalld; return; fi\n"
                + """
                  set -- $(printf '%s\\n' "$wgf_probe" | sed -n 's/^input=drop //p')
                  case "${1:-}" in
                    # iptables-nft's own chains are changed with iptables-nft, not nft behind its back.
                    nft) if [ "$3 $4 $5" = "ip filter INPUT" ] && command -v iptables-nft >/dev/null 2>&1; then echo "iptables iptables-nft"
                         else echo "nft $3 $4 $5"; fi ;;
                    iptables*) echo "iptables $1" ;;
                    *) echo none ;;
                  esac
                }
                # Where IPv6 needs an opening of its own (ufw and firewalld open both families at once).
                wgf_manager6() {
                  set -- $(printf '%s\\n' "$wgf_probe" | sed -n 's/^input6=drop //p')
                  case "${1:-}" in
                    nft) if [ "$3 $4 $5" = "ip6 filter INPUT" ] && command -v ip6tables-nft >/dev/null 2>&1; then echo "iptables ip6tables-nft"
                         else echo "nft $3 $4 $5"; fi ;;
                    ip6tables*) echo "iptables $1" ;;
                    *) echo none ;;
                  esac
                }
                """;
    }

    /** Opens the port (idempotent: an opening already there is kept), under the caller's host lock. */
    public static String open(int port, String protocol, OwnerMark owner) {
        return open(port, protocol, owner, true);
    }

    /**
     * {@code keepAtBoot}: a rule in a plain nftables or iptables chain is gone after a reboot (ufw
     * and firewalld keep theirs), so where systemd runs a oneshot unit of the opening's own runs this
     * script again at boot, after the admin's firewall is loaded.
     */
    private static String open(int port, String protocol, OwnerMark owner, boolean keepAtBoot) {
        String keep = !keepAtBoot ? "wgf_keep_at_boot() { :; }\n"
                : "wgf_keep_at_boot() {\n"
                + "  { " + Systemd.RUNS + "; } || return 0\n"
                + "  wgf_own_dir_make /etc/wgforward\n"
                + "  umask 077\n"
                + "  cat > \"$BOOT_SCRIPT.tmp\" " + Shell.heredoc("WGF_OPENING_BOOT_SCRIPT",
                        owner.fileLine() + "\n" + open(port, protocol, owner, false))
                + "  mv -f \"$BOOT_SCRIPT.tmp\" \"$BOOT_SCRIPT\"\n"
                + "  umask 022\n"
                + "  cat > \"/etc/systemd/system/$BOOT_UNIT.tmp\" " + Shell.heredoc("WGF_OPENING_UNIT", unit(port, protocol, owner))
                + "  mv -f \"/etc/systemd/system/$BOOT_UNIT.tmp\" \"/etc/systemd/system/$BOOT_UNIT\"\n"
                + "  systemctl daemon-reload\n"
                + "  systemctl enable \"$BOOT_UNIT\" >/dev/null 2>&1\n"
                + "}\n";
        return "set -eu\n" + head(port, protocol, owner) + manager() + keep + """
                # Opens the port in one firewall (wgf_manager's or wgf_manager6's answer); prints how.
                wgf_open_one() {
                case "$1" in
                  ufw)
                    if wgf_ufw_line | grep -qF "# $MARK"; then :
                    elif wgf_ufw_line >/dev/null; then echo already; return 0
                    else ufw allow "$PORT/$PROTO" comment "$MARK" >/dev/null
                    fi
                    echo ufw ;;
                  firewalld)
                    if wgf_ours_recorded; then
                      zone=$(sed -n 's/^zone=//p' "$RECORD")
                    else
                      zone=$(firewall-cmd --get-default-zone)
                      if firewall-cmd --zone="$zone" --query-port="$PORT/$PROTO" >/dev/null 2>&1 \\
                          || firewall-cmd --permanent --zone="$zone" --query-port="$PORT/$PROTO" >/dev/null 2>&1; then
                        echo already; return 0
                      fi
                      zone_file=no
                      [ -f "/etc/firewalld/zones/$zone.xml" ] && zone_file=yes
                      wgf_own_dir_make /etc/wgforward
                      printf '%s\\nzone=%s\\nzone_file=%s\\n' "$FILE_LINE" "$zone" "$zone_file" > "$RECORD"
                    fi
                    firewall-cmd --zone="$zone" --query-port="$PORT/$PROTO" >/dev/null 2>&1 \\
                      || firewall-cmd --zone="$zone" --add-port="$PORT/$PROTO" >/dev/null
                    firewall-cmd --permanent --zone="$zone" --query-port="$PORT/$PROTO" >/dev/null 2>&1 \\
                      || firewall-cmd --permanent --zone="$zone" --add-port="$PORT/$PROTO" >/dev/null
                    echo "firewalld $zone" ;;
                  nft)
                    if [ -z "$(wgf_nft_handles "$2" "$3" "$4")" ]; then
                      nft insert rule "$2" "$3" "$4" "$PROTO" dport "$PORT" counter accept comment "\\"$MARK\\""
                    fi
                    wgf_keep_at_boot
                    echo "nft $2 $3 $4" ;;
                  iptables)
                    wgf_ipt_rule "$2" -C 2>/dev/null || wgf_ipt_rule "$2" -I 1
                    wgf_keep_at_boot
                    echo "iptables $2" ;;
                  *) echo none ;;
                esac
                }
                wgf_first=$(wgf_manager)
                wgf_how=$(wgf_open_one $wgf_first)
                case "$wgf_first" in
                  ufw|firewalld) ;;
                  *)
                    # A relay reached over IPv6: its IPv6 input may drop elsewhere (an ip6 chain, ip6tables).
                    wgf_second=$(wgf_manager6)
                    if [ "$wgf_second" != none ] && [ "$wgf_second" != "$wgf_first" ]; then
                      wgf_how6=$(wgf_open_one $wgf_second)
                      case "$wgf_how6" in
                        none|already) ;;
                        *) case "$wgf_how" in none|already) wgf_how=$wgf_how6 ;; *) wgf_how="$wgf_how and $wgf_how6" ;; esac ;;
                      esac
                    fi ;;
                esac
                echo "opened=$wgf_how"
                """;
    }

    /** Prints {@code present=yes} when the opening {@code how} ({@link #open}'s answer) is still in place, else {@code present=no}. */
    public static String present(int port, String protocol, OwnerMark owner, String how) {
        StringBuilder script = new StringBuilder("set -u\n" + head(port, protocol, owner) + "all=yes\n");
        for (String part : parts(how)) {
            script.append("set -- ").append(words(part)).append("\n").append("""
                    ok=no
                    case "$1" in
                      ufw) wgf_ufw_line | grep -qF "# $MARK" && ok=yes ;;
                      firewalld)
                        wgf_ours_recorded && firewall-cmd --zone="$2" --query-port="$PORT/$PROTO" >/dev/null 2>&1 \\
                          && firewall-cmd --permanent --zone="$2" --query-port="$PORT/$PROTO" >/dev/null 2>&1 && ok=yes ;;
                      nft) [ -n "$(wgf_nft_handles "$2" "$3" "$4")" ] && ok=yes ;;
                      iptables) wgf_ipt_rule "$2" -C 2>/dev/null && ok=yes ;;
                      *) ok=yes ;;
                    esac
                    [ "$ok" = yes ] || all=no
                    """);
        }
        return script.append("echo \"present=$all\"\n").toString();
    }

    /** An opening's parts: {@code nft ip filter input and nft ip6 filter input} is one per family. */
    private static java.util.List<String> parts(String how) {
        words(how);
        return java.util.List.of(how.trim().split(" and "));
    }

    /** Removes exactly what {@link #open} added ({@code how}); succeeds when it is gone already. */
    public static String close(int port, String protocol, OwnerMark owner, String how) {
        StringBuilder script = new StringBuilder("set -u\n" + head(port, protocol, owner));
        for (String part : parts(how)) {
            script.append("set -- ").append(words(part)).append("\n").append(CLOSE_ONE);
        }
        return script.append(CLOSE_BOOT_UNIT).toString();
    }

    /** Removes one part of an opening ({@code $1...}: its words). */
    private static final String CLOSE_ONE = """
                case "$1" in
                  ufw)
                    if wgf_ufw_line | grep -qF "# $MARK"; then ufw delete allow "$PORT/$PROTO" >/dev/null; fi ;;
                  firewalld)
                    if wgf_ours_recorded; then
                      zone=$(sed -n 's/^zone=//p' "$RECORD")
                      zone_file=$(sed -n 's/^zone_file=//p' "$RECORD")
                      firewall-cmd --zone="$zone" --remove-port="$PORT/$PROTO" >/dev/null 2>&1 || true
                      firewall-cmd --permanent --zone="$zone" --remove-port="$PORT/$PROTO" >/dev/null 2>&1 || true
                      # firewalld wrote the zone's file in /etc for the opening: where it had none and the file now
                      # says what the packaged zone says, it goes again (with the backup firewalld made of it).
                      if [ "$zone_file" = no ] && [ -f "/usr/lib/firewalld/zones/$zone.xml" ] \\
                          && [ "$(tr -d ' \\t\\n' < "/etc/firewalld/zones/$zone.xml" 2>/dev/null)" \\
                            = "$(tr -d ' \\t\\n' < "/usr/lib/firewalld/zones/$zone.xml")" ]; then
                        rm -f "/etc/firewalld/zones/$zone.xml" "/etc/firewalld/zones/$zone.xml.old"
                      fi
                      rm -f "$RECORD"
                      wgf_own_dir_remove /etc/wgforward
                    fi ;;
                  nft)
                    for handle in $(wgf_nft_handles "$2" "$3" "$4"); do nft delete rule "$2" "$3" "$4" handle "$handle"; done ;;
                  iptables)
                    while wgf_ipt_rule "$2" -C 2>/dev/null; do wgf_ipt_rule "$2" -D; done ;;
                esac
                """;

    /** The opening's boot unit and script, if this owner's. */
    private static final String CLOSE_BOOT_UNIT = """
                if [ -f "/etc/systemd/system/$BOOT_UNIT" ] && head -n 1 "/etc/systemd/system/$BOOT_UNIT" | grep -qF "# $MARK "; then
                  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
                    systemctl stop "$BOOT_UNIT" >/dev/null 2>&1 || true
                    systemctl disable "$BOOT_UNIT" >/dev/null 2>&1 || true
                  fi
                  rm -f "/etc/systemd/system/$BOOT_UNIT"
                  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
                fi
                if [ -f "$BOOT_SCRIPT" ] && head -n 1 "$BOOT_SCRIPT" | grep -qF "# $MARK "; then rm -f "$BOOT_SCRIPT"; fi
                wgf_own_dir_remove /etc/wgforward
                """;

    /**
     * Prints {@code input-port=open} when some rule already lets UDP {@code port} in (ufw, the
     * default zone of firewalld, an nftables accept for it, an ACCEPT for it in the INPUT chain of
     * iptables-legacy or ip6tables-legacy), else {@code input-port=closed}: read-only, so that an
     * input firewall that drops by default is only warned about while the port is not let in.
     *
     * <p>Read-only for real: iptables-legacy's rules do not show in nft's ruleset, but merely
     * listing a legacy table creates it in the kernel (and a host that had none would keep an empty
     * one after destroy). So the legacy tools are asked only where the kernel lists their filter
     * table already ({@code /proc/net/ip_tables_names}, {@code ip6_tables_names}); plain {@code
     * iptables} counts as legacy only when its version does not say nf_tables. iptables-nft is
     * never asked: its rules are nft's ({@code -p udp --dport 51820 -j ACCEPT} lists as {@code
     * [meta l4proto udp] udp dport 51820 counter packets 0 bytes 0 accept}, a multiport one as
     * {@code udp dport { 51820, 51821 } ...}).
     */
    public static String letInProbe(int port) {
        return "PORT=" + port + "\n" + """
                port_open=closed
                if command -v ufw >/dev/null 2>&1 && ufw status 2>/dev/null | grep -qE "^$PORT/udp[[:space:]]+ALLOW[[:space:]]"; then port_open=open; fi
                if command -v firewall-cmd >/dev/null 2>&1 && [ "$(firewall-cmd --state 2>/dev/null)" = running ] \\
                    && firewall-cmd --query-port="$PORT/udp" >/dev/null 2>&1; then port_open=open; fi
                if command -v nft >/dev/null 2>&1 && nft list ruleset 2>/dev/null \\
                    | grep -qE "udp dport ($PORT|\\{ ([0-9]+, )*$PORT(, [0-9]+)* \\})( .*)? accept"; then port_open=open; fi
                # TABLE_NAMES TOOL...: whether the first legacy TOOL there lets the port in, asked only if
                # TABLE_NAMES lists its filter table (as -S prints it: -A INPUT [...] -p udp [...] --dport PORT [...] -j ACCEPT).
                wgf_legacy_lets_in() {
                  grep -qx filter "$1" 2>/dev/null || return 1
                  shift
                  for wgf_t in "$@"; do
                    command -v "$wgf_t" >/dev/null 2>&1 || continue
                    case $wgf_t in
                      *-legacy) ;;
                      *) if "$wgf_t" -V 2>/dev/null | grep -q nf_tables; then continue; fi ;;
                    esac
                    "$wgf_t" -w 5 -S INPUT 2>/dev/null | grep -E -- "^-A INPUT (.* )?-p udp (.* )?--dport $PORT( .*)? -j ACCEPT( |$)" \\
                      | grep -qv -- "! --dport"
                    return
                  done
                  return 1
                }
                if wgf_legacy_lets_in /proc/net/ip_tables_names iptables-legacy iptables \\
                    || wgf_legacy_lets_in /proc/net/ip6_tables_names ip6tables-legacy ip6tables; then port_open=open; fi
                echo "input-port=$port_open"
                """;
    }

    /** {@code how} as shell words: only the characters open prints (names of zones, tables, chains, tools). */
    private static String words(String how) {
        if (how == null || !how.matches("[A-Za-z0-9_. -]{1,200}")) {
            throw new IllegalArgumentException("not an opening wgforward recorded: " + how);
        }
        StringBuilder out = new StringBuilder();
        for (String word : how.trim().split(" +")) {
            out.append(quote(word)).append(' ');
        }
        return out.toString().trim();
    }
}
