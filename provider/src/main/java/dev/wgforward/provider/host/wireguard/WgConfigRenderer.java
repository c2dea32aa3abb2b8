package dev.wgforward.provider.host.wireguard;

/**
 * Renders WireGuard configuration files. The output depends only on the argument (peers in their
 * given order, keys in a fixed order, {@code \n} line ends), so an unchanged configuration renders
 * to identical bytes and the caller can compare files to detect drift.
 */
public final class WgConfigRenderer {
    private WgConfigRenderer() {}

    /** Full wg-quick(8) file, e.g. {@code /etc/wireguard/wgf0.conf}. */
    public static String wgQuick(WgInterface wgInterface) {
        return render(wgInterface, true);
    }

    /**
     * The same configuration without wg-quick's own keys (Address, MTU), in the form {@code wg
     * setconf} and {@code wg syncconf} accept; they reject the wg-quick keys.
     */
    public static String wgSetconf(WgInterface wgInterface) {
        return render(wgInterface, false);
    }

    private static String render(WgInterface wgInterface, boolean withWgQuickKeys) {
        StringBuilder out = new StringBuilder();
        out.append("# Managed by wgforward (interface ").append(wgInterface.name())
                .append("). Manual changes are overwritten.\n");
        out.append("[Interface]\n");
        line(out, "PrivateKey", wgInterface.privateKey());
        if (withWgQuickKeys) {
            line(out, "Address", wgInterface.address());
            // wg-quick takes one Address line per address; the IPv6 one second, so an IPv4-only file is unchanged.
            if (wgInterface.address6() != null) {
                line(out, "Address", wgInterface.address6());
            }
        }
        wgInterface.listenPort().ifPresent(port -> line(out, "ListenPort", Integer.toString(port)));
        if (withWgQuickKeys) {
            wgInterface.mtu().ifPresent(mtu -> line(out, "MTU", Integer.toString(mtu)));
        }
        for (WgPeer peer : wgInterface.peers()) {
            out.append('\n');
            out.append("[Peer]\n");
            line(out, "PublicKey", peer.publicKey());
            if (!peer.allowedIps().isEmpty()) {
                line(out, "AllowedIPs", String.join(", ", peer.allowedIps()));
            }
            peer.endpoint().ifPresent(endpoint -> line(out, "Endpoint", endpoint));
            peer.persistentKeepalive().ifPresent(seconds -> line(out, "PersistentKeepalive", Integer.toString(seconds)));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }
}
