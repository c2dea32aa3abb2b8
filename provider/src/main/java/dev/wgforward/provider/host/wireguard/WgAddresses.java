package dev.wgforward.provider.host.wireguard;

import dev.wgforward.provider.check.Validators;

/** Address syntax that only the WireGuard config needs (AllowedIPs may be IPv6). */
final class WgAddresses {
    private WgAddresses() {}

    /** {@code a.b.c.d/0..32} or {@code ipv6/0..128}. */
    static boolean isCidr(String value) {
        if (value == null) {
            return false;
        }
        if (value.indexOf(':') < 0) {
            return Validators.ipv4Cidr(value).isEmpty();
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String prefix = value.substring(slash + 1);
        if (!prefix.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefix) > 128) {
            return false;
        }
        return Validators.ipv6(value.substring(0, slash)).isEmpty();
    }
}
