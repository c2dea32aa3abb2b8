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
 * @param description a free-text note written as a comment above the peer, one line
 */
public record WgPeer(
        String publicKey,
        List<String> allowedIps,
        Optional<String> endpoint,
        OptionalInt persistentKeepalive,
        Optional<String> description) {

    /** Long enough for any sensible note, short enough to keep the file readable. */
    private static final int MAX_DESCRIPTION_CHARS = 200;

    public WgPeer {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
        Objects.requireNonNull(description, "description");
        allowedIps = List.copyOf(allowedIps);
        Validators.wireguardKey(publicKey).ifPresent(reason -> reject("peer public key " + reason));
        for (String allowedIp : allowedIps) {
            Validators.allowedIp(allowedIp).ifPresent(reason -> reject("peer AllowedIPs entry " + reason));
        }
        endpoint.ifPresent(value -> Validators.endpoint(value).ifPresent(reason -> reject("peer endpoint " + reason)));
        persistentKeepalive.ifPresent(seconds -> Validators.persistentKeepalive(seconds)
                .ifPresent(reason -> reject("peer persistent keepalive " + reason)));
        description.ifPresent(WgPeer::checkDescription);
    }

    /** A peer with just a key and its allowed addresses. */
    public static WgPeer of(String publicKey, List<String> allowedIps) {
        return new WgPeer(publicKey, allowedIps, Optional.empty(), OptionalInt.empty(), Optional.empty());
    }

    /**
     * A declared keepalive as a peer holds it: none and 0 both mean off, and off is left out of
     * the config (wg reports it as off either way). {@link WgHostScripts.ObservedPeer#keepaliveAsDeclared}
     * is the way back.
     */
    public static OptionalInt keepalive(Integer declaredSeconds) {
        return declaredSeconds == null || declaredSeconds == 0 ? OptionalInt.empty() : OptionalInt.of(declaredSeconds);
    }

    private static void checkDescription(String text) {
        if (text.length() > MAX_DESCRIPTION_CHARS) {
            reject("peer description must be at most " + MAX_DESCRIPTION_CHARS + " characters, got " + text.length());
        }
        // The description becomes a "# ..." line: a line break in it would let it add
        // configuration such as a PostUp command that wg-quick runs as root.
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                reject("peer description must be a single line without control characters, got " + Validators.displayValue(text));
            }
        }
    }

    private static void reject(String reason) {
        throw new IllegalArgumentException(reason);
    }
}
