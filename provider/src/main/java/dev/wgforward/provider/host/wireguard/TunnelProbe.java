package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.host.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Read-only health probes of a tunnel on its host: the interface and its peers as `wg show` reports
 * them, and whether the host can open a TCP connection to each forward's target now.
 *
 * <p>Private and preshared keys never leave the host: the peers are read field by field
 * ({@code wg show <if> latest-handshakes}, ...), never with {@code dump}, whose lines carry them.
 */
public final class TunnelProbe {
    private TunnelProbe() {}

    /** What {@link #interfaceScript} found. */
    public record InterfaceState(boolean present, boolean up, long hostNow, String publicKey, Integer listenPort, List<Peer> peers) {}

    /** One peer: {@code latestHandshake} in seconds since the epoch on the host, empty if never. */
    public record Peer(String publicKey, Optional<String> endpoint, List<String> allowedIps, OptionalLong latestHandshake,
            long receivedBytes, long sentBytes) {}

    public static String interfaceScript(String interfaceName) {
        Validators.interfaceName(interfaceName).ifPresent(reason -> {
            throw new IllegalArgumentException("interface name " + reason);
        });
        return """
                wgf_if=%s
                if ! ip link show dev "$wgf_if" >/dev/null 2>&1; then echo "interface=absent"; exit 0; fi
                if ip link show dev "$wgf_if" | head -n 1 | grep -Eq '[<,]UP[,>]'; then echo "interface=up"; else echo "interface=down"; fi
                echo "now=$(date +%%s)"
                echo "public-key=$(wg show "$wgf_if" public-key 2>/dev/null)"
                echo "listen-port=$(wg show "$wgf_if" listen-port 2>/dev/null)"
                wg show "$wgf_if" latest-handshakes 2>/dev/null | sed 's/^/handshake=/'
                wg show "$wgf_if" transfer 2>/dev/null | sed 's/^/transfer=/'
                wg show "$wgf_if" endpoints 2>/dev/null | sed 's/^/endpoint=/'
                wg show "$wgf_if" allowed-ips 2>/dev/null | sed 's/^/allowed=/'
                """.formatted(Shell.quote(interfaceName));
    }

    public static InterfaceState parseInterface(String output) {
        boolean present = true;
        boolean up = false;
        long now = 0;
        String publicKey = null;
        Integer listenPort = null;
        Map<String, String[]> handshakes = new LinkedHashMap<>();
        Map<String, String[]> transfers = new LinkedHashMap<>();
        Map<String, String[]> endpoints = new LinkedHashMap<>();
        Map<String, String[]> allowed = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).strip();
            String[] fields = value.split("\t");
            switch (key) {
                case "interface" -> {
                    present = !value.equals("absent");
                    up = value.equals("up");
                }
                case "now" -> now = Long.parseLong(value);
                case "public-key" -> publicKey = value.isEmpty() ? null : value;
                case "listen-port" -> listenPort = value.isEmpty() ? null : Integer.valueOf(value);
                case "handshake" -> handshakes.put(fields[0], fields);
                case "transfer" -> transfers.put(fields[0], fields);
                case "endpoint" -> endpoints.put(fields[0], fields);
                case "allowed" -> allowed.put(fields[0], fields);
                default -> { }
            }
        }
        List<Peer> peers = new ArrayList<>();
        for (String key : handshakes.keySet()) {
            long handshake = Long.parseLong(handshakes.get(key)[1]);
            String[] transfer = transfers.getOrDefault(key, new String[] {key, "0", "0"});
            String endpoint = endpoints.containsKey(key) && endpoints.get(key).length > 1 ? endpoints.get(key)[1] : "(none)";
            String ips = allowed.containsKey(key) && allowed.get(key).length > 1 ? allowed.get(key)[1] : "(none)";
            peers.add(new Peer(key, endpoint.equals("(none)") ? Optional.empty() : Optional.of(endpoint),
                    ips.equals("(none)") ? List.of() : List.of(ips.split(" ")),
                    handshake == 0 ? OptionalLong.empty() : OptionalLong.of(handshake),
                    Long.parseLong(transfer[1]), Long.parseLong(transfer[2])));
        }
        return new InterfaceState(present, up, now, publicKey, listenPort, List.copyOf(peers));
    }

    /** A TCP target to try: an IPv4 address and a port. */
    /** A forward's target: an IPv4 address, or an IPv6 one (kept in canonical text). */
    public record Target(String host, int port) {
        public Target {
            if (dev.wgforward.provider.host.Ipv6Text.isIpv6(host)) {
                Validators.ipv6(host).ifPresent(reason -> {
                    throw new IllegalArgumentException("target host " + reason);
                });
                host = dev.wgforward.provider.host.Ipv6Text.canonical(host);
            } else {
                Validators.forwardTargetHost(host).ifPresent(reason -> {
                    throw new IllegalArgumentException("target host " + reason);
                });
            }
            Validators.port(port).ifPresent(reason -> {
                throw new IllegalArgumentException("target port " + reason);
            });
        }
    }

    /**
     * Tries to open each target from the host, each within {@code timeoutSeconds}; prints {@code
     * reach=<host:port> yes|no}, an IPv6 target as {@code [host]:port} (as {@code Forward.target()} writes it).
     */
    public static String reachScript(List<Target> targets, int timeoutSeconds) {
        Validators.connectTimeoutSeconds(timeoutSeconds).ifPresent(reason -> {
            throw new IllegalArgumentException("connect timeout " + reason);
        });
        StringBuilder script = new StringBuilder("""
                wgf_try() {
                  case "$1" in *:*) wgf_target="[$1]:$2" ;; *) wgf_target="$1:$2" ;; esac
                  if timeout %d bash -c 'exec 3<>"/dev/tcp/$1/$2"' wgf "$1" "$2" 2>/dev/null; then
                    echo "reach=$wgf_target yes"
                  else
                    echo "reach=$wgf_target no"
                  fi
                }
                """.formatted(timeoutSeconds));
        for (Target t : targets) {
            script.append("wgf_try ").append(Shell.quote(t.host())).append(' ').append(t.port()).append('\n');
        }
        return script.toString();
    }

    /** Which targets answered, from {@link #reachScript}'s output. */
    public static Map<String, Boolean> parseReach(String output) {
        Map<String, Boolean> reached = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("reach=")) {
                String[] parts = line.substring(6).strip().split(" ");
                if (parts.length == 2) {
                    reached.put(parts[0], parts[1].equals("yes"));
                }
            }
        }
        return reached;
    }
}
