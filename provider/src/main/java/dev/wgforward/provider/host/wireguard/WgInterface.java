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
 *     192.168.77.1/24}, as {@link Validators#tunnelAddress} allows
 * @param listenPort the UDP port to listen on; empty to let the kernel pick one (a client that
 *     only dials out)
 * @param privateKey this side's private key
 * @param mtu the interface MTU, as {@link Validators#mtu} allows; empty for wg-quick's default (1420 on most links)
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
        Validators.tunnelAddress(address).ifPresent(reason -> reject("interface address " + reason));
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
