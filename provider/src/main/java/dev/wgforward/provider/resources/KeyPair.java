package dev.wgforward.provider.resources;

import dev.wgforward.provider.framework.TypedResource;
import dev.wgforward.provider.framework.ResourceContext;
import dev.wgforward.provider.host.wireguard.WgKeyPair;
import dev.wgforward.provider.host.wireguard.WgKeys;
import java.util.Map;
import java.util.Optional;

/**
 * {@code wgforward:index:KeyPair}: a WireGuard key pair generated once, in the provider, and kept
 * in the state (the private key as a secret). Its ID is the public key, as `wg` names peers.
 * Nothing lives on a host, so read, update and delete have nothing to do; changing a keeper
 * replaces the pair (key rotation).
 */
public final class KeyPair extends TypedResource<KeyPair.Inputs, KeyPair.Outputs> {
    static final String TOKEN = "wgforward:index:KeyPair";

    public record Inputs(Map<String, String> keepers) {}

    public record Outputs(String publicKey, String privateKey) {}

    public KeyPair() {
        super(TOKEN, Inputs.class, Outputs.class);
    }

    @Override
    public Created<Outputs> create(ResourceContext ctx, Inputs inputs) {
        if (ctx.preview()) {
            return new Created<>("", new Outputs(null, null));
        }
        WgKeyPair pair = WgKeys.generate();
        return new Created<>(pair.publicKey(), new Outputs(pair.publicKey(), pair.privateKey()));
    }

    @Override
    public Optional<State<Inputs, Outputs>> read(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        return Optional.of(state);
    }

    @Override
    public Outputs update(ResourceContext ctx, String id, State<Inputs, Outputs> olds, Inputs news) {
        return olds.outputs();
    }

    @Override
    public void delete(ResourceContext ctx, String id, State<Inputs, Outputs> state) {
        // Keys live only in the state.
    }
}
