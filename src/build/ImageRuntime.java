import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Build step (run by exec-maven-plugin as a single-file program, profile "image"): lays out the
 * part of the container image that a base image would otherwise bring, taken from the build
 * machine itself since no container registry can be reached: a Java runtime linked by jlink from
 * the build's JDK, the shared libraries that runtime and the application's native libraries (ONNX
 * Runtime, the tokenizer, JNA) load (found with ldd, copied to the same paths), an /etc/passwd with
 * the non-root user, a /tmp, glibc's C.UTF-8 locale, and the machine's /bin/sh (for the embedded
 * PostgreSQL's initdb). Jib adds the directory as an extra layer on an empty base.
 *
 * Arguments: OUTPUT_DIR MODULES(comma-separated) UID GID; the application's runtime class path as
 * java.class.path (its jars are searched for native libraries of this machine's architecture).
 */
public class ImageRuntime {
    private static final String JAVA_HOME_IN_IMAGE = "opt/java";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ImageRuntime OUTPUT_DIR MODULES UID GID");
        }
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("the image's runtime is taken from the build machine: build it on Linux");
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        String modules = args[1].replaceAll("\\s+", "");
        String uid = args[2];
        String gid = args[3];
        long started = System.nanoTime();

        deleteRecursively(out);
        Files.createDirectories(out);
        Path javaHome = out.resolve(JAVA_HOME_IN_IMAGE);
        Files.createDirectories(javaHome.getParent());
        jlink(modules, javaHome);

        Path natives = Files.createTempDirectory("surveycast-image-natives");
        try {
            // a shell: the embedded PostgreSQL's initdb starts postgres through /bin/sh (popen)
            Path shell = out.resolve("bin/sh");
            Files.createDirectories(shell.getParent());
            Files.copy(Path.of("/bin/sh").toRealPath(), shell, StandardCopyOption.COPY_ATTRIBUTES);
            List<Path> elves = new ArrayList<>(elfFiles(javaHome));
            elves.add(shell);
            elves.addAll(extractNatives(natives));
            // where the launcher and the Java loaders find the runtime's and the application's own libraries
            String searchPath = javaHome.resolve("lib/server") + ":" + javaHome.resolve("lib") + ":" + natives;
            Set<String> libraries = new TreeSet<>();
            for (Path elf : elves) {
                for (String library : sharedLibraries(elf, searchPath)) {
                    // libraries of the runtime itself (found through $ORIGIN) are already in place
                    if (!Path.of(library).normalize().startsWith(out) && !Path.of(library).normalize().startsWith(natives)) {
                        libraries.add(library);
                    }
                }
            }
            for (String library : libraries) {
                Path target = out.resolve(library.substring(1));
                Files.createDirectories(target.getParent());
                // the file itself, under the name the loader asks for (no symbolic links to follow)
                Files.copy(Path.of(library), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            System.out.println("image runtime: jlink " + modules + ", " + libraries.size() + " shared libraries from this machine: "
                    + String.join(" ", libraries));
        } finally {
            deleteRecursively(natives);
        }

        // LANG=C.UTF-8 needs glibc's compiled C.UTF-8 locale: without it Java writes '?' for every
        // non-ASCII character on stdout and PostgreSQL's initdb refuses the locale
        Path locale = Path.of("/usr/lib/locale/C.utf8");
        if (!Files.isDirectory(locale)) {
            throw new IllegalStateException("no " + locale + " on this machine (Debian: libc-bin): the image's LANG=C.UTF-8 needs it");
        }
        try (Stream<Path> files = Files.walk(locale)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = out.resolve(file.toString().substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }

        Path etc = out.resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
                + "surveycast:x:" + uid + ":" + gid + ":surveycast:/home/surveycast:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nsurveycast:x:" + gid + ":\n");
        Files.createDirectories(out.resolve("tmp"));
        Files.createDirectories(out.resolve("home/surveycast"));
        System.out.printf("image runtime laid out in %s in %.1f s%n", out, (System.nanoTime() - started) / 1e9);
    }

    private static void jlink(String modules, Path output) {
        ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new IllegalStateException("no jlink in " + System.getProperty("java.home") + ": build with a JDK"));
        int code = jlink.run(System.out, System.err, "--add-modules", modules, "--output", output.toString(),
                "--strip-debug", "--no-header-files", "--no-man-pages",
                // desktop windows and sound (X11, ALSA libraries): never used by a headless server
                "--exclude-files", "glob:**/libawt_xawt.so,glob:**/libjawt.so,glob:**/libsplashscreen.so,glob:**/libjsound.so");
        if (code != 0) {
            throw new IllegalStateException("jlink failed (exit " + code + ")");
        }
    }

    private static List<Path> elfFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(ImageRuntime::isElf).toList();
        }
    }

    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Linux native libraries of this machine's architecture inside the application's jars, extracted to dir. */
    private static List<Path> extractNatives(Path dir) throws IOException {
        Pattern arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> Pattern.compile("linux[-_](x64|x86[-_]64|amd64)/|/lib\\w*_x86_64\\.so$");
            case "aarch64" -> Pattern.compile("linux[-_](aarch64|arm64)/|/lib\\w*_aarch_64\\.so$");
            default -> throw new IllegalStateException("no image for the architecture " + System.getProperty("os.arch"));
        };
        List<Path> extracted = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (ZipFile jar = new ZipFile(entry)) {
                for (ZipEntry e : Collections.list(jar.entries())) {
                    String name = e.getName();
                    if (name.endsWith(".so") && arch.matcher(name).find()) {
                        Path file = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
                        if (Files.exists(file)) {
                            continue; // one copy of a library two jars ship is enough to find what it needs
                        }
                        try (InputStream in = jar.getInputStream(e)) {
                            Files.copy(in, file);
                        }
                        extracted.add(file);
                    }
                }
            }
        }
        return extracted;
    }

    private static final Pattern RESOLVED = Pattern.compile("=>\\s+(/\\S+)\\s+\\(");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x");
    private static final Pattern MISSING = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found");

    /** The absolute paths of the shared libraries file needs (transitively, as ldd lists them), its loader included. */
    private static Set<String> sharedLibraries(Path file, String searchPath) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", searchPath);
        Process ldd = builder.start();
        String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ldd.waitFor();
        Set<String> libraries = new TreeSet<>();
        for (String line : output.lines().toList()) {
            Matcher missing = MISSING.matcher(line);
            if (missing.find()) {
                // libonnxruntime4j_jni.so asks for libonnxruntime.so.1, which ONNX Runtime's loader has loaded
                // from its jar as libonnxruntime.so before (a library already loaded satisfies its soname)
                String unversioned = missing.group(1).replaceAll("\\.so(\\.\\d+)+$", ".so");
                if (Stream.of(searchPath.split(":")).anyMatch(dir -> Files.exists(Path.of(dir, unversioned)))) {
                    continue;
                }
                throw new IllegalStateException(file + " needs " + missing.group(1) + ", which this machine lacks");
            }
            Matcher resolved = RESOLVED.matcher(line);
            Matcher loader = LOADER.matcher(line);
            if (resolved.find()) {
                libraries.add(resolved.group(1));
            } else if (loader.find()) {
                libraries.add(loader.group(1));
            }
        }
        return libraries;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
