package dev.wgforward.provider.framework;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wgforward.provider.host.ssh.DialListener;
import dev.wgforward.provider.host.ssh.HostKeyPolicy;
import dev.wgforward.provider.host.ssh.HostSession;
import dev.wgforward.provider.host.ssh.Redactor;
import dev.wgforward.provider.host.ssh.SshConnector;
import dev.wgforward.provider.host.ssh.SshTarget;
import java.util.Optional;

/** Shared helpers for the framework tests: the real schema, contexts, and an SSH connector that must not be used. */
final class TestSupport {
    private TestSupport() {}

    static final Schema SCHEMA = new Schema(ProviderInfo.load().schemaJson());

    /** Check, diff and preview never touch a host: any connection attempt fails the test. */
    static final SshConnector NO_SSH = new SshConnector() {
        @Override
        public HostSession open(SshTarget target, HostKeyPolicy hostKeyPolicy, DialListener listener, Redactor redactor) {
            throw new AssertionError("this operation must not connect over SSH (tried " + target + ")");
        }
    };

    static ResourceContext ctx(boolean preview) {
        return new ResourceContext("urn:pulumi:test::proj::wgforward:index:Test::t", "t", preview, EngineLog.DISCARD,
                () -> false, Optional.empty());
    }

    static JsonObject obj(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** The value inside secret wrappers (written here so the tests do not depend on a particular Values helper). */
    static com.google.gson.JsonElement unwrap(com.google.gson.JsonElement e) {
        while (dev.wgforward.provider.wire.Values.isSecret(e) && e.getAsJsonObject().has("value")) {
            e = e.getAsJsonObject().get("value");
        }
        return e;
    }
}
