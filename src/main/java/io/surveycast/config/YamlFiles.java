package io.surveycast.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The YAML files that `... apply PATH...` commands read: files as given, directories walked for .yaml/.yml. */
public final class YamlFiles {
    private YamlFiles() {
    }

    /** {@link #expand}, stopping with every error line when a path is missing or holds no file. */
    public static List<Path> expandAll(List<Path> paths, String kind) {
        List<String> errors = new ArrayList<>();
        List<Path> files = expand(paths, kind, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return files;
    }

    /** Each path's files, sorted within a directory; a missing path or an empty directory is an error line. */
    public static List<Path> expand(List<Path> paths, String kind, List<String> errors) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    List<Path> found = walk.filter(Files::isRegularFile)
                            .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                            .sorted()
                            .toList();
                    if (found.isEmpty()) {
                        errors.add(path + ":1: file: no .yaml " + kind + " files in this directory");
                    }
                    files.addAll(found);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                errors.add(path + ":1: file: no such file or directory");
            }
        }
        return files;
    }
}
