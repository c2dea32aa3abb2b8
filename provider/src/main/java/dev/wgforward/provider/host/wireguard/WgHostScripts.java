package dev.wgforward.provider.host.wireguard;

import static dev.wgforward.provider.host.Shell.quote;

import dev.wgforward.provider.host.Ipv6Text;
import dev.wgforward.provider.host.OwnDirectory;
import dev.wgforward.provider.host.OwnerMark;
import dev.wgforward.provider.host.Shell;
import dev.wgforward.provider.host.Systemd;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The sh scripts that install, inspect and remove one WireGuard interface on a host. They run as
 * root with the script on stdin (so the private key inside never appears on a command line).
 * Every script is idempotent: running it twice leaves the host as running it once.
 */
public final class WgHostScripts {
    private WgHostScripts() {}

    /**
     * wg-quick's directory. Shared with the admin's own tunnels and other software: wgforward
     * makes it (0700, as wg-quick wants) only where it is missing, marked as its own, and removes
     * it only then, with the last file it put there ({@link OwnDirectory}).
     */
    public static final String CONFIG_DIR = "/etc/wireguard";

    public static String configPath(String interfaceName) {
        return CONFIG_DIR + "/" + interfaceName + ".conf";
    }

    /** Sets link_exists/link_mark and conf_exists for IF and CONF: what the owner guard looks at. */
    private static final String OBSERVE_OWNED_OBJECTS = """
                link_exists=no
                link_mark=''
                if ip link show dev "$IF" >/dev/null 2>&1; then
                  link_exists=yes
                  link_mark=$(cat "/sys/class/net/$IF/ifalias" 2>/dev/null || true)
                fi
                conf_exists=no
                [ -f "$CONF" ] && conf_exists=yes
                """;

    /**
     * The config file as written to the host: the owner mark first, then the wg-quick file, whose
     * PostUp puts the mark on the interface when wg-quick brings it up — at boot, through
     * wg-quick@ — as apply does, so that a rebooted host's interface carries its owner's mark too.
     * (The mark is {@code wgforward-owner=} and hex digits: nothing a shell would expand.)
     */
    public static String configFile(WgInterface wg, OwnerMark owner) {
        String conf = WgConfigRenderer.wgQuick(wg);
        int body = conf.indexOf("[Interface]\n") + "[Interface]\n".length();
        return owner.fileLine() + "\n" + conf.substring(0, body) + "PostUp = ip link set dev %i alias " + owner.text() + "\n"
                + conf.substring(body);
    }

    /** What {@link #redactedConfigFile} writes instead of the private key. */
    public static final String REDACTED = "(redacted)";

    /**
     * {@link #configFile} without the private key: its line reads {@value #REDACTED}. The key given
     * is never rendered (a stand-in is, then replaced), so that this text can be shown and stored
     * in the open, and made before the key exists.
     */
    public static String redactedConfigFile(WgInterface wg, OwnerMark owner) {
        WgInterface standIn = new WgInterface(wg.name(), wg.address(), wg.address6(), wg.listenPort(), STAND_IN_KEY, wg.mtu(), wg.peers());
        return configFile(standIn, owner).replace("PrivateKey = " + STAND_IN_KEY + "\n", "PrivateKey = " + REDACTED + "\n");
    }

    /** 32 zero bytes: a well-formed key nobody uses, only ever replaced; for an interface whose key is not known yet. */
    public static final String STAND_IN_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    /** SHA-256 of {@link #configFile}, as {@code sha256sum} prints it: how refresh tells an edited or missing file. */
    public static String configDigest(WgInterface wg, OwnerMark owner) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(configFile(wg, owner).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Brings the interface to exactly the given configuration: refuses (exit 73, nothing changed)
     * when the interface, its config file, its UDP port or its address range belongs to someone
     * else; writes the config file (0600, owner-marked); creates the interface (kernel module, else
     * wireguard-go, as wg-quick does) and marks it (its alias); syncs keys and peers without
     * disturbing live sessions (wg syncconf); sets the address, MTU and routes to the peers'
     * allowed IPs. Prints {@code implementation=kernel|wireguard-go}.
     */
    public static String apply(WgInterface wg, OwnerMark owner, OwnerMark.Unmarked unmarked, String fix) {
        String name = quote(wg.name());
        StringBuilder s = new StringBuilder();
        s.append("set -eu\n");
        s.append("IF=").append(name).append('\n');
        s.append("CONF=").append(quote(configPath(wg.name()))).append('\n');
        s.append("PORT=").append(wg.listenPort().isPresent() ? Integer.toString(wg.listenPort().getAsInt()) : "").append('\n');
        s.append("NET=").append(quote(network(wg.address()))).append('\n');
        s.append("NET6=").append(wg.address6() == null ? "''" : quote(Ipv6Text.network(wg.address6()))).append('\n');
        s.append(owner.guardFunctions(unmarked, fix));
        s.append(OwnDirectory.FUNCTIONS);
        s.append("""
                command -v wg >/dev/null 2>&1 || { echo "the wg command is missing: install wireguard-tools (apt-get install --no-install-recommends wireguard-tools)" >&2; exit 3; }
                """);
        s.append(OBSERVE_OWNED_OBJECTS);
        s.append("""
                wgf_claim "interface $IF" "$link_exists" "$link_mark"
                wgf_claim "file $CONF" "$conf_exists" "$(wgf_file_mark "$CONF")"
                if [ "$link_exists" = no ]; then
                  # Another interface or program on the same UDP port, or routes into the same range,
                  # would make this tunnel fail or steal another's traffic.
                  if [ -n "$PORT" ] && command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hlun "sport = :$PORT" 2>/dev/null)" ]; then
                    echo "wgforward: UDP port $PORT is already in use on this host; nothing was changed. $FIX" >&2
                    exit 73
                  fi
                  # Only routes inside the range clash; a broader one (a 10.0.0.0/8 LAN) is shadowed, as with wg-quick.
                  wgf_clash=$(ip -4 -o route show root "$NET" 2>/dev/null | head -n 1 || true)
                  if [ -n "$wgf_clash" ]; then
                    echo "wgforward: the address range $NET overlaps a route already on this host ($wgf_clash); nothing was changed. $FIX" >&2
                    exit 73
                  fi
                  if [ -n "$NET6" ]; then
                    if [ ! -d /proc/sys/net/ipv6 ] || [ "$(cat /proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null || echo 1)" != 0 ]; then
                      echo "wgforward: the tunnel has the IPv6 address range $NET6 but IPv6 is disabled on this host (net.ipv6.conf.default.disable_ipv6); nothing was changed. Enable IPv6, or make the tunnel IPv4-only" >&2
                      exit 73
                    fi
                    wgf_clash=$(ip -6 -o route show root "$NET6" 2>/dev/null | head -n 1 || true)
                    if [ -n "$wgf_clash" ]; then
                      echo "wgforward: the IPv6 address range $NET6 overlaps a route already on this host ($wgf_clash); nothing was changed. $FIX" >&2
                      exit 73
                    fi
                  fi
                fi
                umask 077
                wgf_own_dir_make /etc/wireguard
                # The file holds the private key: it travels inside this script (stdin), never as an argument.
                """);
        s.append("cat > \"$CONF.tmp\" ").append(Shell.heredoc("WGFORWARD_CONF", configFile(wg, owner)));
        s.append("""
                mv -f "$CONF.tmp" "$CONF"
                if [ "$link_exists" = no ]; then
                  if ! ip link add dev "$IF" type wireguard 2>/dev/null; then
                    # No kernel module: fall back to the userspace implementation, as wg-quick does.
                    impl_cmd=${WG_QUICK_USERSPACE_IMPLEMENTATION:-wireguard-go}
                    command -v "$impl_cmd" >/dev/null 2>&1 || { rm -f "$CONF"; wgf_own_dir_remove /etc/wireguard; echo "this kernel has no WireGuard module and $impl_cmd is not installed (apt-get install --no-install-recommends wireguard-go)" >&2; exit 3; }
                    # Detached from this SSH session (its output would hold the channel open) and from
                    # wgforward's host lock (fd 9), which it would otherwise hold for as long as it runs.
                    "$impl_cmd" "$IF" </dev/null >/dev/null 2>&1 9>&-
                  fi
                fi
                ip link set dev "$IF" alias "$OWNER"
                if ip -d link show dev "$IF" | grep -q 'wireguard'; then impl=kernel; else impl=wireguard-go; fi
                """);
        s.append("wg syncconf \"$IF\" /dev/stdin ").append(Shell.heredoc("WGFORWARD_SETCONF", WgConfigRenderer.wgSetconf(wg)));
        s.append("ADDR=").append(quote(wg.address())).append('\n');
        s.append("""
                for a in $(ip -4 -o address show dev "$IF" | awk '{print $4}'); do
                  [ "$a" = "$ADDR" ] || ip -4 address del "$a" dev "$IF"
                done
                ip -4 address replace "$ADDR" dev "$IF"
                """);
        s.append("ADDR6=").append(wg.address6() == null ? "''" : quote(wg.address6())).append('\n');
        s.append("""
                # The IPv6 tunnel address, and no other global one (link-local addresses are the kernel's).
                # nodad: the address is usable at once; a point-to-point tunnel has nobody to clash with.
                if [ -d /proc/sys/net/ipv6 ]; then
                  for a in $(ip -6 -o address show dev "$IF" scope global | awk '{print $4}'); do
                    [ "$a" = "$ADDR6" ] || ip -6 address del "$a" dev "$IF"
                  done
                fi
                if [ -n "$ADDR6" ]; then ip -6 address replace "$ADDR6" dev "$IF" nodad; fi
                """);
        wg.mtu().ifPresent(mtu -> s.append("ip link set dev \"$IF\" mtu ").append(mtu).append('\n'));
        s.append("ip link set dev \"$IF\" up\n");
        // Routes for the peers' allowed IPs, as wg-quick adds them; marked proto static so that
        // stale ones (a removed peer) can be told apart from the address's own connected route.
        Set<String> routes = new LinkedHashSet<>();
        wg.peers().forEach(p -> routes.addAll(p.allowedIps()));
        s.append("WANT=").append(quote(String.join(" ", routes))).append('\n');
        s.append("""
                for r in $WANT; do ip route replace "$r" dev "$IF" proto static; done
                for r in $(ip -4 route show dev "$IF" proto static | awk '{print $1}'); do
                  keep=no
                  for w in $WANT; do [ "$r" = "$w" ] && keep=yes; [ "$r/32" = "$w" ] && keep=yes; done
                  [ $keep = yes ] || ip route del "$r" dev "$IF" proto static
                done
                if [ -d /proc/sys/net/ipv6 ]; then
                  for r in $(ip -6 route show dev "$IF" proto static | awk '{print $1}'); do
                    keep=no
                    for w in $WANT; do [ "$r" = "$w" ] && keep=yes; [ "$r/128" = "$w" ] && keep=yes; done
                    [ $keep = yes ] || ip -6 route del "$r" dev "$IF" proto static
                  done
                fi
                # Enabled at boot where systemd runs: the file above is a complete wg-quick config.
                """);
        s.append("if ").append(Systemd.RUNS).append("; then\n");
        s.append("""
                  systemctl enable "wg-quick@$IF" >/dev/null 2>&1 || true
                fi
                echo "implementation=$impl"
                """);
        return s.toString();
    }

    /** {@code 10.77.42.1/24} → {@code 10.77.42.0/24}. */
    static String network(String cidr) {
        String[] parts = cidr.split("/");
        int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        String[] octets = parts[0].split("\\.");
        long ip = 0;
        for (String octet : octets) {
            ip = ip << 8 | Integer.parseInt(octet);
        }
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        long net = ip & mask;
        return (net >> 24 & 255) + "." + (net >> 16 & 255) + "." + (net >> 8 & 255) + "." + (net & 255) + "/" + prefix;
    }

    /**
     * Prints the interface as it is: {@code absent}, or its owner mark, public key, listen port,
     * peers ({@code wg show dump} without its first line: the private key is never read back),
     * addresses, MTU, the config file's digest (or {@code none}) and the implementation.
     */
    public static String inspect(String interfaceName) {
        return "IF=" + quote(interfaceName) + "\nCONF=" + quote(configPath(interfaceName)) + "\n" + """
                if ! ip link show dev "$IF" >/dev/null 2>&1; then echo absent; exit 0; fi
                echo present
                echo '--mark'
                cat "/sys/class/net/$IF/ifalias" 2>/dev/null || true
                echo '--public-key'
                wg show "$IF" public-key
                echo '--listen-port'
                wg show "$IF" listen-port
                echo '--peers'
                wg show "$IF" dump | tail -n +2
                echo '--address'
                ip -4 -o address show dev "$IF" | awk '{print $4}'
                echo '--address6'
                ip -6 -o address show dev "$IF" scope global 2>/dev/null | awk '{print $4}'
                echo '--mtu'
                cat "/sys/class/net/$IF/mtu"
                echo '--config'
                if [ -f "$CONF" ]; then sha256sum "$CONF" | cut -c1-64; else echo none; fi
                echo '--impl'
                if ip -d link show dev "$IF" | grep -q 'wireguard'; then echo kernel; else echo wireguard-go; fi
                """;
    }

    /**
     * Removes the interface, its wireguard-go process (which exits with its device), its config
     * and boot unit — each only if it is this owner's; another owner's object is left and
     * reported as a {@code left=...} line. /etc/wireguard goes too when wgforward made it and
     * nothing but its marker is left there.
     */
    public static String down(String interfaceName, OwnerMark owner, OwnerMark.Unmarked unmarked) {
        return "IF=" + quote(interfaceName) + "\nCONF=" + quote(configPath(interfaceName)) + "\n"
                + owner.guardFunctions(unmarked, "") + OwnDirectory.FUNCTIONS + "set -eu\n" + OBSERVE_OWNED_OBJECTS + """
                if wgf_mine "file $CONF" "$conf_exists" "$(wgf_file_mark "$CONF")"; then
                """ + "  if " + Systemd.RUNS + "; then\n" + """
                    # After a reboot systemd brought the tunnel up: stop it the way systemd knows
                    # (wg-quick down, while the config is still there), or the unit stays active.
                    if systemctl is-active --quiet "wg-quick@$IF"; then systemctl stop "wg-quick@$IF" >/dev/null 2>&1 || true; fi
                    systemctl disable "wg-quick@$IF" >/dev/null 2>&1 || true
                  fi
                  rm -f "$CONF"
                fi
                wgf_own_dir_remove /etc/wireguard
                if wgf_mine "interface $IF" "$link_exists" "$link_mark"; then
                  if ip link show dev "$IF" >/dev/null 2>&1; then ip link del dev "$IF"; fi
                  # wireguard-go notices its device is gone and exits; wait for it so nothing is left running.
                  i=0
                  while [ -S "/run/wireguard/$IF.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
                  rm -f "/run/wireguard/$IF.sock"
                fi
                """;
    }

    /**
     * What {@link #inspect} saw. The private key is never read back: compare {@link #publicKey}.
     * {@code addresses} are the IPv4 ones, {@code addresses6} the global IPv6 ones (as ip prints
     * them: canonical, with the prefix), so that an IPv4-only tunnel reads as before.
     */
    public record Observed(boolean present, String mark, Optional<String> publicKey, Optional<Integer> listenPort,
            List<ObservedPeer> peers, List<String> addresses, Optional<Integer> mtu, Optional<String> configDigest,
            String implementation, List<String> addresses6) {
        public Observed {
            addresses6 = List.copyOf(addresses6);
        }

        public Observed(boolean present, String mark, Optional<String> publicKey, Optional<Integer> listenPort,
                List<ObservedPeer> peers, List<String> addresses, Optional<Integer> mtu, Optional<String> configDigest,
                String implementation) {
            this(present, mark, publicKey, listenPort, peers, addresses, mtu, configDigest, implementation, List.of());
        }

        public static Observed absent() {
            return new Observed(false, "", Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                    Optional.empty(), "", List.of());
        }

        /** The IPv6 address, when there is exactly one (what {@link WgInterface#address6} declares), else null. */
        public String address6() {
            return addresses6.size() == 1 ? addresses6.get(0) : addresses6.isEmpty() ? null : String.join(",", addresses6);
        }
    }

    public record ObservedPeer(String publicKey, List<String> allowedIps, Optional<String> endpoint,
            Optional<Integer> persistentKeepalive) {

        /**
         * The keepalive in the form it was declared: wg shows off as none, which is 0 where the
         * declaration said 0 (so that an explicit 0 is no drift); the way back from {@link WgPeer#keepalive}.
         */
        public Integer keepaliveAsDeclared(Integer declaredSeconds) {
            return persistentKeepalive.orElse(declaredSeconds != null && declaredSeconds == 0 ? 0 : null);
        }
    }

    public static Observed parse(String output) {
        String[] lines = output.split("\n");
        if (lines.length == 0 || !lines[0].strip().equals("present")) {
            return Observed.absent();
        }
        String section = "";
        String mark = "";
        Optional<String> publicKey = Optional.empty();
        Optional<Integer> listenPort = Optional.empty();
        List<ObservedPeer> peers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<String> addresses6 = new ArrayList<>();
        Optional<Integer> mtu = Optional.empty();
        Optional<String> config = Optional.empty();
        String impl = "";
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("--")) {
                section = line.substring(2);
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            switch (section) {
                case "mark" -> mark = line;
                case "public-key" -> publicKey = line.equals("(none)") ? Optional.empty() : Optional.of(line);
                case "listen-port" -> listenPort = line.matches("\\d+") && !line.equals("0")
                        ? Optional.of(Integer.parseInt(line)) : Optional.empty();
                case "peers" -> {
                    // public-key preshared-key endpoint allowed-ips latest-handshake rx tx keepalive
                    String[] f = line.split("\t");
                    if (f.length >= 8) {
                        List<String> allowed = f[3].equals("(none)") ? List.of() : List.of(f[3].split(","));
                        Optional<Integer> keepalive = f[7].matches("\\d+") ? Optional.of(Integer.parseInt(f[7])) : Optional.empty();
                        peers.add(new ObservedPeer(f[0], allowed, f[2].equals("(none)") ? Optional.empty() : Optional.of(f[2]), keepalive));
                    }
                }
                case "address" -> addresses.add(line);
                case "address6" -> addresses6.add(line);
                case "mtu" -> mtu = line.matches("\\d+") ? Optional.of(Integer.parseInt(line)) : Optional.empty();
                case "config" -> config = line.equals("none") ? Optional.empty() : Optional.of(line);
                case "impl" -> impl = line;
                default -> { }
            }
        }
        return new Observed(true, mark, publicKey, listenPort, peers, addresses, mtu, config, impl, addresses6);
    }
}
