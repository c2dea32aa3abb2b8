package dev.wgforward.provider.framework;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What the plugin says about itself: its package name, its real version (stamped in at build time)
 * and the package schema (the repository's schema.json, bundled in the jar, with that version).
 */
public record ProviderInfo(String name, String version, String schemaJson) {

    public static final String PACKAGE_NAME = "wgforward";

    public static ProviderInfo load() {
        Properties versionProps = new Properties();
        try (InputStream in = resource("/wgforward-version.properties")) {
            versionProps.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = versionProps.getProperty("version");
        if (version == null || version.isBlank() || version.contains("${")) {
            throw new IllegalStateException("the plugin jar carries no version: build it with Maven");
        }
        String schema;
        try (InputStream in = resource("/dev/wgforward/provider/schema.json")) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProviderInfo(PACKAGE_NAME, version, withVersion(schema, version));
    }

    /**
     * The schema as served: with the plugin's version at top level. The engine's schema loader
     * serves a schema that names its version as it is (and caches it on disk for a versioned
     * plugin); one without makes it start the plugin a second time to fill the version in. The
     * version belongs to the build, not to schema.json, so it is added here, in front of the
     * rest of the text, which stays byte for byte the repository's.
     */
    static String withVersion(String schema, String version) {
        JsonObject parsed = JsonParser.parseString(schema).getAsJsonObject();
        if (parsed.has("version")) {
            if (!parsed.get("version").getAsString().equals(version)) {
                throw new IllegalStateException("schema.json says version " + parsed.get("version")
                        + " but the plugin is " + version + ": leave the version out of schema.json, the build adds it");
            }
            return schema;
        }
        int brace = schema.indexOf('{');
        return schema.substring(0, brace + 1) + "\n  \"version\": " + new JsonPrimitive(version) + ","
                + schema.substring(brace + 1);
    }

    private static InputStream resource(String path) {
        InputStream in = ProviderInfo.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing resource " + path + " in the plugin jar");
        }
        return in;
    }
}
