package io.surveycast.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which route files Camel loads: the ones packaged in the jar ({@code routes/*.camel.yaml}), each
 * replaced by a file of the same name in {@code SURVEYCAST_ROUTES_DIR}, plus any other route files there.
 */
public final class RouteFiles {
    private static final String SUFFIX = ".camel.yaml";

    private RouteFiles() {
    }

    /** The value for {@code camel.main.routesIncludePattern}. */
    public static String includePattern(Optional<Path> overrideDir, java.util.function.Predicate<String> wanted) {
        TreeSet<String> overridden = new TreeSet<>();
        List<String> patterns = new ArrayList<>();
        if (overrideDir.isPresent()) {
            Path dir = overrideDir.get().toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException("SURVEYCAST_ROUTES_DIR: " + dir + " is not a directory");
            }
            for (String name : list(dir)) {
                if (!wanted.test(name)) {
                    continue;
                }
                overridden.add(name);
                patterns.add("file:" + dir.resolve(name));
            }
        }
        for (String name : packaged()) {
            if (!overridden.contains(name) && wanted.test(name)) {
                patterns.add("classpath:routes/" + name);
            }
        }
        return String.join(",", patterns);
    }

    static List<String> packaged() {
        var url = RouteFiles.class.getResource("/routes");
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return list(fs.getPath("/routes"));
            }
            return list(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list the packaged routes", e);
        }
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
