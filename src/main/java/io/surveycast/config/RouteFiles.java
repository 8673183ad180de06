package io.surveycast.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

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
        return PackagedFiles.list("routes").stream().filter(n -> n.endsWith(SUFFIX)).toList();
    }

    private static List<String> list(Path dir) {
        return PackagedFiles.names(dir).stream().filter(n -> n.endsWith(SUFFIX)).toList();
    }
}
