package dev.wgforward.provider.resources;

import dev.wgforward.provider.framework.Registry;
import dev.wgforward.provider.framework.Schema;

/** Every resource type wgforward serves, wired into one registry. */
public final class WgforwardResources {
    private WgforwardResources() {}

    public static Registry registry(Schema schema) {
        return new Registry(schema)
                .add(new KeyPair());
    }
}
