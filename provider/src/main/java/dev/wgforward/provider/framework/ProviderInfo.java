package dev.wgforward.provider.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What the plugin says about itself: its package name, its real version (stamped in at build time)
 * and the package schema (the repository's schema.json, bundled in the jar).
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
        return new ProviderInfo(PACKAGE_NAME, version, schema);
    }

    private static InputStream resource(String path) {
        InputStream in = ProviderInfo.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing resource " + path + " in the plugin jar");
        }
        return in;
    }
}
