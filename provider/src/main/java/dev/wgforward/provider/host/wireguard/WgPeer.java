package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.check.Validators;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code [Peer]} of a WireGuard interface.
 *
 * @param publicKey the peer's public key
 * @param allowedIps the addresses the peer may send from and that are routed to it, as CIDRs
 *     (IPv4 or IPv6), e.g. {@code 192.168.77.2/32}
 * @param endpoint where to reach the peer, {@code host:port} or {@code [ipv6]:port}; empty when
 *     the peer connects to us
 * @param persistentKeepalive seconds between keepalives, 0 (off, as wg reads it) to 65535; empty for none
 */
public record WgPeer(
        String publicKey,
        List<String> allowedIps,
        Optional<String> endpoint,
        OptionalInt persistentKeepalive) {

    public WgPeer {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
        allowedIps = List.copyOf(allowedIps);
        Validators.wireguardKey(publicKey).ifPresent(reason -> reject("peer public key " + reason));
        for (String allowedIp : allowedIps) {
            Validators.allowedIp(allowedIp).ifPresent(reason -> reject("peer AllowedIPs entry " + reason));
        }
        endpoint.ifPresent(value -> Validators.endpoint(value).ifPresent(reason -> reject("peer endpoint " + reason)));
        persistentKeepalive.ifPresent(seconds -> Validators.persistentKeepalive(seconds)
                .ifPresent(reason -> reject("peer persistent keepalive " + reason)));
    }

    /** A peer with just a key and its allowed addresses. */
    public static WgPeer of(String publicKey, List<String> allowedIps) {
        return new WgPeer(publicKey, allowedIps, Optional.empty(), OptionalInt.empty());
    }

    /**
     * A declared keepalive as a peer holds it: none and 0 both mean off, and off is left out of
     * the config (wg reports it as off either way). {@link WgHostScripts.ObservedPeer#keepaliveAsDeclared}
     * is the way back.
     */
    public static OptionalInt keepalive(Integer declaredSeconds) {
        return declaredSeconds == null || declaredSeconds == 0 ? OptionalInt.empty() : OptionalInt.of(declaredSeconds);
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
