package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.check.Validators;
import dev.wgforward.provider.host.Ipv6Text;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A WireGuard interface as wgforward configures it: one side of a tunnel.
 *
 * @param name the interface name, e.g. {@code wgf0}
 * @param address the interface's tunnel address with the tunnel's prefix length, e.g. {@code
 *     192.168.77.1/24}, as {@link Validators#tunnelAddress} allows
 * @param address6 the interface's IPv6 tunnel address with the tunnel's prefix length, e.g.
 *     {@code fd77:42::1/64} (kept in canonical text, as ip prints it); null for an IPv4-only tunnel
 * @param listenPort the UDP port to listen on; empty to let the kernel pick one (a client that
 *     only dials out)
 * @param privateKey this side's private key
 * @param mtu the interface MTU, as {@link Validators#mtu} allows; empty for wg-quick's default (1420 on most links)
 * @param peers the peers, written in this order
 */
public record WgInterface(
        String name,
        String address,
        String address6,
        OptionalInt listenPort,
        String privateKey,
        OptionalInt mtu,
        List<WgPeer> peers) {

    public WgInterface {
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(mtu, "mtu");
        peers = List.copyOf(peers);
        Validators.interfaceName(name).ifPresent(reason -> reject("interface name " + reason));
        Validators.tunnelAddress(address).ifPresent(reason -> reject("interface address " + reason));
        if (address6 != null) {
            String given = address6;
            int slash = given.indexOf('/');
            if (slash < 0 || Validators.allowedIp(given).isPresent() || Integer.parseInt(given.substring(slash + 1)) > 127
                    || !Ipv6Text.isIpv6(given)) {
                reject("interface IPv6 address must be an IPv6 address with the tunnel's prefix length (/16 to /127), such as"
                        + " fd77:42::1/64, got " + Validators.displayValue(given));
            }
            address6 = Ipv6Text.canonicalCidr(given);
            String host = Ipv6Text.addressOf(address6);
            Ipv6Text.notUnicast(host).ifPresent(why -> reject("interface IPv6 address must be a unicast address such as fd77:42::1/64,"
                    + " but " + host + " is " + why));
        }
        listenPort.ifPresent(port -> Validators.port(port).ifPresent(reason -> reject("listen port " + reason)));
        Validators.wireguardKey(privateKey).ifPresent(reason -> reject("interface private key " + reason));
        mtu.ifPresent(value -> Validators.mtu(value).ifPresent(reason -> reject("MTU " + reason)));
        Set<String> seenKeys = new HashSet<>();
        for (WgPeer peer : peers) {
            // wg(8) would silently merge two [Peer] sections with the same key into one.
            if (!seenKeys.add(peer.publicKey())) {
                reject("each peer must have its own public key, but " + peer.publicKey() + " appears twice");
            }
        }
    }

    /** An IPv4-only interface (the form from before IPv6). */
    public WgInterface(String name, String address, OptionalInt listenPort, String privateKey, OptionalInt mtu, List<WgPeer> peers) {
        this(name, address, null, listenPort, privateKey, mtu, peers);
    }

    /** Leaves the private key out, so that logging an interface can't leak it. */
    @Override
    public String toString() {
        return "WgInterface[name=" + name + ", address=" + address + ", address6=" + address6 + ", listenPort=" + listenPort
                + ", privateKey=<redacted>, mtu=" + mtu + ", peers=" + peers + "]";
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
