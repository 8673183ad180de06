package io.surveycast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.junit.jupiter.api.Test;

/**
 * The container image the build writes (profile "image", on Linux): target/surveycast-image.tar, an
 * OCI image layout read as a runtime would (index.json, its manifest, the configuration, the layers).
 * Nothing runs a container here (CI has no container runtime): the image is checked to start the
 * jar's main class with a Java runtime it contains, as a non-root user it knows, on the HTTP port.
 */
class ImageIT {
    private static final Path IMAGE = Path.of(System.getProperty("surveycast.image", "target/surveycast-image.tar"));
    private static final Path JAR = Path.of(System.getProperty("surveycast.jar", "target/surveycast.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long LARGEST_BLOB_READ = 100_000_000;

    private static final Map<String, byte[]> blobs = new HashMap<>();
    private static final Map<String, TarArchiveEntry> files = new HashMap<>();
    private static final Map<String, String> texts = new HashMap<>();
    private static JsonNode config;
    private static String imageName;

    @BeforeAll
    static void readImage() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                "the image is built on Linux only (its runtime's libraries come from the build machine)");
        assertThat(IMAGE).as("the image the build makes (was it run with -Djib.skip?)").isRegularFile();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(IMAGE))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                // the layer of dependency jars is left unread: nothing checked here is in it, and it is large
                if (entry.isFile() && entry.getSize() < LARGEST_BLOB_READ) {
                    blobs.put(entry.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
                }
            }
        }
        assertThat(JSON.readTree(blob("oci-layout")).path("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        JsonNode index = JSON.readTree(blob("index.json"));
        assertThat(index.path("manifests")).hasSize(1);
        imageName = index.path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asText();
        JsonNode manifest = json(index.path("manifests").get(0));
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        config = json(manifest.path("config"));
        for (JsonNode layer : manifest.path("layers")) {
            if (layer.path("size").asLong() < LARGEST_BLOB_READ) {
                readLayer(blob(blobName(layer)));
            }
        }
    }

    @Test
    void startsTheJarsMainClassWithTheRuntimeInTheImage() throws Exception {
        String mainClass;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
        JsonNode entrypoint = config.path("config").path("Entrypoint");
        assertThat(strings(entrypoint)).as("java, its options, the class path Jib writes, the jar's main class")
                .startsWith("/opt/java/bin/java")
                .containsSubsequence("-cp", "@/app/jib-classpath-file")
                .endsWith(mainClass);
        assertThat(strings(config.path("config").path("Cmd"))).containsExactly("serve");
        assertThat(config.path("os").asText()).isEqualTo("linux");

        assertThat(files.get("opt/java/bin/java")).as("the java launcher").isNotNull();
        assertThat(files.get("opt/java/bin/java").getMode() & 0111).as("executable").isEqualTo(0111);
        assertThat(files).as("the runtime's JVM and classes").containsKeys("opt/java/lib/server/libjvm.so", "opt/java/lib/modules");
        assertThat(files.values()).as("glibc's loader, which the launcher names as its interpreter, executable")
                .anyMatch(file -> file.getName().matches("/?lib(64)?/ld-linux-[\\w-]+\\.so\\.\\d") && (file.getMode() & 0111) == 0111);
        assertThat(files).as("the C library").containsKey("lib/" + System.getProperty("os.arch").replace("amd64", "x86_64") + "-linux-gnu/libc.so.6");
        assertThat(texts.get("app/jib-classpath-file")).startsWith("/app/resources:/app/classes:/app/libs/");
        assertThat(files).as("the application's classes").containsKey("app/classes/" + mainClass.replace('.', '/') + ".class");
    }

    @Test
    void runsAsANonRootUserTheImageKnows() throws Exception {
        String user = config.path("config").path("User").asText();
        assertThat(user).as("numeric uid:gid, so that a runtime can tell it is not root").matches("[0-9]+:[0-9]+");
        String uid = user.split(":")[0];
        assertThat(Integer.parseInt(uid)).as("not root").isPositive();

        assertThat(texts.get("etc/passwd").lines())
                .as("the user has a name and a home (Java reads user.name and user.home from /etc/passwd)")
                .anyMatch(line -> line.startsWith("surveycast:x:" + uid + ":" + user.split(":")[1] + ":"));
        String workdir = config.path("config").path("WorkingDir").asText();
        assertThat(files.get(workdir.substring(1) + "/").getMode() & 0777).as("the working directory is writable").isEqualTo(0777);
        assertThat(files.get("tmp/").getMode() & 0777).as("/tmp: ONNX Runtime's and the tokenizer's libraries are unpacked there")
                .isEqualTo(0777);
    }

    @Test
    void exposesTheDefaultHttpPortAndIsConfiguredByTheEnvironment() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = ImageIT.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        assertThat(config.path("config").path("ExposedPorts").properties()).extracting(Map.Entry::getKey)
                .containsExactly(defaults.getProperty("surveycast.http.port") + "/tcp");
        List<String> env = strings(config.path("config").path("Env"));
        assertThat(env).contains("JAVA_HOME=/opt/java", "LANG=C.UTF-8");
        assertThat(files).as("glibc's C.UTF-8 locale, without which LANG=C.UTF-8 falls back to ASCII")
                .containsKey("usr/lib/locale/C.utf8/LC_CTYPE");
        assertThat(env).as("no setting baked in: everything comes from the environment at run time")
                .noneMatch(variable -> variable.startsWith("SURVEYCAST_"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsThisImageBesideItsPostgres() throws IOException {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> app = (Map<String, Object>) services.get("surveycast");
        assertThat(app.get("image")).as("the name the tar loads as").isEqualTo(imageName);
        String port = config.path("config").path("ExposedPorts").properties().iterator().next().getKey().replace("/tcp", "");
        assertThat((List<Object>) app.get("ports")).contains(port + ":" + port);
        Map<String, Object> env = (Map<String, Object>) app.get("environment");
        Map<String, Object> postgres = (Map<String, Object>) ((Map<String, Object>) services.get("postgres")).get("environment");
        assertThat(env.get("SURVEYCAST_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        assertThat(env.get("SURVEYCAST_DB_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(env.get("SURVEYCAST_DB_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(((Map<String, Object>) ((Map<String, Object>) app.get("depends_on")).get("postgres")).get("condition"))
                .as("started once PostgreSQL answers").isEqualTo("service_healthy");
    }

    private static void readLayer(byte[] gzippedTar) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(gzippedTar)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName().replaceFirst("^/", "");
                files.put(name, entry);
                if (name.equals("etc/passwd") || name.equals("app/jib-classpath-file")) {
                    texts.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static JsonNode json(JsonNode descriptor) throws IOException {
        return JSON.readTree(blob(blobName(descriptor)));
    }

    private static String blobName(JsonNode descriptor) {
        return "blobs/" + descriptor.path("digest").asText().replace(':', '/');
    }

    private static byte[] blob(String name) {
        byte[] data = blobs.get(name);
        assertThat(data).as(name + " in " + IMAGE).isNotNull();
        return data;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
