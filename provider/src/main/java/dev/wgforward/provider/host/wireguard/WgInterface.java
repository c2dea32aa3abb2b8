package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.check.Validators;
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
 *     192.168.77.1/24}
 * @param listenPort the UDP port to listen on; empty to let the kernel pick one (a client that
 *     only dials out)
 * @param privateKey this side's private key
 * @param mtu the interface MTU, 576 to 65535; empty for wg-quick's default (1420 on most links)
 * @param peers the peers, written in this order
 */
public record WgInterface(
        String name,
        String address,
        OptionalInt listenPort,
        String privateKey,
        OptionalInt mtu,
        List<WgPeer> peers) {

    public WgInterface {
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(mtu, "mtu");
        peers = List.copyOf(peers);
        Validators.interfaceName(name).ifPresent(reason -> reject("interface name " + reason));
        Validators.ipv4Cidr(address).ifPresent(reason -> reject("interface address " + reason));
        listenPort.ifPresent(port -> Validators.port(port).ifPresent(reason -> reject("listen port " + reason)));
        Validators.wireguardKey(privateKey).ifPresent(reason -> reject("interface private key " + reason));
        mtu.ifPresent(value -> {
            // 576 is the smallest datagram every IPv4 host must accept; anything below can't carry
            // the traffic wgforward forwards.
            if (value < 576 || value > 65535) {
                reject("MTU must be from 576 to 65535, got " + value);
            }
        });
        Set<String> seenKeys = new HashSet<>();
        for (WgPeer peer : peers) {
            // wg(8) would silently merge two [Peer] sections with the same key into one.
            if (!seenKeys.add(peer.publicKey())) {
                reject("each peer must have its own public key, but " + peer.publicKey() + " appears twice");
            }
        }
    }

    /** Leaves the private key out, so that logging an interface can't leak it. */
    @Override
    public String toString() {
        return "WgInterface[name=" + name + ", address=" + address + ", listenPort=" + listenPort
                + ", privateKey=<redacted>, mtu=" + mtu + ", peers=" + peers + "]";
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
