package dev.wgforward.provider.host.wireguard;

import static dev.wgforward.provider.host.Shell.quote;

import java.util.ArrayList;
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

    public static String configPath(String interfaceName) {
        return "/etc/wireguard/" + interfaceName + ".conf";
    }

    /**
     * Brings the interface to exactly the given configuration: creates it (kernel module, else
     * wireguard-go, as wg-quick does), syncs keys and peers without disturbing live sessions
     * (wg syncconf), sets the address, MTU and routes to the peers' allowed IPs. Prints
     * {@code implementation=kernel|wireguard-go}.
     */
    public static String up(WgInterface wg) {
        String name = quote(wg.name());
        StringBuilder s = new StringBuilder();
        s.append("set -eu\n");
        s.append("IF=").append(name).append('\n');
        s.append("""
                command -v wg >/dev/null 2>&1 || { echo "the wg command is missing: install wireguard-tools (apt-get install --no-install-recommends wireguard-tools)" >&2; exit 3; }
                if ! ip link show dev "$IF" >/dev/null 2>&1; then
                  if ! ip link add dev "$IF" type wireguard 2>/dev/null; then
                    # No kernel module: fall back to the userspace implementation, as wg-quick does.
                    impl_cmd=${WG_QUICK_USERSPACE_IMPLEMENTATION:-wireguard-go}
                    command -v "$impl_cmd" >/dev/null 2>&1 || { echo "this kernel has no WireGuard module and $impl_cmd is not installed (apt-get install --no-install-recommends wireguard-go)" >&2; exit 3; }
                    # Detached from this SSH session: its output would otherwise hold the channel open.
                    "$impl_cmd" "$IF" </dev/null >/dev/null 2>&1
                  fi
                fi
                if ip -d link show dev "$IF" | grep -q 'wireguard'; then impl=kernel; else impl=wireguard-go; fi
                umask 077
                """);
        // The configuration travels inside this script (stdin), never as an argument.
        s.append("wg syncconf \"$IF\" /dev/stdin <<'WGFORWARD_EOF'\n");
        s.append(WgConfigRenderer.wgSetconf(wg));
        s.append("WGFORWARD_EOF\n");
        s.append("ADDR=").append(quote(wg.address())).append('\n');
        s.append("""
                for a in $(ip -4 -o address show dev "$IF" | awk '{print $4}'); do
                  [ "$a" = "$ADDR" ] || ip -4 address del "$a" dev "$IF"
                done
                ip -4 address replace "$ADDR" dev "$IF"
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
                # Enabled at boot where systemd runs: the file above is a complete wg-quick config.
                if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
                  systemctl enable "wg-quick@$IF" >/dev/null 2>&1 || true
                fi
                echo "implementation=$impl"
                """);
        return s.toString();
    }

    /** Prints the interface as it is: {@code absent}, or sections for {@code wg show dump}, address, MTU, config file. */
    public static String inspect(String interfaceName) {
        return "IF=" + quote(interfaceName) + "\n" + """
                if ! ip link show dev "$IF" >/dev/null 2>&1; then echo absent; exit 0; fi
                echo present
                echo '--dump'
                wg show "$IF" dump
                echo '--address'
                ip -4 -o address show dev "$IF" | awk '{print $4}'
                echo '--mtu'
                cat "/sys/class/net/$IF/mtu"
                echo '--config'
                if [ -f "/etc/wireguard/$IF.conf" ]; then echo yes; else echo no; fi
                echo '--impl'
                if ip -d link show dev "$IF" | grep -q 'wireguard'; then echo kernel; else echo wireguard-go; fi
                """;
    }

    /** Removes the interface, its wireguard-go process (which exits with its device), its config and boot unit. */
    public static String down(String interfaceName) {
        return "IF=" + quote(interfaceName) + "\n" + """
                set -eu
                if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
                  systemctl disable "wg-quick@$IF" >/dev/null 2>&1 || true
                fi
                if ip link show dev "$IF" >/dev/null 2>&1; then ip link del dev "$IF"; fi
                # wireguard-go notices its device is gone and exits; wait for it so nothing is left running.
                i=0
                while [ -S "/run/wireguard/$IF.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
                rm -f "/run/wireguard/$IF.sock"
                rm -f "/etc/wireguard/$IF.conf"
                """;
    }

    /** What {@link #inspect} saw. */
    public record Observed(boolean present, Optional<String> privateKey, Optional<Integer> listenPort,
            List<ObservedPeer> peers, List<String> addresses, Optional<Integer> mtu, boolean configFile,
            String implementation) {
        public static Observed absent() {
            return new Observed(false, Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), false, "");
        }
    }

    public record ObservedPeer(String publicKey, List<String> allowedIps, Optional<String> endpoint,
            Optional<Integer> persistentKeepalive) {}

    public static Observed parse(String output) {
        String[] lines = output.split("\n");
        if (lines.length == 0 || !lines[0].strip().equals("present")) {
            return Observed.absent();
        }
        String section = "";
        Optional<String> privateKey = Optional.empty();
        Optional<Integer> listenPort = Optional.empty();
        List<ObservedPeer> peers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        Optional<Integer> mtu = Optional.empty();
        boolean config = false;
        String impl = "";
        boolean firstDumpLine = true;
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
                case "dump" -> {
                    String[] f = line.split("\t");
                    if (firstDumpLine) {
                        // private-key public-key listen-port fwmark
                        privateKey = f[0].equals("(none)") ? Optional.empty() : Optional.of(f[0]);
                        listenPort = f.length > 2 && f[2].matches("\\d+") ? Optional.of(Integer.parseInt(f[2])) : Optional.empty();
                        firstDumpLine = false;
                    } else if (f.length >= 8) {
                        // public-key preshared-key endpoint allowed-ips latest-handshake rx tx keepalive
                        List<String> allowed = f[3].equals("(none)") ? List.of() : List.of(f[3].split(","));
                        Optional<Integer> keepalive = f[7].matches("\\d+") ? Optional.of(Integer.parseInt(f[7])) : Optional.empty();
                        peers.add(new ObservedPeer(f[0], allowed, f[2].equals("(none)") ? Optional.empty() : Optional.of(f[2]), keepalive));
                    }
                }
                case "address" -> addresses.add(line);
                case "mtu" -> mtu = line.matches("\\d+") ? Optional.of(Integer.parseInt(line)) : Optional.empty();
                case "config" -> config = line.equals("yes");
                case "impl" -> impl = line;
                default -> { }
            }
        }
        return new Observed(true, privateKey, listenPort, peers, addresses, mtu, config, impl);
    }
}
